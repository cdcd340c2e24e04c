package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

func TestHub_OpenToken(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	env.MustProfile(t, "sophos", "Sophos")

	t.Run("OK", func(t *testing.T) {
		tok := env.MustToken(t, nil)
		first, second := env.MustOpen(t, tok), env.MustOpen(t, tok)
		if first == second {
			t.Errorf("got the same hub path twice, want a new hub session per open")
		}
		resp, doc := env.get(t, first)
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="profiles"] li`).Length() != 2 {
			t.Errorf("picker: got %d with %d profiles, want 200 with 2", resp.StatusCode, doc.Find(`[data-testid="profiles"] li`).Length())
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("got Cache-Control %q, want no-store", cc)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		tok := env.MustToken(t, map[string]any{"expires_in": 60})
		hub := env.MustOpen(t, tok)
		if _, err := env.db.Pool.Exec(context.Background(), `UPDATE connect_sessions SET expires_at = now() - interval '1 second'`); err != nil {
			t.Fatal(err)
		}
		if _, err := env.db.Pool.Exec(context.Background(), `UPDATE hub_sessions SET expires_at = now() - interval '1 second'`); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/connect?token=" + tok, hub} {
			resp, doc := env.get(t, path)
			if resp.StatusCode != http.StatusGone || doc.Find(`[data-testid="expired"]`).Length() != 1 {
				t.Errorf("%s: got %d, want 410 with the expired page", path, resp.StatusCode)
			}
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		for _, path := range []string{"/connect?token=nope", "/connect", "/hub/nope", "/hub/nope/profiles/x"} {
			resp, doc := env.get(t, path)
			if resp.StatusCode != http.StatusNotFound || doc.Find(`[data-testid="expired"]`).Length() != 1 {
				t.Errorf("%s: got %d, want 404 with the expired page", path, resp.StatusCode)
			}
		}
	})
}

func TestHub_CSP(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	for name, tt := range map[string]struct {
		extra map[string]any
		want  string
	}{
		"Standalone": {nil, "frame-ancestors 'none'"},
		"Embedded":   {map[string]any{"embed_origin": embedOrigin}, "frame-ancestors " + embedOrigin},
	} {
		t.Run(name, func(t *testing.T) {
			hub := env.MustOpen(t, env.MustToken(t, tt.extra))
			resp, _ := env.get(t, hub)
			resp, doc := env.get(t, resp.Header.Get("Location"))
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.HasSuffix(csp, tt.want) || strings.Count(csp, "frame-ancestors") != 1 || !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("got CSP %q, want the default policy ending in %q", csp, tt.want)
			}
			target, ok := doc.Find("body").Attr("data-linkhub-target")
			if want := tt.extra["embed_origin"]; (want == nil && ok) || (want != nil && target != want) {
				t.Errorf("got body data-linkhub-target %q (%v), want %v", target, ok, want)
			}
		})
	}
}

func TestHub_CSPOriginRemovedBySettings(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	hub := env.MustOpen(t, env.MustToken(t, map[string]any{"embed_origin": embedOrigin}))
	if _, err := env.settings.UpdateSettings(context.Background(), linkhub.SystemActor, linkhub.DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	resp, _ := env.get(t, hub)
	resp, doc := env.get(t, resp.Header.Get("Location"))
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'none'") {
		t.Errorf("got CSP %q, want frame-ancestors 'none' once the origin is no longer allowed", csp)
	}
	if _, ok := doc.Find("body").Attr("data-linkhub-target"); ok {
		t.Error("the removed origin still gets messages")
	}
}

func TestHub_JamfLink(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	p := env.MustProfile(t, "jamf", "Jamf", "list_computers")
	tok := env.MustToken(t, map[string]any{"embed_origin": embedOrigin, "metadata": map[string]any{"plan": "pro"}, "label": "Main"})
	hub := env.MustOpen(t, tok)
	action, form := env.formOf(t, hub)
	if form.Find(`#f-client_secret[type="password"]`).Length() != 1 || form.Find(`[data-testid="guide"] ol li`).Length() == 0 {
		t.Fatal("form: want a password input for the secret and the guide beside it")
	}

	resp, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("got %d %q, want 200 and the success screen", resp.StatusCode, doc.Find("main").Text())
	}
	if got := doc.Find(`[data-testid="summary"]`).Text(); !strings.Contains(got, env.jamf.Version) {
		t.Errorf("got summary %q, want the Jamf Pro version", got)
	}
	accounts := env.allAccounts(t)
	if len(accounts) != 1 {
		t.Fatalf("got %d accounts, want 1", len(accounts))
	}
	a := accounts[0]
	if a.ProfileID != p.ID || a.OriginOwnerID != "owner-1" || a.OriginOwnerName != "Owner One" || a.Label != "Main" ||
		a.Values["url"] != env.jamf.URL || a.Values["client_id"] != env.jamf.ClientID ||
		a.Metadata["jamf_version"] != env.jamf.Version || a.SessionMetadata["plan"] != "pro" {
		t.Errorf("got account %+v, want owner-1's with the tidy URL, client id, jamf_version and session metadata", a)
	}
	if _, ok := a.Values["client_secret"]; ok {
		t.Error("the secret is stored among the values")
	}

	// The secret is sealed: no row of the secrets table holds it in clear.
	var n int
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM secrets WHERE owner_id = $1`, a.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("got %d sealed secrets (%v), want 1", n, err)
	}
	rows, _ := env.db.Pool.Query(context.Background(), `SELECT sealed FROM secrets`)
	for rows.Next() {
		var sealed []byte
		_ = rows.Scan(&sealed)
		if bytes.Contains(sealed, []byte(env.jamf.ClientSecret)) {
			t.Error("a sealed secret contains the plaintext")
		}
	}
	rows.Close()
	got, err := env.accounts.FindAccountSecrets(context.Background(), a.ID)
	if err != nil || got["client_secret"].Reveal() != env.jamf.ClientSecret {
		t.Errorf("stored secret does not open to the client secret (%v)", err)
	}

	// The parent window is told, at its exact origin.
	success := doc.Find(`[data-testid="success"]`)
	var msg struct {
		Source, Type string
		Account      map[string]string
	}
	raw, _ := success.Attr("data-linkhub-message")
	if err := json.Unmarshal([]byte(raw), &msg); err != nil || msg.Source != "linkhub" || msg.Type != "success" ||
		msg.Account["id"] != a.ID || msg.Account["connector"] != "jamf" || msg.Account["profile_id"] != p.ID ||
		msg.Account["origin_owner_id"] != "owner-1" {
		t.Errorf("got message %s, want success with the account", raw)
	}
	if target, _ := success.Attr("data-linkhub-target"); target != embedOrigin {
		t.Errorf("got target %q, want %q", target, embedOrigin)
	}

	// The attempt is recorded, without the secret.
	var report string
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT report::text FROM attempts WHERE status = 'succeeded' AND account_id = $1`, a.ID).Scan(&report); err != nil {
		t.Fatalf("no succeeded attempt: %v", err)
	}
	if strings.Contains(report, env.jamf.ClientSecret) {
		t.Error("the attempt report contains the secret")
	}

	// Nothing secret reaches the logs: not the client secret, the token or the handle.
	logs := env.logs.String()
	for what, s := range map[string]string{"client secret": env.jamf.ClientSecret, "token": tok, "handle": strings.TrimPrefix(hub, "/hub/")} {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain the %s", what)
		}
	}
	var audited, actor string
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT action, actor_kind || ':' || actor_id FROM audit_log WHERE target_id = $1`, a.ID).Scan(&audited, &actor); err != nil ||
		audited != linkhub.ActionAccountLinked || actor != "end_user:owner-1" {
		t.Errorf("got audit %q by %q (%v), want account.linked by end_user:owner-1", audited, actor, err)
	}
	if !strings.Contains(logs, "/hub/[handle]") {
		t.Errorf("want hub requests logged with the handle hidden; got logs:\n%s", logs)
	}
}

func TestHub_JamfWrongSecret(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	hub := env.MustOpen(t, env.MustToken(t, map[string]any{"embed_origin": embedOrigin}))
	action, _ := env.formOf(t, hub)

	resp, doc := env.post(t, action, env.jamfForm("wrong-secret-value"))
	failure := doc.Find(`[data-testid="failure"]`)
	if resp.StatusCode != http.StatusOK || failure.Length() != 1 {
		t.Fatalf("got %d, want 200 with the failure", resp.StatusCode)
	}
	if st := failure.Find(`[data-stage="token"]`).AttrOr("data-status", ""); st != "failed" {
		t.Errorf("got token stage %q, want failed", st)
	}
	if got := strings.TrimSpace(failure.Find(`[data-testid="failed-stage"]`).Text()); got != "Sign-in with the client credentials" {
		t.Errorf("got failed stage %q, want the token stage", got)
	}
	if got := failure.Find(`[data-testid="failed-status"]`).Text(); got != "401" {
		t.Errorf("got status %q, want 401", got)
	}
	if v := doc.Find("#f-url").AttrOr("value", ""); strings.TrimSpace(v) != env.jamf.URL+"/index.html" {
		t.Errorf("got URL %q kept, want what was typed", v)
	}
	if v := doc.Find("#f-client_id").AttrOr("value", ""); v != env.jamf.ClientID {
		t.Errorf("got client id %q kept, want %q", v, env.jamf.ClientID)
	}
	if _, ok := doc.Find("#f-client_secret").Attr("value"); ok || strings.Contains(doc.Text(), "wrong-secret-value") {
		t.Error("the secret comes back in the page")
	}
	var msg struct {
		Type  string
		Error map[string]string
	}
	_ = json.Unmarshal([]byte(failure.AttrOr("data-linkhub-message", "")), &msg)
	if msg.Type != "error" || msg.Error["code"] != linkhub.ReasonBadCredentials || msg.Error["message"] == "" {
		t.Errorf("got message %+v, want an error with code %s", msg, linkhub.ReasonBadCredentials)
	}
	if n := len(env.allAccounts(t)); n != 0 {
		t.Errorf("got %d accounts, want none", n)
	}
	var status, stage, reason string
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT status, stage, reason FROM attempts`).Scan(&status, &stage, &reason); err != nil {
		t.Fatal(err)
	}
	if status != "failed" || stage != "token" || reason != linkhub.ReasonBadCredentials {
		t.Errorf("got attempt %s/%s/%s, want failed/token/%s", status, stage, reason, linkhub.ReasonBadCredentials)
	}
	var n int
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM secrets`).Scan(&n)
	if n != 0 {
		t.Errorf("got %d stored secrets, want none", n)
	}
}

func TestHub_SophosPartnerChoice(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.sophos.AsPartner()
	env.MustProfile(t, "sophos", "Sophos")
	// Two links allowed, so the second choose below meets the used attempt,
	// not the spent session.
	hub := env.MustOpen(t, env.MustToken(t, map[string]any{"connector": "sophos", "max_links": 2}))
	action, _ := env.formOf(t, hub)

	resp, doc := env.post(t, action, url.Values{"client_id": {env.sophos.ClientID}, "client_secret": {env.sophos.ClientSecret}})
	choices := doc.Find(`[data-testid="choices"]`)
	if resp.StatusCode != http.StatusOK || choices.Find(`input[name="choice"]`).Length() != 3 ||
		choices.Find(`input[value="partner"]`).Length() != 1 {
		t.Fatalf("got %d with %d choices, want 200 with 3: two tenants and partner level", resp.StatusCode, choices.Find(`input[name="choice"]`).Length())
	}
	if n := len(env.allAccounts(t)); n != 0 {
		t.Fatalf("got %d accounts before the choice, want none", n)
	}
	var sealed int
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM secrets WHERE owner_kind = 'attempt'`).Scan(&sealed)
	if sealed != 1 {
		t.Errorf("got %d held secrets, want 1 sealed while the user chooses", sealed)
	}

	chosen := env.sophos.Tenants[1]
	choose := choices.AttrOr("action", "")
	resp, doc = env.post(t, choose, url.Values{"choice": {chosen.ID}})
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("choose: got %d, want the success screen", resp.StatusCode)
	}
	accounts := env.allAccounts(t)
	if len(accounts) != 1 || accounts[0].Metadata["tenant_id"] != chosen.ID || accounts[0].Metadata["id_type"] != "partner" {
		t.Fatalf("got %v, want one account linked to tenant %s", accounts, chosen.ID)
	}
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM secrets WHERE owner_kind = 'attempt'`).Scan(&sealed)
	if sealed != 0 {
		t.Errorf("got %d held secrets after the choice, want none", sealed)
	}

	// A held attempt is used once.
	resp, _ = env.post(t, choose, url.Values{"choice": {chosen.ID}})
	if resp.StatusCode != http.StatusNotFound || len(env.allAccounts(t)) != 1 {
		t.Errorf("second choose: got %d, want 404 and still one account", resp.StatusCode)
	}
}

func TestHub_Relink(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	if resp, _ := env.post(t, action, env.jamfForm(env.jamf.ClientSecret)); resp.StatusCode != http.StatusOK {
		t.Fatalf("link: got %d", resp.StatusCode)
	}
	a := env.allAccounts(t)[0]
	ctx := context.Background()
	if _, err := env.accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials); err != nil {
		t.Fatal(err)
	}

	hub := env.MustOpen(t, env.MustToken(t, map[string]any{"account_id": a.ID}))
	action, form := env.formOf(t, hub)
	if v := form.Find("#f-url").AttrOr("value", ""); v != env.jamf.URL {
		t.Errorf("relink form: got URL %q, want the account's %q", v, env.jamf.URL)
	}
	if ph := form.Find("#f-client_secret").AttrOr("placeholder", ""); !strings.Contains(ph, "blank") {
		t.Errorf("relink form: got secret placeholder %q, want leave-blank-to-keep", ph)
	}

	t.Run("ErrFailureKeepsOldCredentials", func(t *testing.T) {
		form := env.jamfForm("not-the-secret")
		resp, doc := env.post(t, action, form)
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="failure"]`).Length() != 1 {
			t.Fatalf("got %d, want 200 with the failure", resp.StatusCode)
		}
		got, _ := env.accounts.FindAccountByID(ctx, a.ID)
		secrets, _ := env.accounts.FindAccountSecrets(ctx, a.ID)
		if got.CredentialVersion != 1 || secrets["client_secret"].Reveal() != env.jamf.ClientSecret {
			t.Errorf("got version %d, want 1 and the old secret kept", got.CredentialVersion)
		}
	})
	t.Run("OKBlankSecretKeepsStored", func(t *testing.T) {
		resp, doc := env.post(t, action, env.jamfForm(""))
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
			t.Fatalf("got %d %q, want success", resp.StatusCode, doc.Find("main").Text())
		}
		got, _ := env.accounts.FindAccountByID(ctx, a.ID)
		secrets, _ := env.accounts.FindAccountSecrets(ctx, a.ID)
		if got.CredentialVersion != 2 || got.Status != linkhub.AccountActive || secrets["client_secret"].Reveal() != env.jamf.ClientSecret {
			t.Errorf("got version %d status %s, want 2, active, secret kept", got.CredentialVersion, got.Status)
		}
		if n := len(env.allAccounts(t)); n != 1 {
			t.Errorf("got %d accounts, want the one relinked", n)
		}
	})
}

func TestHub_RateLimit(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{PerSession: 2, PerIP: 100, Window: time.Hour})
	env.MustProfile(t, "jamf", "Jamf")
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	for i := 0; i < 2; i++ {
		if _, doc := env.post(t, action, env.jamfForm("wrong")); doc.Find(`[data-testid="failure"]`).Length() != 1 {
			t.Fatalf("attempt %d: want the failure", i+1)
		}
	}
	before := env.jamf.TokenRequests()
	resp, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(doc.Find(`[role="alert"]`).Text(), "Too many attempts") {
		t.Errorf("got %d, want 429 with a clear message", resp.StatusCode)
	}
	if got := env.jamf.TokenRequests(); got != before {
		t.Errorf("got %d token requests, want %d: no vendor call when limited", got, before)
	}
	if v := doc.Find("#f-client_id").AttrOr("value", ""); v != env.jamf.ClientID {
		t.Errorf("got client id %q kept, want %q", v, env.jamf.ClientID)
	}

}

func TestHub_RateLimitPerIP(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{PerSession: 100, PerIP: 1, Window: time.Hour})
	env.MustProfile(t, "jamf", "Jamf")
	first, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	second, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	if _, doc := env.post(t, first, env.jamfForm("wrong")); doc.Find(`[data-testid="failure"]`).Length() != 1 {
		t.Fatal("first: want the failure")
	}
	before := env.jamf.TokenRequests()
	if resp, _ := env.post(t, second, env.jamfForm("wrong")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("second session, same IP: got %d, want 429", resp.StatusCode)
	}
	if env.jamf.TokenRequests() != before {
		t.Error("the vendor was called while limited")
	}
}

func TestHub_Scope(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	j := env.MustProfile(t, "jamf", "Jamf")
	s := env.MustProfile(t, "sophos", "Sophos")
	hub := env.MustOpen(t, env.MustToken(t, map[string]any{"profile_ids": []string{j.ID}}))

	t.Run("OnlyTheSessionsProfiles", func(t *testing.T) {
		resp, _ := env.get(t, hub)
		if loc := resp.Header.Get("Location"); loc != hub+"/profiles/"+j.ID {
			t.Errorf("got redirect to %q, want the only profile's form", loc)
		}
		if resp, _ := env.get(t, hub+"/profiles/"+s.ID); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another profile's form: got %d, want 404", resp.StatusCode)
		}
		if resp, _ := env.post(t, hub+"/profiles/"+s.ID+"/connect", url.Values{}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another profile's connect: got %d, want 404", resp.StatusCode)
		}
	})
	t.Run("ErrCrossSitePost", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, env.srv.URL+hub+"/profiles/"+j.ID+"/connect", strings.NewReader(env.jamfForm(env.jamf.ClientSecret).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := env.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || env.jamf.TokenRequests() != 0 || len(env.allAccounts(t)) != 0 {
			t.Errorf("got %d with %d vendor calls, want 403 and none", resp.StatusCode, env.jamf.TokenRequests())
		}
	})
}

func TestHub_RefusedPostLogsNoHandle(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	hub := env.MustOpen(t, env.MustToken(t, nil))
	req, _ := http.NewRequest(http.MethodPost, env.srv.URL+hub+"/profiles/x/connect", strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := env.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	logs := env.logs.String()
	if !strings.Contains(logs, "cross-origin request refused") || strings.Contains(logs, strings.TrimPrefix(hub, "/hub/")) {
		t.Errorf("want the refusal logged without the handle; got:\n%s", logs)
	}
}

// TestHub_SophosPermissionHints: a tenant credential under a profile that
// enables List tenants fails, and the end user reads what they can do (ask
// whoever sent the link), never the profile fix only an admin can make;
// that fix is kept in the attempt log.
func TestHub_SophosPermissionHints(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "sophos", "Sophos", "list_endpoints", "list_tenants")
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, map[string]any{"connector": "sophos"})))
	resp, doc := env.post(t, action, url.Values{"client_id": {env.sophos.ClientID}, "client_secret": {env.sophos.ClientSecret}})
	page := doc.Find("main").Text()
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="failure"]`).Length() != 1 ||
		!strings.Contains(page, "ask whoever sent you this link") {
		t.Fatalf("got %d %q, want the failure telling whom to ask", resp.StatusCode, page)
	}
	for _, adminOnly := range []string{"turn it off on the profile", "admin console", "disable the actions"} {
		if strings.Contains(page, adminOnly) {
			t.Errorf("the end user's page says %q, a fix only an admin can make", adminOnly)
		}
	}
	var report string
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT report::text FROM attempts`).Scan(&report); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report, `"admin_hint"`) || !strings.Contains(report, "turn it off on the profile") {
		t.Errorf("got attempt report %s, want the admin hint kept", report)
	}
}
