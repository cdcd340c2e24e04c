package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// TestHub_OpenToken: /connect opens a hub session with the token and sends
// the browser to the token-free hub URL, whose picker lists the session's
// profiles; neither is cached. An expired link is a 410 and an unknown one a
// 404, both with the expired page. No database: that each open makes a new
// hub session is TestConnectSessionService's.
func TestHub_OpenToken(t *testing.T) {
	t.Parallel()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := newMockEnv(t, web.Config{})
		e.withHubSession(nil)
		e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"), hubaProfile("p2", "sophos", "Sophos"))
		resp, _ := e.get("/connect?token=" + mockHubToken)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/hub/"+mockHubHandle {
			t.Fatalf("open: got %d to %q, want 303 to /hub/%s", resp.StatusCode, loc, mockHubHandle)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("open: got Cache-Control %q, want no-store", cc)
		}
		resp, doc := e.get("/hub/" + mockHubHandle)
		if n := doc.Find(`[data-testid="profiles"] li`).Length(); resp.StatusCode != http.StatusOK || n != 2 {
			t.Errorf("picker: got %d with %d profiles, want 200 with 2", resp.StatusCode, n)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("picker: got Cache-Control %q, want no-store", cc)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		t.Parallel()
		e := newMockEnv(t, web.Config{})
		expired := linkhub.Errorf(linkhub.EEXPIRED, "This link has expired.")
		e.connectSessions.OpenHubSessionFn = func(context.Context, string) (string, *linkhub.ConnectSession, error) {
			return "", nil, expired
		}
		e.connectSessions.FindHubSessionFn = func(context.Context, string) (*linkhub.ConnectSession, error) { return nil, expired }
		for _, path := range []string{"/connect?token=" + mockHubToken, "/hub/" + mockHubHandle} {
			resp, doc := e.get(path)
			if resp.StatusCode != http.StatusGone || doc.Find(`[data-testid="expired"]`).Length() != 1 {
				t.Errorf("%s: got %d, want 410 with the expired page", path, resp.StatusCode)
			}
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		t.Parallel()
		e := newMockEnv(t, web.Config{})
		e.withHubSession(nil)
		for _, path := range []string{"/connect?token=nope", "/connect", "/hub/nope", "/hub/nope/profiles/x"} {
			resp, doc := e.get(path)
			if resp.StatusCode != http.StatusNotFound || doc.Find(`[data-testid="expired"]`).Length() != 1 {
				t.Errorf("%s: got %d, want 404 with the expired page", path, resp.StatusCode)
			}
		}
	})
}

// TestHub_CSP: a hub page may be framed by the session's embed origin, and
// only it, when the settings allow that origin, which then receives the
// page's messages; a standalone session's may not be framed at all.
func TestHub_CSP(t *testing.T) {
	t.Parallel()
	for name, origin := range map[string]string{"Standalone": "", "Embedded": hubaOrigin} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newMockEnv(t, web.Config{})
			e.hubaEmbedding()
			cs := mockSession()
			cs.EmbedOrigin = origin
			e.withHubSession(cs)
			e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"))
			want := "frame-ancestors 'none'"
			if origin != "" {
				want = "frame-ancestors " + origin
			}
			_, doc := e.hubaFormOf("/hub/" + mockHubHandle)
			resp, _ := e.get("/hub/" + mockHubHandle + "/profiles/p1")
			csp := resp.Header.Get("Content-Security-Policy")
			if !strings.HasSuffix(csp, want) || strings.Count(csp, "frame-ancestors") != 1 || !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("got CSP %q, want the default policy ending in %q", csp, want)
			}
			target, ok := doc.Find("body").Attr("data-linkhub-target")
			if (origin == "" && ok) || (origin != "" && target != origin) {
				t.Errorf("got body data-linkhub-target %q (%v), want %q", target, ok, origin)
			}
		})
	}
}

// TestHub_CSPOriginRemovedBySettings: an embed origin the settings no longer
// allow may neither frame the hub nor receive its messages.
func TestHub_CSPOriginRemovedBySettings(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{}) // the default settings allow no origin
	cs := mockSession()
	cs.EmbedOrigin = hubaOrigin
	e.withHubSession(cs)
	e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"))
	_, doc := e.hubaFormOf("/hub/" + mockHubHandle)
	resp, _ := e.get("/hub/" + mockHubHandle + "/profiles/p1")
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors 'none'") {
		t.Errorf("got CSP %q, want frame-ancestors 'none' once the origin is no longer allowed", csp)
	}
	if _, ok := doc.Find("body").Attr("data-linkhub-target"); ok {
		t.Error("the removed origin still gets messages")
	}
}

// TestHub_JamfLink: the form has a password input for the secret and the
// guide beside it; its post hands the linking service what was typed (the
// secret apart) for this session and profile, and the success screen shows
// the vendor's version and tells the embedding page about the account at
// its exact origin. No page or log line shows the secret, the token or the
// handle: hub paths are logged with the handle hidden. What the link stores
// is TestService_SubmitStoresAccount's.
func TestHub_JamfLink(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.hidden = append(e.hidden, hubaSecret)
	e.hubaEmbedding()
	const handle, token = "hub-handle-5d1f8c2b9e7a", "connect-token-8a7b6c5d4e3f"
	cs := mockSession()
	cs.EmbedOrigin = hubaOrigin
	e.withHubSessionAt(handle, token, cs)
	p := hubaProfile("p1", "jamf", "Jamf")
	e.hubaOffer(nil, p)
	account := hubaAccount(p)
	subs := e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Linked, Account: account, Report: hubaJamfReport(nil)}, nil
	})

	resp, _ := e.get("/connect?token=" + token)
	hub := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || hub != "/hub/"+handle {
		t.Fatalf("open: got %d to %q, want 303 to the hub", resp.StatusCode, hub)
	}
	action, form := e.hubaFormOf(hub)
	if form.Find(`#f-client_secret[type="password"]`).Length() != 1 || form.Find(`[data-testid="guide"] ol li`).Length() == 0 {
		t.Fatal("form: want a password input for the secret and the guide beside it")
	}
	typed := hubaJamfForm(hubaSecret)
	resp, doc := e.post(action, typed)
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("got %d %q, want 200 and the success screen", resp.StatusCode, doc.Find("main").Text())
	}
	if got := subs.all(); len(got) != 1 {
		t.Fatalf("the service got %d submissions, want 1", len(got))
	} else {
		hubaCheckSubmission(t, got[0], cs, handle, p, typed)
	}
	if got := doc.Find(`[data-testid="summary"]`).Text(); !strings.Contains(got, "11.4.0-t1712345678") {
		t.Errorf("got summary %q, want the Jamf Pro version", got)
	}

	// The parent window is told, at its exact origin.
	success := doc.Find(`[data-testid="success"]`)
	var msg struct {
		Source, Type string
		Account      map[string]string
	}
	raw, _ := success.Attr("data-linkhub-message")
	if err := json.Unmarshal([]byte(raw), &msg); err != nil || msg.Source != "linkhub" || msg.Type != "success" ||
		msg.Account["id"] != account.ID || msg.Account["connector"] != "jamf" || msg.Account["profile_id"] != p.ID ||
		msg.Account["origin_owner_id"] != "org-1" {
		t.Errorf("got message %s, want success with the account", raw)
	}
	if target, _ := success.Attr("data-linkhub-target"); target != hubaOrigin {
		t.Errorf("got target %q, want %q", target, hubaOrigin)
	}

	logs := e.logs.String()
	for what, s := range map[string]string{"token": token, "handle": handle} {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain the %s", what)
		}
	}
	if !strings.Contains(logs, "/hub/[handle]") {
		t.Errorf("want hub requests logged with the handle hidden; got logs:\n%s", logs)
	}
}

// TestHub_JamfWrongSecret: a failed test is shown on the form again (200)
// with the failed stage, its title and the vendor's status, every value
// kept but the secret, and the embedding page is told the reason. What the
// failure stores is TestService_SubmitWrongSecret's.
func TestHub_JamfWrongSecret(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.hidden = append(e.hidden, hubaBadSecret)
	e.hubaEmbedding()
	cs := mockSession()
	cs.EmbedOrigin = hubaOrigin
	e.withHubSession(cs)
	p := hubaProfile("p1", "jamf", "Jamf")
	e.hubaOffer(nil, p)
	subs := e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Failed, Report: hubaJamfReport(hubaTokenRefused())}, nil
	})
	action, _ := e.hubaFormOf("/hub/" + mockHubHandle)

	typed := hubaJamfForm(hubaBadSecret)
	resp, doc := e.post(action, typed)
	failure := doc.Find(`[data-testid="failure"]`)
	if resp.StatusCode != http.StatusOK || failure.Length() != 1 {
		t.Fatalf("got %d, want 200 with the failure", resp.StatusCode)
	}
	if got := subs.all(); len(got) != 1 {
		t.Fatalf("the service got %d submissions, want 1", len(got))
	} else {
		hubaCheckSubmission(t, got[0], cs, mockHubHandle, p, typed)
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
	if v := doc.Find("#f-url").AttrOr("value", ""); v != typed.Get("url") {
		t.Errorf("got URL %q kept, want what was typed", v)
	}
	if v := doc.Find("#f-client_id").AttrOr("value", ""); v != hubaClientID {
		t.Errorf("got client id %q kept, want %q", v, hubaClientID)
	}
	if _, ok := doc.Find("#f-client_secret").Attr("value"); ok {
		t.Error("the secret input comes back with a value")
	}
	var msg struct {
		Type  string
		Error map[string]string
	}
	_ = json.Unmarshal([]byte(failure.AttrOr("data-linkhub-message", "")), &msg)
	if msg.Type != "error" || msg.Error["code"] != linkhub.ReasonBadCredentials || msg.Error["message"] == "" {
		t.Errorf("got message %+v, want an error with code %s", msg, linkhub.ReasonBadCredentials)
	}
}

// TestHub_SophosPartnerChoice: a test that found choices shows them, each
// posting to the held attempt; the choice goes to the service with the
// session and the client's address and links (the success screen names the
// tenant), and a held attempt that is gone is a 404 saying so. The hold
// and the link are TestService_SophosPartnerChoice's.
func TestHub_SophosPartnerChoice(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	cs := e.withHubSession(nil)
	p := hubaProfile("p1", "sophos", "Sophos")
	e.hubaOffer(nil, p)
	target, _ := e.linking.TargetFn(context.Background(), cs, p.ID)
	choices := []linkhub.Choice{
		{ID: "11111111-2222-4333-8444-555555555555", Name: "Acme GmbH", Metadata: map[string]string{"tenant_id": "11111111-2222-4333-8444-555555555555"}},
		{ID: "66666666-7777-4888-9999-000000000000", Name: "Globex Inc", Metadata: map[string]string{"tenant_id": "66666666-7777-4888-9999-000000000000"}},
		{ID: "partner", Name: "The whole partner level", Metadata: map[string]string{"level": "partner"}},
	}
	e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Choose, Target: target, AttemptID: "at-1", Choices: choices,
			Report: linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed}}}}, nil
	})
	chosen := choices[1]
	type choice struct{ session, attempt, choice, ip string }
	var got []choice
	e.linking.ChooseFn = func(_ context.Context, s *linkhub.ConnectSession, attemptID, choiceID, ip string) (*linking.Outcome, error) {
		got = append(got, choice{s.ID, attemptID, choiceID, ip})
		if len(got) > 1 {
			return nil, linking.ErrChoiceGone
		}
		a := &linkhub.Account{ID: "acc-1", ProfileID: p.ID, ConnectorID: "sophos", OriginOwnerID: "org-1",
			Metadata: map[string]string{"tenant_id": chosen.ID, "id_type": "partner"}}
		return &linking.Outcome{Kind: linking.Linked, Target: target, Account: a, Chosen: chosen.Name,
			Stored: &linkhub.AttemptReport{Stages: []linkhub.AttemptStage{{Name: "token", Status: "passed"}}}}, nil
	}
	action, _ := e.hubaFormOf("/hub/" + mockHubHandle)

	resp, doc := e.post(action, url.Values{"client_id": {"5c4b6a1e-8f2d-4e3a-b1c0-9d8e7f6a5b4c"}, "client_secret": {"sophos-secret"}, "submission": {"s1"}})
	list := doc.Find(`[data-testid="choices"]`)
	if resp.StatusCode != http.StatusOK || list.Find(`input[name="choice"]`).Length() != 3 ||
		list.Find(`input[value="partner"]`).Length() != 1 {
		t.Fatalf("got %d with %d choices, want 200 with 3: two tenants and partner level", resp.StatusCode, list.Find(`input[name="choice"]`).Length())
	}
	choose := list.AttrOr("action", "")
	if want := "/hub/" + mockHubHandle + "/attempts/at-1/choose"; choose != want {
		t.Errorf("got choices posting to %q, want %q", choose, want)
	}
	resp, doc = e.post(choose, url.Values{"choice": {chosen.ID}})
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("choose: got %d, want the success screen", resp.StatusCode)
	}
	if len(got) != 1 || got[0].session != cs.ID || got[0].attempt != "at-1" || got[0].choice != chosen.ID || got[0].ip == "" {
		t.Errorf("the service got %+v, want %s's choice of %s for at-1", got, cs.ID, chosen.ID)
	}
	if s := doc.Find(`[data-testid="summary"]`).Text(); !strings.Contains(s, chosen.Name) {
		t.Errorf("got summary %q, want the tenant chosen", s)
	}

	// A held attempt is used once.
	resp, doc = e.post(choose, url.Values{"choice": {chosen.ID}})
	if msg := doc.Find(`[data-testid="error-message"]`).Text(); resp.StatusCode != http.StatusNotFound || !strings.Contains(msg, "no longer available") {
		t.Errorf("second choose: got %d %q, want 404 saying the choice is gone", resp.StatusCode, msg)
	}
}

// TestHub_Relink: a relink session's form shows the account's values and
// says a blank secret keeps the stored one; a failure shows the form again,
// and a blank secret goes to the service as blank for the account. That a
// failure keeps the old credentials and a blank secret the stored one is
// TestService_SubmitRelink's.
func TestHub_Relink(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	cs := mockSession()
	p := hubaProfile("p1", "jamf", "Jamf")
	a := hubaAccount(p)
	a.Status = linkhub.AccountNeedsRelink
	cs.AccountID = a.ID
	e.withHubSession(cs)
	e.hubaOffer(a, p)
	var outcome *linking.Outcome
	subs := e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) { return outcome, nil })

	action, form := e.hubaFormOf("/hub/" + mockHubHandle)
	if v := form.Find("#f-url").AttrOr("value", ""); v != hubaJamfURL {
		t.Errorf("relink form: got URL %q, want the account's %q", v, hubaJamfURL)
	}
	if ph := form.Find("#f-client_secret").AttrOr("placeholder", ""); !strings.Contains(ph, "blank") {
		t.Errorf("relink form: got secret placeholder %q, want leave-blank-to-keep", ph)
	}

	t.Run("ErrFailure", func(t *testing.T) {
		outcome = &linking.Outcome{Kind: linking.Failed, Report: hubaJamfReport(hubaTokenRefused())}
		resp, doc := e.post(action, hubaJamfForm("not-the-secret"))
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="failure"]`).Length() != 1 {
			t.Fatalf("got %d, want 200 with the failure", resp.StatusCode)
		}
	})
	t.Run("OKBlankSecret", func(t *testing.T) {
		relinked := *a
		relinked.Status, relinked.CredentialVersion = linkhub.AccountActive, 2
		outcome = &linking.Outcome{Kind: linking.Linked, Account: &relinked, Report: hubaJamfReport(nil)}
		resp, doc := e.post(action, hubaJamfForm(""))
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
			t.Fatalf("got %d %q, want success", resp.StatusCode, doc.Find("main").Text())
		}
		all := subs.all()
		sub := all[len(all)-1]
		if sub.Target.Account == nil || sub.Target.Account.ID != a.ID || !sub.Form.Secrets["client_secret"].IsZero() {
			t.Errorf("the service got account %v and a secret, want %s's relink with the secret blank", sub.Target.Account, a.ID)
		}
	})
}

// hubaLimited answers a submission as the linking service does once the
// input is well-formed: it asks the limits, then fails the test.
func hubaLimited(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
	if !sub.Allow() {
		return &linking.Outcome{Kind: linking.Limited}, nil
	}
	return &linking.Outcome{Kind: linking.Failed, Report: hubaJamfReport(hubaTokenRefused())}, nil
}

// TestHub_RateLimit: past a session's tests the service is told no more may
// run, and the form comes back as a 429 saying so, the values kept. That a
// limited submission calls no vendor is TestService_Submit's.
func TestHub_RateLimit(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{HubLimits: web.HubLimits{PerSession: 2, PerIP: 100, Window: time.Hour}})
	e.withHubSession(nil)
	e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"))
	e.hubaSubmit(hubaLimited)
	action, _ := e.hubaFormOf("/hub/" + mockHubHandle)
	for i := range 2 {
		if _, doc := e.post(action, hubaJamfForm("wrong")); doc.Find(`[data-testid="failure"]`).Length() != 1 {
			t.Fatalf("attempt %d: want the failure", i+1)
		}
	}
	resp, doc := e.post(action, hubaJamfForm(hubaSecret))
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(doc.Find(`[role="alert"]`).Text(), "Too many attempts") {
		t.Errorf("got %d, want 429 with a clear message", resp.StatusCode)
	}
	if v := doc.Find("#f-client_id").AttrOr("value", ""); v != hubaClientID {
		t.Errorf("got client id %q kept, want %q", v, hubaClientID)
	}
}

// TestHub_RateLimitPerIP: the limit per address holds across connect
// sessions.
func TestHub_RateLimitPerIP(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{HubLimits: web.HubLimits{PerSession: 100, PerIP: 1, Window: time.Hour}})
	sessions := map[string]*linkhub.ConnectSession{"h1": mockSession(), "h2": mockSession()}
	sessions["h2"].ID = "cs-2"
	e.connectSessions.FindHubSessionFn = func(_ context.Context, handle string) (*linkhub.ConnectSession, error) {
		if cs, ok := sessions[handle]; ok {
			return cs, nil
		}
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
	}
	e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"))
	subs := e.hubaSubmit(hubaLimited)
	if _, doc := e.post("/hub/h1/profiles/p1/connect", hubaJamfForm("wrong")); doc.Find(`[data-testid="failure"]`).Length() != 1 {
		t.Fatal("first: want the failure")
	}
	if resp, _ := e.post("/hub/h2/profiles/p1/connect", hubaJamfForm("wrong")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("second session, same IP: got %d, want 429", resp.StatusCode)
	}
	if got := subs.all(); len(got) != 2 || got[1].Session.ID != "cs-2" {
		t.Errorf("the service got %d submissions, want the second from cs-2", len(got))
	}
}

// TestHub_Scope: the hub offers only the session's profiles: with one it
// goes straight to its form, and another's form or post is a 404. A post
// from another site is refused (403) before the service hears of it. Which
// profiles a session may use is TestService_Target's.
func TestHub_Scope(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.withHubSession(nil)
	e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"))
	subs := e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Failed, Report: hubaJamfReport(hubaTokenRefused())}, nil
	})
	hub := "/hub/" + mockHubHandle

	t.Run("OnlyTheSessionsProfiles", func(t *testing.T) {
		resp, _ := e.get(hub)
		if loc := resp.Header.Get("Location"); loc != hub+"/profiles/p1" {
			t.Errorf("got redirect to %q, want the only profile's form", loc)
		}
		if resp, _ := e.get(hub + "/profiles/p2"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another profile's form: got %d, want 404", resp.StatusCode)
		}
		if resp, doc := e.post(hub+"/profiles/p2/connect", url.Values{}); resp.StatusCode != http.StatusNotFound ||
			!strings.Contains(doc.Text(), "not part of this connection link") {
			t.Errorf("another profile's connect: got %d, want 404 saying so", resp.StatusCode)
		}
	})
	t.Run("ErrCrossSitePost", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.URL+hub+"/profiles/p1/connect", strings.NewReader(hubaJamfForm(hubaSecret).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		if resp, _ := e.do(req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("got %d, want 403", resp.StatusCode)
		}
	})
	if n := len(subs.all()); n != 0 {
		t.Errorf("the service got %d submissions, want none", n)
	}
}

// TestHub_RefusedPostLogsNoHandle: a refused cross-site post is logged
// without the hub session's handle.
func TestHub_RefusedPostLogsNoHandle(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	const handle = "hub-handle-9c8b7a6f5e4d"
	e.withHubSessionAt(handle, "connect-token-1a2b3c4d", mockSession())
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/hub/"+handle+"/profiles/x/connect", strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, _ := e.do(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("got %d, want 403", resp.StatusCode)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "cross-origin request refused") || strings.Contains(logs, handle) {
		t.Errorf("want the refusal logged without the handle; got:\n%s", logs)
	}
}

// TestHub_SophosPermissionHints: a failure's page gives the end user the
// stage's hint (whom to ask), never the admin's hint (the profile fix only
// an admin can make). The hints themselves and the admin hint kept in the
// attempt log are TestService_SophosPermissionHints's.
func TestHub_SophosPermissionHints(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.withHubSession(nil)
	e.hubaOffer(nil, hubaProfile("p1", "sophos", "Sophos"))
	failed := linkhub.Stage{Name: linkhub.StagePermissions, Status: linkhub.StatusFailed, HTTPStatus: http.StatusForbidden,
		Reason: linkhub.ReasonPermissionMissing,
		Hint: "List tenants needs a partner or organization credential. No role changes that: ask whoever sent you this link " +
			"to turn the action off for you, or use another credential.",
		AdminHint: "The profile enables List tenants, which this credential may not run. If your product does not need it, " +
			"turn it off on the profile (admin console, Profiles) so such credentials link."}
	e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Failed, Report: linkhub.Report{Stages: []linkhub.Stage{
			{Name: linkhub.StageToken, Status: linkhub.StatusPassed}, failed}}}, nil
	})
	resp, doc := e.post("/hub/"+mockHubHandle+"/profiles/p1/connect",
		url.Values{"client_id": {"5c4b6a1e-8f2d-4e3a-b1c0-9d8e7f6a5b4c"}, "client_secret": {"sophos-secret"}, "submission": {"s1"}})
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
}
