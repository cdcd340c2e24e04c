package web

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// maxAPIAccountLimit is the largest page GET /api/v1/accounts hands out.
const maxAPIAccountLimit = 500

// accountJSON is an account as the API shows it: never a secret.
type accountJSON struct {
	ID                string            `json:"id"`
	ProfileID         string            `json:"profile_id"`
	Connector         string            `json:"connector"`
	OriginOwnerID     string            `json:"origin_owner_id"`
	OriginOwnerName   string            `json:"origin_owner_name"`
	OriginUsername    string            `json:"origin_username"`
	Label             string            `json:"label"`
	Status            string            `json:"status"`
	StatusReason      string            `json:"status_reason"`
	Values            map[string]string `json:"values"`
	Metadata          map[string]string `json:"metadata"`
	Identity          string            `json:"identity"`
	SessionMetadata   map[string]any    `json:"session_metadata"`
	CredentialVersion int               `json:"credential_version"`
	LastTestedAt      *time.Time        `json:"last_tested_at"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

func newAccountJSON(connectors Connectors, a *linkhub.Account) accountJSON {
	out := accountJSON{Identity: accountIdentity(connectors, a), ID: a.ID, ProfileID: a.ProfileID, Connector: a.ConnectorID, OriginOwnerID: a.OriginOwnerID,
		OriginOwnerName: a.OriginOwnerName, OriginUsername: a.OriginUsername, Label: a.Label, Status: a.Status,
		StatusReason: a.StatusReason, Values: nonNilMap(a.Values), Metadata: nonNilMap(a.Metadata),
		SessionMetadata: nonNilMap(a.SessionMetadata), CredentialVersion: a.CredentialVersion,
		CreatedAt: a.CreatedAt.UTC(), UpdatedAt: a.UpdatedAt.UTC()}
	if a.LastTestedAt != nil {
		t := a.LastTestedAt.UTC()
		out.LastTestedAt = &t
	}
	return out
}

// accountListParams are the query parameters GET /api/v1/accounts knows.
var accountListParams = []string{"origin_owner_id", "status", "connector", "profile_id", "cursor", "limit"}

// handleAPIAccounts handles GET /api/v1/accounts: filters and cursor pages, newest first.
func handleAPIAccounts(accounts linkhub.AccountService, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParams()
		for _, k := range slices.Sorted(maps.Keys(q)) {
			if !slices.Contains(accountListParams, k) {
				return linkhub.FieldError(k, fmt.Sprintf("Unknown query parameter %q; known are %s.", k, strings.Join(accountListParams, ", ")))
			}
		}
		f := linkhub.AccountFilter{OriginOwnerID: optional(q.Get("origin_owner_id")), ConnectorID: optional(q.Get("connector")),
			ProfileID: optional(q.Get("profile_id")), Cursor: q.Get("cursor"), Limit: 50}
		if s := q.Get("status"); s != "" {
			if !slices.Contains(accountStatuses, s) {
				return linkhub.FieldError("status", "status must be one of "+strings.Join(accountStatuses, ", ")+".")
			}
			f.Status = &s
		}
		if f.ConnectorID != nil {
			if _, ok := connectors.Get(*f.ConnectorID); !ok {
				return linkhub.FieldError("connector", fmt.Sprintf("Unknown connector %q.", *f.ConnectorID))
			}
		}
		if s := q.Get("limit"); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > maxAPIAccountLimit {
				return linkhub.FieldError("limit", fmt.Sprintf("limit must be a whole number from 1 to %d.", maxAPIAccountLimit))
			}
			f.Limit = n
		}
		list, next, err := accounts.FindAccounts(c.Request().Context(), f)
		if linkhub.ErrorCode(err) == linkhub.EINVALID {
			return linkhub.FieldError("cursor", "cursor is not valid: pass the next_cursor of the previous page unchanged.")
		} else if err != nil {
			return err
		}
		out := struct {
			Accounts   []accountJSON `json:"accounts"`
			NextCursor *string       `json:"next_cursor"`
		}{Accounts: make([]accountJSON, 0, len(list))}
		for _, a := range list {
			out.Accounts = append(out.Accounts, newAccountJSON(connectors, a))
		}
		if next != "" {
			out.NextCursor = &next
		}
		return c.JSON(http.StatusOK, out)
	}
}

// handleAPIAccount handles GET /api/v1/accounts/:id.
func handleAPIAccount(accounts linkhub.AccountService, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := accounts.FindAccountByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newAccountJSON(connectors, a))
	}
}

// handleAPIAccountDelete handles DELETE /api/v1/accounts/:id.
func handleAPIAccountDelete(accounts linkhub.AccountService) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, err := deleteAccount(c, accounts, c.Param("id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// handleAPIAccountSetEnabled handles POST /api/v1/accounts/:id/disable and /enable, as the
// admin console's buttons do.
func handleAPIAccountSetEnabled(accounts linkhub.AccountService, connectors Connectors, enabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := setAccountEnabled(c, accounts, c.Param("id"), enabled)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newAccountJSON(connectors, a))
	}
}

// accountIdentity names the account at its vendor (a Jamf Pro address, a
// Sophos tenant, a NinjaOne region and client), as its connector says.
func accountIdentity(connectors Connectors, a *linkhub.Account) string {
	conn, ok := connectors.Get(a.ConnectorID)
	if !ok {
		return ""
	}
	return a.Identity(conn.Spec().Identity)
}
