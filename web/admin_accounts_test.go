package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// mustAccount stores an account with its own credentials.
func (e *vendorEnv) mustAccount(a *linkhub.Account, sec string) *linkhub.Account {
	e.t.Helper()
	if err := e.accounts.CreateAccount(context.Background(), a, map[string]secret.Value{"client_secret": secret.New(sec)}); err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *vendorEnv) accountStatus(id string) (string, string) {
	e.t.Helper()
	a, err := e.accounts.FindAccountByID(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a.Status, a.StatusReason
}

func TestAdmin_Accounts(t *testing.T) {
	t.Parallel()
	e := newVendorEnv(t)
	ctx := context.Background()
	wrong := "wrong-secret-abcdef123456"
	e.pageSecrets = append(e.pageSecrets, wrong)

	jp := &linkhub.Profile{ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true, Actions: []string{"list_computers", "get_version"}}
	if err := e.profiles.CreateProfile(ctx, linkhub.SystemActor, jp, nil); err != nil {
		t.Fatal(err)
	}
	// The Sophos profile shares its credentials; its account holds none.
	sp := &linkhub.Profile{ConnectorID: "sophos", Name: "Sophos", Enabled: true, Actions: []string{"list_endpoints"},
		Values: map[string]string{"client_id": e.sophos.ClientID}}
	if err := e.profiles.CreateProfile(ctx, linkhub.SystemActor, sp, map[string]secret.Value{"client_secret": secret.New(e.sophos.ClientSecret)}); err != nil {
		t.Fatal(err)
	}
	jv := map[string]string{"url": e.jamf.URL, "client_id": e.jamf.ClientID}
	a1 := e.mustAccount(&linkhub.Account{ProfileID: jp.ID, OriginOwnerID: "user-1", OriginOwnerName: "Ada Lovelace", Label: "Mac fleet", Values: jv,
		Metadata: map[string]string{"jamf_version": "11.7.1"}}, e.jamf.ClientSecret)
	a2 := e.mustAccount(&linkhub.Account{ProfileID: jp.ID, OriginOwnerID: "user-2", Status: linkhub.AccountError, StatusReason: "timeout", Values: jv}, e.jamf.ClientSecret)
	a3 := e.mustAccount(&linkhub.Account{ProfileID: jp.ID, OriginOwnerID: "user-3", Values: jv}, wrong)
	a4 := &linkhub.Account{ProfileID: sp.ID, OriginOwnerID: "user-4"}
	if err := e.accounts.CreateAccount(ctx, a4, nil); err != nil {
		t.Fatal(err)
	}

	rows := func(path string) []string {
		t.Helper()
		resp, doc := e.b.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: got %d", path, resp.StatusCode)
		}
		var owners []string
		doc.Find(`[data-testid="account-owner"]`).Each(func(_ int, s *goquery.Selection) { owners = append(owners, s.Text()) })
		slices.Sort(owners)
		return owners
	}
	t.Run("Filters", func(t *testing.T) {
		for path, want := range map[string][]string{
			"/admin/accounts":                  {"user-1", "user-2", "user-3", "user-4"},
			"/admin/accounts?status=error":     {"user-2"},
			"/admin/accounts?connector=sophos": {"user-4"},
			"/admin/accounts?profile=" + jp.ID: {"user-1", "user-2", "user-3"},
			"/admin/accounts?owner=user-3":     {"user-3"},
			"/admin/accounts?q=lovelace":       {"user-1"},
			"/admin/accounts?q=nobody":         nil,
			"/admin/accounts?q=%00":            nil, // text no account can hold
			"/admin/accounts?owner=%ff":        nil,
			"/admin/accounts?status=bogus&q=4": {"user-4"},
		} {
			if got := rows(path); !slices.Equal(got, want) {
				t.Errorf("%s: got %v, want %v", path, got, want)
			}
		}
	})

	t.Run("Detail", func(t *testing.T) {
		_, doc := e.b.get("/admin/accounts/" + a1.ID)
		if v := doc.Find(`[data-testid="account-values"]`).Text(); !contains(v, e.jamf.URL) || !contains(doc.Find(`[data-testid="account-metadata"]`).Text(), "11.7.1") {
			t.Errorf("values %q, metadata %q", v, doc.Find(`[data-testid="account-metadata"]`).Text())
		}
		if resp, _ := e.b.get("/admin/accounts/not-an-id"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown account: got %d", resp.StatusCode)
		}
	})

	t.Run("Retest", func(t *testing.T) {
		_, doc := e.b.post("/admin/accounts/"+a2.ID+"/test", nil)
		if doc.Find(`[data-testid="test-ok"]`).Length() != 1 {
			t.Error("a2: test not passed")
		}
		if st, _ := e.accountStatus(a2.ID); st != linkhub.AccountActive {
			t.Errorf("a2: status %s, want active", st)
		}
		// The result is saved like a scheduled test's: last test and the
		// discovered metadata, the credential version untouched.
		got, err := e.accounts.FindAccountByID(ctx, a2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.LastTestedAt == nil || got.Metadata["jamf_version"] == "" || got.CredentialVersion != a2.CredentialVersion {
			t.Errorf("a2 after the test: last tested %v, metadata %v, credential version %d (want %d)",
				got.LastTestedAt, got.Metadata, got.CredentialVersion, a2.CredentialVersion)
		}
		_, doc = e.b.post("/admin/accounts/"+a3.ID+"/test", nil)
		if doc.Find(`[data-stage="token"][data-status="failed"]`).Length() != 1 {
			t.Error("a3: no failed token stage")
		}
		if st, reason := e.accountStatus(a3.ID); st != linkhub.AccountNeedsRelink || reason == "" {
			t.Errorf("a3: status %s (%s), want needs_relink with a reason", st, reason)
		}
		_, doc = e.b.post("/admin/accounts/"+a4.ID+"/test", nil)
		if doc.Find(`[data-testid="test-ok"]`).Length() != 1 {
			t.Error("a4 with the profile's shared credentials: test not passed")
		}
	})

	t.Run("Relink", func(t *testing.T) {
		resp, doc := e.b.post("/admin/accounts/"+a3.ID+"/relink", nil)
		link, _ := doc.Find(`[data-testid="relink-url"]`).Attr("value")
		if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(link, "http://example.test/connect?token=") {
			t.Fatalf("relink: got %d, link %q", resp.StatusCode, link)
		}
		u, _ := url.Parse(link)
		cs, err := postgres.NewConnectSessionService(e.db).FindConnectSessionByToken(ctx, u.Query().Get("token"))
		if err != nil || cs.AccountID != a3.ID || cs.OriginOwnerID != "user-3" {
			t.Errorf("relink session: %+v, %v", cs, err)
		}
		if h := e.b.html("/admin/accounts/" + a3.ID); strings.Contains(h, u.Query().Get("token")) {
			t.Error("the account page shows the relink token again")
		}
		attempts := postgres.NewAttemptService(e.db, nil)
		at := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: jp.ID, AccountID: a3.ID, Kind: linkhub.AttemptRelink, Status: linkhub.AttemptPending}
		if err := attempts.CreateAttempt(ctx, at); err != nil {
			t.Fatal(err)
		}
		if err := attempts.FinishAttempt(ctx, at.ID, linkhub.AttemptFailed, a3.ID, linkhub.AttemptReport{
			Stages: []linkhub.AttemptStage{{Name: "token", Status: "failed", Reason: "bad_credentials"}}}); err != nil {
			t.Fatal(err)
		}
		_, doc = e.b.get("/admin/accounts/" + a3.ID)
		if doc.Find(`[data-testid="attempt"][data-status="failed"]`).Length() != 1 {
			h, _ := doc.Find(`main`).Html()
			t.Errorf("no failed attempt on the account page:\n%s", h)
		}
	})

	t.Run("DisableEnable", func(t *testing.T) {
		e.b.post("/admin/accounts/"+a1.ID+"/disable", nil)
		e.b.post("/admin/accounts/"+a1.ID+"/test", nil)
		if st, _ := e.accountStatus(a1.ID); st != linkhub.AccountDisabled {
			t.Errorf("disabled then re-tested: %s", st)
		}
		e.b.post("/admin/accounts/"+a1.ID+"/enable", nil)
		if st, _ := e.accountStatus(a1.ID); st != linkhub.AccountActive {
			t.Errorf("enabled: %s", st)
		}
	})

	t.Run("EnableUnderDisabledProfile", func(t *testing.T) {
		off, on := false, true
		p := &linkhub.Profile{ConnectorID: "jamf", Name: "Paused fleet", Enabled: true, Actions: defaultActions("jamf")}
		if err := e.profiles.CreateProfile(ctx, linkhub.SystemActor, p, nil); err != nil {
			t.Fatal(err)
		}
		a := e.mustAccount(&linkhub.Account{ProfileID: p.ID, OriginOwnerID: "user-9", Values: jv}, e.jamf.ClientSecret)
		e.b.post("/admin/accounts/"+a.ID+"/disable", nil)
		if _, err := e.profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
			t.Fatal(err)
		}
		resp, _ := e.b.post("/admin/accounts/"+a.ID+"/enable", nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("enable: got %d, want 303 back to the account", resp.StatusCode)
		}
		_, doc := e.b.get(resp.Header.Get("Location"))
		if flash := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "Paused fleet") || !strings.Contains(flash, "enable the profile") {
			t.Errorf("flash: got %q, want it to name the disabled profile", flash)
		}
		if st, _ := e.accountStatus(a.ID); st != linkhub.AccountDisabled {
			t.Errorf("after the refused enable: got %s, want disabled", st)
		}
		if _, err := e.profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &on}); err != nil {
			t.Fatal(err)
		}
		e.b.post("/admin/accounts/"+a.ID+"/enable", nil)
		if st, _ := e.accountStatus(a.ID); st != linkhub.AccountActive {
			t.Errorf("enabled once the profile is: got %s, want active", st)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		_, doc := e.b.get("/admin/accounts/" + a4.ID + "/delete")
		if doc.Find(`[data-testid="confirm-delete"]`).Length() != 1 {
			t.Error("no confirmation")
		}
		if resp, _ := e.b.post("/admin/accounts/"+a4.ID+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("delete: got %d", resp.StatusCode)
		}
		if _, err := e.accounts.FindAccountByID(ctx, a4.ID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("after delete: %v", err)
		}
	})

	t.Run("Pages", func(t *testing.T) {
		for i := range 25 {
			e.mustAccount(&linkhub.Account{ProfileID: jp.ID, OriginOwnerID: fmt.Sprintf("bulk-%02d", i), Values: jv}, e.jamf.ClientSecret)
		}
		seen := map[string]bool{}
		path, pages := "/admin/accounts?profile="+jp.ID, 0
		for path != "" {
			_, doc := e.b.get(path)
			doc.Find(`[data-testid="account-owner"]`).Each(func(_ int, s *goquery.Selection) { seen[s.Text()] = true })
			path, _ = doc.Find(`[data-testid="next-page"]`).Attr("href")
			pages++
		}
		if pages != 2 || len(seen) != 28 {
			t.Errorf("got %d pages, %d accounts; want 2 and 28", pages, len(seen))
		}
	})

	t.Run("Audit", func(t *testing.T) {
		got := e.auditActions()
		for _, want := range []string{"account.tested", "account.disabled", "account.enabled", "account.deleted"} {
			if !slices.Contains(got, want) {
				t.Errorf("audit log %v lacks %s", got, want)
			}
		}
	})
}

func contains(s, sub string) bool { return sub != "" && strings.Contains(s, sub) }
