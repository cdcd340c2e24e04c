package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// accountPageSize is how many accounts a list page shows.
const accountPageSize = 25

// accountStatuses are the statuses the list filters on.
var accountStatuses = []string{linkhub.AccountActive, linkhub.AccountError, linkhub.AccountNeedsRelink,
	linkhub.AccountDisabled, linkhub.AccountInactive}

func optional(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// handleAccounts handles GET /admin/accounts: filters, search and cursor pages.
func handleAccounts(accounts linkhub.AccountService, profiles linkhub.ProfileService, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		q := c.QueryParams()
		v := views.AccountsView{Status: q.Get("status"), Connector: q.Get("connector"), Profile: q.Get("profile"),
			Owner: q.Get("owner"), Search: q.Get("q"), Statuses: accountStatuses}
		f := linkhub.AccountFilter{ConnectorID: optional(v.Connector), ProfileID: optional(v.Profile),
			OriginOwnerID: optional(v.Owner), Search: optional(v.Search), Cursor: q.Get("cursor"), Limit: accountPageSize}
		if slices.Contains(accountStatuses, v.Status) {
			f.Status = &v.Status
		} else {
			v.Status = ""
		}
		list, next, err := accounts.FindAccounts(ctx, f)
		if err != nil {
			return err
		}
		all, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{})
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, p := range all {
			names[p.ID] = p.Name
			v.Profiles = append(v.Profiles, views.KeyValue{Key: p.ID, Value: p.Name})
		}
		for _, conn := range connectors.All() {
			v.Connectors = append(v.Connectors, connectorCard(conn.Spec()))
		}
		for _, a := range list {
			v.Rows = append(v.Rows, accountRow(connectors, a, names[a.ProfileID]))
		}
		if next != "" {
			nq := url.Values{}
			for _, k := range []string{"status", "connector", "profile", "owner", "q"} {
				if s := q.Get(k); s != "" {
					nq.Set(k, s)
				}
			}
			nq.Set("cursor", next)
			v.NextURL = "/admin/accounts?" + nq.Encode()
		}
		v.Filtered = f.Cursor != "" || f.Status != nil || f.ConnectorID != nil || f.ProfileID != nil || f.OriginOwnerID != nil || f.Search != nil
		return render(c, http.StatusOK, views.Accounts(v))
	}
}

func accountRow(connectors Connectors, a *linkhub.Account, profileName string) views.AccountRow {
	r := views.AccountRow{ID: a.ID, OwnerID: a.OriginOwnerID, OwnerName: a.OriginOwnerName, Label: a.Label,
		Connector: views.ConnectorCard{ID: a.ConnectorID, Name: a.ConnectorID}, ProfileID: a.ProfileID, ProfileName: profileName,
		Status: a.Status, Reason: a.StatusReason, LastTested: fmtTimePtr(a.LastTestedAt, "Never"), Created: fmtTime(a.CreatedAt)}
	if conn, ok := connectors.Get(a.ConnectorID); ok {
		r.Connector = connectorCard(conn.Spec())
		r.Identity = a.Identity(conn.Spec().Identity)
	}
	return r
}

// accountView builds the account page.
func accountView(c echo.Context, profiles linkhub.ProfileService, connectors Connectors, attempts linkhub.AttemptService,
	a *linkhub.Account) (views.AccountView, error) {
	name := ""
	if p, err := profiles.FindProfileByID(c.Request().Context(), a.ProfileID); err == nil {
		name = p.Name
	} else if linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		return views.AccountView{}, err
	}
	v := views.AccountView{AccountRow: accountRow(connectors, a, name), Username: a.OriginUsername, CredentialVersion: a.CredentialVersion}
	labels := map[string]string{}
	if conn, ok := connectors.Get(a.ConnectorID); ok {
		for _, f := range conn.Spec().Fields {
			labels[f.ID] = f.Label
		}
	}
	for _, k := range slices.Sorted(maps.Keys(a.Values)) {
		label := labels[k]
		if label == "" {
			label = k
		}
		v.Values = append(v.Values, views.KeyValue{Key: label, Value: a.Values[k]})
	}
	for _, k := range slices.Sorted(maps.Keys(a.Metadata)) {
		v.Metadata = append(v.Metadata, views.KeyValue{Key: k, Value: a.Metadata[k]})
	}
	list, err := attempts.FindAccountAttempts(c.Request().Context(), a.ID, 20)
	if err != nil {
		return views.AccountView{}, err
	}
	for _, at := range list {
		row := views.AttemptRow{When: fmtTime(at.CreatedAt), Kind: at.Kind,
			Status: at.Status, Stage: at.Stage, Reason: at.Reason, IP: at.IP}
		for _, st := range at.Report.Stages {
			if st.Name == at.Stage {
				row.AdminHint = st.AdminHint
			}
		}
		v.Attempts = append(v.Attempts, row)
	}
	return v, nil
}

// handleAccount handles GET /admin/accounts/:id.
func handleAccount(accounts linkhub.AccountService, profiles linkhub.ProfileService, connectors Connectors, attempts linkhub.AttemptService) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := accounts.FindAccountByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		v, err := accountView(c, profiles, connectors, attempts, a)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.AccountDetail(v))
	}
}

// handleAccountTest handles POST /admin/accounts/:id/test: the connector's test with the
// stored credentials (the profile's shared ones under the account's own),
// recorded like a scheduled test: the status follows the outcome unless an
// admin disabled the account, and the last test and metadata are saved.
func handleAccountTest(linker Linking, profiles linkhub.ProfileService, connectors Connectors, attempts linkhub.AttemptService) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, report, err := linker.TestAccount(c.Request().Context(), actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		v, err := accountView(c, profiles, connectors, attempts, a)
		if err != nil {
			return err
		}
		rv := views.NewHubReportView(report, views.English)
		v.Report = &rv
		return render(c, http.StatusOK, views.AccountDetail(v))
	}
}

// handleAccountSetEnabled handles POST /admin/accounts/:id/disable and /enable. An enabled
// account is active until its next test says otherwise.
func handleAccountSetEnabled(accounts linkhub.AccountService, sess *adminSessions, enabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := setAccountEnabled(c, accounts, c.Param("id"), enabled)
		if linkhub.ErrorCode(err) == linkhub.ECONFLICT {
			return sess.redirectWithFlash(c, "/admin/accounts/"+url.PathEscape(c.Param("id")), "error", linkhub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		msg := "Disabled the account: it cannot be used until you enable it."
		if enabled {
			msg = "Enabled the account."
		}
		return sess.redirectWithFlash(c, "/admin/accounts/"+a.ID, "success", msg)
	}
}

// handleAccountDeletePage handles GET /admin/accounts/:id/delete: the confirmation.
func handleAccountDeletePage(accounts linkhub.AccountService) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := accounts.FindAccountByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.DeleteAccount(views.DeleteAccountView{ID: a.ID, OwnerID: a.OriginOwnerID, Label: a.Label}))
	}
}

// handleAccountDelete handles POST /admin/accounts/:id/delete.
func handleAccountDelete(accounts linkhub.AccountService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := deleteAccount(c, accounts, c.Param("id"))
		if err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/accounts", "success", "Deleted the account of “"+a.OriginOwnerID+"”.")
	}
}

// handleAccountRelink handles POST /admin/accounts/:id/relink: a connect session for this
// account and its owner, whose hub link is shown in this response only.
func handleAccountRelink(linker Linking, baseURL string) echo.HandlerFunc {
	return func(c echo.Context) error {
		cs, tok, err := linker.Relink(c.Request().Context(), actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		return render(c, http.StatusCreated, views.RelinkCreated(views.RelinkCreatedView{
			AccountID: cs.AccountID, OwnerID: cs.OriginOwnerID, URL: baseURL + "/connect?token=" + url.QueryEscape(tok),
			Expires: fmtTime(cs.ExpiresAt)}))
	}
}

// setAccountEnabled disables an account, or enables it (active until its next
// test says otherwise), as the signed-in admin or the API key: the admin
// console and the API share it. An account of a disabled profile cannot be
// enabled: the service says so (ECONFLICT naming the profile) and changes
// nothing.
func setAccountEnabled(c echo.Context, accounts linkhub.AccountService, id string, enabled bool) (*linkhub.Account, error) {
	status, reason := linkhub.AccountDisabled, "disabled_by_admin"
	if enabled {
		status, reason = linkhub.AccountActive, ""
	}
	return accounts.SetAccountStatus(c.Request().Context(), actor(c), id, status, reason)
}

// deleteAccount deletes an account and its secrets as the signed-in admin
// or the API key.
func deleteAccount(c echo.Context, accounts linkhub.AccountService, id string) (*linkhub.Account, error) {
	ctx := c.Request().Context()
	a, err := accounts.FindAccountByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := accounts.DeleteAccount(ctx, actor(c), a.ID); err != nil {
		return nil, err
	}
	return a, nil
}
