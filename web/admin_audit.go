package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

const auditPageSize = 50

// handleAudit handles GET /admin/audit?action=&actor=&page=.
func handleAudit(audit linkhub.AuditService) echo.HandlerFunc {
	return func(c echo.Context) error {
		action, actorLabel := c.QueryParam("action"), strings.TrimSpace(c.QueryParam("actor"))
		page, err := strconv.Atoi(c.QueryParam("page"))
		if err != nil || page < 1 || page > 100000 {
			page = 1
		}
		f := linkhub.AuditFilter{Offset: (page - 1) * auditPageSize, Limit: auditPageSize}
		if slices.Contains(linkhub.AuditActions, action) {
			f.Action = &action
		} else {
			action = ""
		}
		if actorLabel != "" {
			f.Actor = &actorLabel
		}
		entries, more, err := audit.FindAuditEntries(c.Request().Context(), f)
		if err != nil {
			return err
		}
		v := views.AuditView{Actions: linkhub.AuditActions, Action: action, Actor: actorLabel}
		for _, e := range entries {
			v.Entries = append(v.Entries, auditRow(e))
		}
		link := func(p int) string {
			q := url.Values{}
			if action != "" {
				q.Set("action", action)
			}
			if actorLabel != "" {
				q.Set("actor", actorLabel)
			}
			q.Set("page", strconv.Itoa(p))
			return "/admin/audit?" + q.Encode()
		}
		if page > 1 {
			v.PrevURL = link(page - 1)
		}
		if more {
			v.NextURL = link(page + 1)
		}
		return render(c, http.StatusOK, views.Audit(v))
	}
}

func auditRow(e *linkhub.AuditEntry) views.AuditRow {
	who := e.Actor.Label
	if who == "" {
		who = e.Actor.Kind
	}
	target := e.TargetKind
	if e.TargetID != "" {
		target += " " + e.TargetID
	}
	keys := make([]string, 0, len(e.Details))
	for k := range e.Details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+e.Details[k])
	}
	return views.AuditRow{
		When: e.CreatedAt.UTC().Format("2006-01-02 15:04:05"), Actor: who, Action: e.Action,
		Target: target, IP: e.Actor.IP, Details: strings.Join(parts, ", "),
	}
}
