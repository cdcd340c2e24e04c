package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// The console's account pages on mocks: what the handlers parse, which
// service call they make as the signed-in admin, and how its answer or error
// is shown. The rules behind them are the services' and are tested there:
// filters and pages in internal/postgres (TestAccountService_FindAccounts),
// enabling under a disabled profile (TestAccountService_EnableUnderDisabledProfile),
// deleting (TestAccountService_StatusAndDelete), the relink session
// (internal/linking TestService_Relink), a test's outcome and its audit in
// internal/linking (TestService_AdminTests), internal/health
// (TestScheduler_StatusTransitions) and internal/postgres
// (TestOutbox_RecordTestResult: metadata kept, a disabled account stays so;
// TestAudit_AdminChanges, TestAudit_InTheChange).

// The ids of the account tests: paths take UUIDs only.
const (
	admbAccountID = "8f9c1d1e-0000-4000-8000-0000000000a1"
	admbUnknownID = "8f9c1d1e-0000-4000-8000-0000000000ff" // well-formed, but no service knows it
)

// admbAccount is a Jamf Pro account of user-1 under profile p1, as the
// account service gives it.
func admbAccount() *linkhub.Account {
	return &linkhub.Account{ID: admbAccountID, ProfileID: "p1", ConnectorID: "jamf", OriginOwnerID: "user-1",
		OriginOwnerName: "Ada Lovelace", Label: "Mac fleet", Status: linkhub.AccountActive, CredentialVersion: 3,
		Values:    map[string]string{"url": "https://acme.jamfcloud.com", "client_id": "cid-1"},
		Metadata:  map[string]string{"jamf_version": "11.7.1"},
		CreatedAt: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
}

// admbAccountEnv is the mock env with an admin signed in, whose services
// know account a (any other id is not found), its profile p1 "Jamf Pro" and
// the account's hub attempts.
func admbAccountEnv(t *testing.T, a *linkhub.Account, attempts ...*linkhub.Attempt) (*mockEnv, *linkhub.Admin) {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	admin := e.signIn()
	e.accounts.FindAccountByIDFn = func(_ context.Context, id string) (*linkhub.Account, error) {
		if id != a.ID {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
		}
		return a, nil
	}
	e.profiles.FindProfileByIDFn = func(_ context.Context, id string) (*linkhub.Profile, error) {
		if id != "p1" {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
		}
		return &linkhub.Profile{ID: "p1", ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true}, nil
	}
	e.attempts.FindAccountAttemptsFn = func(_ context.Context, id string, _ int) ([]*linkhub.Attempt, error) {
		if id != a.ID {
			t.Errorf("attempts of %s, want those of %s", id, a.ID)
		}
		return attempts, nil
	}
	return e, admin
}

// admbIsAdmin reports whether actor is the env's signed-in admin.
func admbIsAdmin(actor linkhub.Actor, admin *linkhub.Admin) bool {
	return actor.Kind == "admin" && actor.ID == admin.ID && actor.Label == admin.Email && actor.IP != ""
}

// admbFlash follows a 303 and returns the flash the next page shows.
func admbFlash(t *testing.T, e *mockEnv, resp *http.Response, wantLocation string) string {
	t.Helper()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != wantLocation {
		t.Fatalf("got %d to %q, want 303 to %s", resp.StatusCode, loc, wantLocation)
	}
	_, doc := e.get(wantLocation)
	return doc.Find(`[data-testid="flash"]`).Text()
}

// TestAdminAccounts_Filters: the list's query parameters become the
// service's filter (a status it does not know is dropped, blanks are no
// filter, 25 a page), and the accounts it answers are listed with their
// profile's name; no match is the filtered empty state.
func TestAdminAccounts_Filters(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	for _, tt := range []struct {
		query string
		want  linkhub.AccountFilter
	}{
		{"", linkhub.AccountFilter{}},
		{"status=error", linkhub.AccountFilter{Status: str(linkhub.AccountError)}},
		{"status=bogus&q=4", linkhub.AccountFilter{Search: str("4")}},
		{"connector=sophos", linkhub.AccountFilter{ConnectorID: str("sophos")}},
		{"profile=p1", linkhub.AccountFilter{ProfileID: str("p1")}},
		{"owner=user-3", linkhub.AccountFilter{OriginOwnerID: str("user-3")}},
		{"q=lovelace&owner=+", linkhub.AccountFilter{Search: str("lovelace")}},
		// Text no account can hold goes to the service, which matches nothing.
		{"q=%00", linkhub.AccountFilter{Search: str("\x00")}},
		{"owner=%ff", linkhub.AccountFilter{OriginOwnerID: str("\xff")}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			e := newMockEnv(t, web.Config{})
			e.signIn()
			var got linkhub.AccountFilter
			e.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
				got = f
				a, b := admbAccount(), admbAccount()
				b.ID, b.OriginOwnerID, b.ProfileID = "acc-2", "user-2", "p2"
				return []*linkhub.Account{a, b}, "", nil
			}
			e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
				return []*linkhub.Profile{{ID: "p1", ConnectorID: "jamf", Name: "Jamf Pro"}, {ID: "p2", ConnectorID: "jamf", Name: "Jamf EU"}}, nil
			}
			resp, doc := e.get("/admin/accounts?" + tt.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d, want 200", resp.StatusCode)
			}
			tt.want.Limit = 25
			if !admbSameFilter(got, tt.want) {
				t.Errorf("the service got %s, want %s", admbFilterString(got), admbFilterString(tt.want))
			}
			var owners []string
			doc.Find(`[data-testid="account-owner"]`).Each(func(_ int, s *goquery.Selection) { owners = append(owners, s.Text()) })
			row := doc.Find(`[data-testid="account-row"][data-id="acc-2"]`)
			if !slices.Equal(owners, []string{"user-1", "user-2"}) || !strings.Contains(row.Text(), "Jamf EU") ||
				row.Find(`[data-testid="account-identity"]`).Text() != "https://acme.jamfcloud.com" {
				t.Errorf("got owners %v, row %q, want both accounts with their profile and identity", owners, row.Text())
			}
		})
	}
	t.Run("NoMatch", func(t *testing.T) {
		t.Parallel()
		e := newMockEnv(t, web.Config{})
		e.signIn()
		e.accounts.FindAccountsFn = func(context.Context, linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
			return nil, "", nil
		}
		e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) { return nil, nil }
		_, doc := e.get("/admin/accounts?q=nobody")
		if got := doc.Find(`[data-testid="empty-accounts"]`).Text(); !strings.Contains(got, "No accounts match these filters") {
			t.Errorf("got %q, want the filtered empty state", got)
		}
	})
}

func admbSameFilter(a, b linkhub.AccountFilter) bool {
	return admbFilterString(a) == admbFilterString(b)
}

// admbFilterString spells out a filter's pointers for comparing and for
// failure messages.
func admbFilterString(f linkhub.AccountFilter) string {
	s := func(p *string) string {
		if p == nil {
			return "nil"
		}
		return strconv.Quote(*p)
	}
	return strings.Join([]string{"id=" + s(f.ID), "status=" + s(f.Status), "connector=" + s(f.ConnectorID),
		"profile=" + s(f.ProfileID), "owner=" + s(f.OriginOwnerID), "search=" + s(f.Search), "cursor=" + f.Cursor,
		"limit=" + strconv.Itoa(f.Limit)}, " ")
}

// TestAdminAccounts_NextPage: the service's next cursor becomes a next-page
// link that keeps the filters, and following it asks for that page; the last
// page has no link.
func TestAdminAccounts_NextPage(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.signIn()
	var got []linkhub.AccountFilter
	e.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
		got = append(got, f)
		if f.Cursor == "" {
			return []*linkhub.Account{admbAccount()}, "MTIz:next", nil
		}
		return []*linkhub.Account{admbAccount()}, "", nil
	}
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) { return nil, nil }
	_, doc := e.get("/admin/accounts?profile=p1&q=ada&status=error")
	next, _ := doc.Find(`[data-testid="next-page"]`).Attr("href")
	if next != "/admin/accounts?cursor=MTIz%3Anext&profile=p1&q=ada&status=error" {
		t.Fatalf("got next page %q, want the cursor with the filters", next)
	}
	_, doc = e.get(next)
	if doc.Find(`[data-testid="next-page"]`).Length() != 0 {
		t.Error("the last page links a next one")
	}
	if len(got) != 2 || got[1].Cursor != "MTIz:next" || got[1].ProfileID == nil || *got[1].ProfileID != "p1" ||
		got[1].Search == nil || *got[1].Search != "ada" {
		t.Errorf("the service got %d calls, the second %s", len(got), admbFilterString(got[len(got)-1]))
	}
}

// TestAdminAccounts_Detail: the account page shows the values under their
// field labels, the discovered metadata and the hub attempts (a failed one
// with its admin hint); an unknown account is a 404.
func TestAdminAccounts_Detail(t *testing.T) {
	t.Parallel()
	failed := &linkhub.Attempt{ID: "at-1", AccountID: admbAccountID, Kind: linkhub.AttemptRelink, Status: linkhub.AttemptFailed,
		Stage: "token", Reason: linkhub.ReasonBadCredentials, CreatedAt: time.Now(),
		Report: linkhub.AttemptReport{Stages: []linkhub.AttemptStage{{Name: "token", Status: "failed",
			Reason: linkhub.ReasonBadCredentials, AdminHint: "Give the API client the Read Computers privilege."}}}}
	e, _ := admbAccountEnv(t, admbAccount(), failed)
	resp, doc := e.get("/admin/accounts/" + admbAccountID)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200", resp.StatusCode)
	}
	values := doc.Find(`[data-testid="account-values"]`).Text()
	if !strings.Contains(values, "Jamf Pro address") || !strings.Contains(values, "https://acme.jamfcloud.com") ||
		!strings.Contains(doc.Find(`[data-testid="account-metadata"]`).Text(), "11.7.1") {
		t.Errorf("values %q, metadata %q", values, doc.Find(`[data-testid="account-metadata"]`).Text())
	}
	at := doc.Find(`[data-testid="attempt"][data-status="failed"]`)
	if at.Length() != 1 || !strings.Contains(at.Text(), "Read Computers privilege") {
		h, _ := doc.Find("main").Html()
		t.Errorf("want the failed attempt with its admin hint:\n%s", h)
	}
	if resp, _ := e.get("/admin/accounts/" + admbUnknownID + ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown account: got %d, want 404", resp.StatusCode)
	}
}

// TestAdminAccounts_Retest: the re-test runs the linking service's test of
// the account as the admin and shows its report on the account page, passed
// or failed at a stage; an unknown account is a 404.
func TestAdminAccounts_Retest(t *testing.T) {
	t.Parallel()
	passed := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed}}}
	failed := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusFailed,
		Reason: linkhub.ReasonBadCredentials, Hint: "Jamf Pro refused the client secret."}}}
	for _, tt := range []struct {
		name        string
		report      linkhub.Report
		status      string
		wantOK      bool
		stageStatus string
	}{
		{"Passed", passed, linkhub.AccountActive, true, "passed"},
		{"Failed", failed, linkhub.AccountNeedsRelink, false, "failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := admbAccount()
			e, admin := admbAccountEnv(t, a)
			var calls []string
			e.linking.TestAccountFn = func(_ context.Context, actor linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error) {
				if !admbIsAdmin(actor, admin) {
					t.Errorf("tested as %+v, want the admin", actor)
				}
				calls = append(calls, id)
				if id != a.ID {
					return nil, linkhub.Report{}, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
				}
				after := *a
				after.Status = tt.status
				return &after, tt.report, nil
			}
			resp, doc := e.post("/admin/accounts/"+admbAccountID+"/test", nil)
			if resp.StatusCode != http.StatusOK || (doc.Find(`[data-testid="test-ok"]`).Length() == 1) != tt.wantOK ||
				doc.Find(`[data-stage="token"][data-status="`+tt.stageStatus+`"]`).Length() != 1 {
				t.Errorf("got %d %q, want 200 and the token stage %s", resp.StatusCode, doc.Find(`[data-testid="test-result"]`).Text(), tt.stageStatus)
			}
			if got := doc.Find(`[data-testid="account-status"]`).AttrOr("data-status", ""); got != tt.status {
				t.Errorf("got status %q on the page, want the tested account's %q", got, tt.status)
			}
			if resp, _ := e.post("/admin/accounts/"+admbUnknownID+"/test", nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown account: got %d, want 404", resp.StatusCode)
			}
			if !slices.Equal(calls, []string{admbAccountID, admbUnknownID}) {
				t.Errorf("tested %v", calls)
			}
		})
	}
}

// TestAdminAccounts_Relink: a relink asks the linking service for a connect
// session of the account as the admin, and shows its hub link on the base
// URL (the token escaped) in this response only.
func TestAdminAccounts_Relink(t *testing.T) {
	t.Parallel()
	e, admin := admbAccountEnv(t, admbAccount())
	const token = "relink+tok/1"
	var got string
	e.linking.RelinkFn = func(_ context.Context, actor linkhub.Actor, id string) (*linkhub.ConnectSession, string, error) {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("relinked as %+v, want the admin", actor)
		}
		got = id
		return &linkhub.ConnectSession{ID: "cs-9", AccountID: id, OriginOwnerID: "user-1", MaxLinks: 1,
			ExpiresAt: time.Now().Add(time.Hour)}, token, nil
	}
	resp, doc := e.post("/admin/accounts/"+admbAccountID+"/relink", nil)
	link, _ := doc.Find(`[data-testid="relink-url"]`).Attr("value")
	if resp.StatusCode != http.StatusCreated || link != "http://linkhub.test/connect?token="+url.QueryEscape(token) || got != admbAccountID {
		t.Fatalf("got %d, link %q for account %q, want 201 and the escaped token's link for the account", resp.StatusCode, link, got)
	}
	e.hidden = append(e.hidden, url.QueryEscape(token))
	if resp, _ := e.get("/admin/accounts/" + admbAccountID); resp.StatusCode != http.StatusOK {
		t.Errorf("account page: got %d", resp.StatusCode)
	}
}

// TestAdminAccounts_DisableEnable: disable and enable set the account's
// status as the admin (disabled by the admin, or active until the next test)
// and come back to the account with a flash; a refusal of the service (an
// account of a disabled profile) is the flash, with the service's words.
func TestAdminAccounts_DisableEnable(t *testing.T) {
	t.Parallel()
	a := admbAccount()
	e, admin := admbAccountEnv(t, a)
	var got []string
	refuse := false
	e.accounts.SetAccountStatusFn = func(_ context.Context, actor linkhub.Actor, id, status, reason string) (*linkhub.Account, error) {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("set as %+v, want the admin", actor)
		}
		got = append(got, id+" "+status+" "+reason)
		if refuse {
			return nil, linkhub.Errorf(linkhub.ECONFLICT, "The profile “Paused fleet” of this account is disabled: enable the profile first, then the account.")
		}
		after := *a
		after.Status, after.StatusReason = status, reason
		return &after, nil
	}
	resp, _ := e.post("/admin/accounts/"+admbAccountID+"/disable", nil)
	if f := admbFlash(t, e, resp, "/admin/accounts/"+admbAccountID); !strings.Contains(f, "Disabled the account") {
		t.Errorf("disable: got flash %q", f)
	}
	resp, _ = e.post("/admin/accounts/"+admbAccountID+"/enable", nil)
	if f := admbFlash(t, e, resp, "/admin/accounts/"+admbAccountID); !strings.Contains(f, "Enabled the account.") {
		t.Errorf("enable: got flash %q", f)
	}
	refuse = true
	resp, _ = e.post("/admin/accounts/"+admbAccountID+"/enable", nil)
	if f := admbFlash(t, e, resp, "/admin/accounts/"+admbAccountID); !strings.Contains(f, "Paused fleet") || !strings.Contains(f, "enable the profile") {
		t.Errorf("refused enable: got flash %q, want the service's reason", f)
	}
	want := []string{admbAccountID + " disabled disabled_by_admin", admbAccountID + " active ", admbAccountID + " active "}
	if !slices.Equal(got, want) {
		t.Errorf("the service got %q, want %q", got, want)
	}
}

// TestAdminAccounts_Delete: the confirmation names the account; the delete
// is the service's as the admin, back to the list with a flash naming the
// owner; an unknown account is a 404 and nothing is deleted.
func TestAdminAccounts_Delete(t *testing.T) {
	t.Parallel()
	e, admin := admbAccountEnv(t, admbAccount())
	var deleted []string
	e.accounts.DeleteAccountFn = func(_ context.Context, actor linkhub.Actor, id string) error {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("deleted as %+v, want the admin", actor)
		}
		deleted = append(deleted, id)
		return nil
	}
	_, doc := e.get("/admin/accounts/" + admbAccountID + "/delete")
	if doc.Find(`[data-testid="confirm-delete"]`).Length() != 1 || !strings.Contains(doc.Find("main").Text(), "user-1") {
		t.Error("no confirmation naming the owner")
	}
	e.accounts.FindAccountsFn = func(context.Context, linkhub.AccountFilter) ([]*linkhub.Account, string, error) { return nil, "", nil }
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) { return nil, nil }
	resp, _ := e.post("/admin/accounts/"+admbAccountID+"/delete", nil)
	if f := admbFlash(t, e, resp, "/admin/accounts"); !strings.Contains(f, "Deleted the account of “user-1”") {
		t.Errorf("got flash %q", f)
	}
	if resp, _ := e.post("/admin/accounts/"+admbUnknownID+"/delete", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown account: got %d, want 404", resp.StatusCode)
	}
	if !slices.Equal(deleted, []string{admbAccountID}) {
		t.Errorf("deleted %v, want the account only", deleted)
	}
}
