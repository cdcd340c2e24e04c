package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// miscJamfTarget is profile p1 of the real Jamf Pro connector, as the
// linking service's Target answers it.
func miscJamfTarget(t testing.TB) *linking.Target {
	t.Helper()
	return miscTarget(t, "jamf", "Jamf Pro")
}

// miscTarget is profile p1, named name, of the real connector connectorID.
func miscTarget(t testing.TB, connectorID, name string) *linking.Target {
	t.Helper()
	conn, ok := connector.NewRegistry(connector.Config{}).Get(connectorID)
	if !ok {
		t.Fatalf("no connector %s", connectorID)
	}
	return &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: connectorID, Name: name, Enabled: true}, Connector: conn}
}

// miscAccount is the account org-1 linked on profile p1.
func miscAccount() *linkhub.Account {
	return &linkhub.Account{ID: "a1", ProfileID: "p1", ConnectorID: "jamf", OriginOwnerID: "org-1", OriginOwnerName: "Org 1",
		Values: map[string]string{"url": "https://acme.jamfcloud.com", "client_id": "cid"}, CreatedAt: time.Now()}
}

// miscAllowEmbed makes embedOrigin the one origin the settings allow.
func miscAllowEmbed(env *mockEnv) {
	env.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		s.EmbedOrigins = []string{embedOrigin}
		return &s, nil
	}
}

// miscHubTarget makes target the one profile of hub session h1.
func miscHubTarget(env *mockEnv, target *linking.Target) {
	env.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
		if id != target.Profile.ID {
			return nil, linking.ErrNotAllowed
		}
		return target, nil
	}
}

// TestHub_InputErrors: what the fields' rules or the connector's own check
// found is the user's to fix: a summary linking to each field, a message
// beside it (worded for its kind: missing, not a UUID; the connector's
// words as they come), no message to the host page; and a submission that
// the service found invalid (it never asked the limiter) leaves the
// session's one test for the next. The service hands back such outcomes
// without a vendor call or an attempt: TestService_Submit_InputErrors
// (internal/linking). No database.
func TestHub_InputErrors(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{HubLimits: web.HubLimits{PerSession: 1, PerIP: 100, Window: time.Hour}})
	miscAllowEmbed(env)
	cs := mockSession()
	cs.EmbedOrigin = embedOrigin
	env.withHubSession(cs)
	target := miscJamfTarget(t)
	miscHubTarget(env, target)
	var got []linking.Submission
	env.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		got = append(got, sub)
		if sub.Form.Values["url"] == "" {
			return &linking.Outcome{Kind: linking.Invalid, Target: target, FieldRules: true, FieldErrors: map[string]string{
				"url": "URL is required.", "client_id": "Client ID is required.", "client_secret": "Client secret is required."}}, nil
		}
		if !sub.Allow() {
			return &linking.Outcome{Kind: linking.Limited, Target: target}, nil
		}
		return &linking.Outcome{Kind: linking.Linked, Target: target, Account: miscAccount()}, nil
	}
	const action = "/hub/h1/profiles/p1/connect"
	for i := 0; i < 11; i++ {
		resp, doc := env.post(action, url.Values{"url": {""}, "client_id": {"  "}, "client_secret": {""}, "submission": {"s1"}})
		summary := doc.Find(`[data-testid="error-summary"]`)
		if resp.StatusCode != http.StatusOK || summary.Length() != 1 {
			t.Fatalf("empty submit %d: got %d, want 200 with the error summary", i+1, resp.StatusCode)
		}
		if i > 0 {
			continue
		}
		if sub := got[0]; sub.Form.Values["url"] != "" || sub.Form.Values["client_id"] != "  " || sub.Form.Secrets["client_secret"].Reveal() != "" {
			t.Errorf("the service got %+v, want the form as typed", sub.Form)
		}
		var links []string
		summary.Find("a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
		if want := "#f-url #f-client_id #f-client_secret"; strings.Join(links, " ") != want {
			t.Errorf("got summary links %v, want %s", links, want)
		}
		for _, id := range []string{"url", "client_id", "client_secret"} {
			if doc.Find("#f-"+id).AttrOr("aria-invalid", "") != "true" || !strings.Contains(doc.Find(`[data-testid="error-`+id+`"]`).Text(), "required") {
				t.Errorf("%s: want aria-invalid and its message beside it", id)
			}
		}
		if doc.Find(`[data-testid="failure"]`).Length() != 0 || doc.Find(`[data-linkhub-message]`).Length() != 0 {
			t.Error("an input error shows the vendor failure or tells the host page")
		}
	}
	// The session's one test is still there.
	resp, doc := env.post(action, url.Values{"url": {"https://acme.jamfcloud.com"}, "client_id": {"cid"}, "client_secret": {"s3cret"}})
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Errorf("got %d, want the account linked with the test the input errors did not use", resp.StatusCode)
	}

	// Malformed: a Sophos client ID that is not a UUID, worded for its kind.
	sophos := miscTarget(t, "sophos", "Sophos Central")
	miscHubTarget(env, sophos)
	env.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		if sub.Form.Values["client_id"] != "nope" {
			t.Errorf("the service got client_id %q, want nope", sub.Form.Values["client_id"])
		}
		return &linking.Outcome{Kind: linking.Invalid, Target: sophos, FieldRules: true,
			FieldErrors: map[string]string{"client_id": "Client ID must be a UUID."}}, nil
	}
	_, doc = env.post(action, url.Values{"client_id": {"nope"}, "client_secret": {"x"}})
	if !strings.Contains(doc.Find(`[data-testid="error-client_id"]`).Text(), "UUID") || doc.Find(`[data-testid="error-summary"] a[href="#f-client_id"]`).Length() != 1 {
		t.Errorf("malformed client id: got %q, want the UUID message, linked from the summary", doc.Find(`[data-testid="error-client_id"]`).Text())
	}
	// Malformed for its connector: Jamf's own words about an address with a
	// user name in it.
	miscHubTarget(env, target)
	const jamfWords = "Remove the user name or password from the address; the API client ID and secret go in their own fields."
	env.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Invalid, Target: target, FieldErrors: map[string]string{"url": jamfWords}}, nil
	}
	_, doc = env.post(action, url.Values{"url": {"https://admin:pw@acme.jamfcloud.com"}, "client_id": {"x"}, "client_secret": {"x"}})
	if !strings.Contains(doc.Find(`[data-testid="error-url"]`).Text(), jamfWords) || doc.Find(`[data-testid="error-summary"] a[href="#f-url"]`).Length() != 1 {
		t.Errorf("malformed Jamf address: got %q, want Jamf's message, linked from the summary", doc.Find(`[data-testid="error-url"]`).Text())
	}
}

// TestHub_VendorFailureWords: a vendor's refusal leads with plain words and
// the fix; the technical detail (HTTP status, every stage) waits collapsed;
// the secret to paste again is marked, the kept client ID is not. What
// Jamf Pro's refusal of a wrong secret reports is TestJamf_Test's
// (internal/connector/engine). No database.
func TestHub_VendorFailureWords(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{})
	env.withHubSession(nil)
	target := miscJamfTarget(t)
	miscHubTarget(env, target)
	report := linkhub.Report{Stages: []linkhub.Stage{
		{Name: linkhub.StageValidate, Status: linkhub.StatusPassed}, {Name: linkhub.StageAddress, Status: linkhub.StatusPassed},
		{Name: linkhub.StageToken, Status: linkhub.StatusFailed, HTTPStatus: 401, Reason: linkhub.ReasonBadCredentials,
			Hint: "Jamf Pro refused the client ID or secret. Check both in Jamf Pro under API Clients.", Snippet: `{"error":"invalid_client"}`},
		{Name: linkhub.StageVerify, Status: linkhub.StatusSkipped}, {Name: linkhub.StagePermissions, Status: linkhub.StatusSkipped}}}
	env.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		if sub.Form.Secrets["client_secret"].Reveal() != "wrong-secret-value" {
			t.Errorf("the service got secret %q", sub.Form.Secrets["client_secret"].Reveal())
		}
		return &linking.Outcome{Kind: linking.Failed, Target: target, Report: report}, nil
	}
	env.hidden = append(env.hidden, "wrong-secret-value")
	_, doc := env.post("/hub/h1/profiles/p1/connect", url.Values{"url": {"https://acme.jamfcloud.com"}, "client_id": {"cid"},
		"client_secret": {"wrong-secret-value"}, "submission": {"s1"}})
	failure := doc.Find(`[data-testid="failure"]`)
	if got := failure.Find(`[data-testid="failure-headline"]`).Text(); got != "Signing in with these credentials did not work" {
		t.Errorf("got headline %q, want plain words", got)
	}
	first := failure.Children().Eq(1)
	if first.AttrOr("data-testid", "") != "failed-hint" || !strings.Contains(first.Text(), "API Clients") {
		t.Errorf("got %q after the headline, want the fix", first.Text())
	}
	details := failure.Find(`details[data-testid="it-details"]`)
	if _, open := details.Attr("open"); details.Length() != 1 || open || !strings.Contains(details.Find("summary").Text(), "Details for your IT team") {
		t.Error("want the technical detail in a collapsed Details for your IT team")
	}
	if details.Find(`[data-testid="failed-status"]`).Text() != "401" || details.Find(`[data-stage]`).Length() != 5 {
		t.Error("want the HTTP status and the stages inside the details")
	}
	if doc.Find("#f-client_secret").AttrOr("aria-invalid", "") != "true" || !strings.Contains(doc.Find(`[data-testid="error-client_secret"]`).Text(), "Paste the client secret again") {
		t.Error("want the emptied secret marked for re-entry")
	}
	if doc.Find("#f-client_id").AttrOr("aria-invalid", "") != "false" || doc.Find("#f-client_id").AttrOr("value", "") != "cid" {
		t.Error("want the client ID kept and not marked invalid")
	}
}

// TestHub_Endings: the success screen's way out fits where the hub runs
// (embedded: Done; with a return_url: a link back; else words to close the
// tab), the form's header matches, an unknown link is not called expired,
// and a relink's secret is optional. No database.
func TestHub_Endings(t *testing.T) {
	t.Parallel()
	returnURL := embedOrigin + "/integrations"
	for name, tt := range map[string]struct {
		embedOrigin, returnURL string
		want, none             string
	}{
		"Embedded":  {embedOrigin, returnURL, `[data-testid="done"]`, `[data-testid="back-to-product"]`},
		"ReturnURL": {"", returnURL, `[data-testid="return"]`, `[data-testid="done"]`},
		"NoWayBack": {"", "", `[data-testid="standalone-done"]`, `[data-testid="done"]`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newMockEnv(t, web.Config{})
			miscAllowEmbed(env)
			cs := mockSession()
			cs.EmbedOrigin, cs.ReturnURL = tt.embedOrigin, tt.returnURL
			env.withHubSession(cs)
			target := miscJamfTarget(t)
			miscHubTarget(env, target)
			env.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) {
				return &linking.Outcome{Kind: linking.Linked, Target: target, Account: miscAccount()}, nil
			}
			_, form := env.get("/hub/h1/profiles/p1")
			if tt.returnURL != "" && tt.embedOrigin == "" {
				if a := form.Find(`[data-testid="back-to-product"]`); a.AttrOr("href", "") != returnURL || a.Text() != "Back to Linkhub" {
					t.Errorf("got header link %q to %q, want Back to Linkhub to the return_url", a.Text(), a.AttrOr("href", ""))
				}
			} else if _, hidden := form.Find(`[data-testid="close"]`).Attr("hidden"); !hidden {
				t.Error("want Close hidden until hub.js knows it works")
			}
			_, doc := env.post("/hub/h1/profiles/p1/connect", url.Values{"submission": {"s1"}})
			if doc.Find(tt.want).Length() != 1 || doc.Find(tt.none).Length() != 0 {
				t.Errorf("got %q, want %s and no %s", doc.Find("main").Text(), tt.want, tt.none)
			}
		})
	}
	t.Run("UnknownIsNotExpired", func(t *testing.T) {
		t.Parallel()
		env := newMockEnv(t, web.Config{})
		env.withHubSession(nil)
		resp, doc := env.get("/hub/nope")
		if got := doc.Find("h1").Text(); resp.StatusCode != http.StatusNotFound || got != "This link does not work" {
			t.Errorf("got %d %q, want 404 and the unknown-link words", resp.StatusCode, got)
		}
	})
	t.Run("RelinkSecretOptional", func(t *testing.T) {
		t.Parallel()
		env := newMockEnv(t, web.Config{})
		cs := mockSession()
		cs.AccountID = "a1"
		env.withHubSession(cs)
		target := miscJamfTarget(t)
		target.Account = miscAccount()
		miscHubTarget(env, target)
		_, form := env.get("/hub/h1/profiles/p1")
		label := form.Find(`label[for="f-client_secret"]`).Text()
		if !strings.Contains(label, "(optional)") || strings.Contains(label, "required") {
			t.Errorf("got secret label %q, want it optional", label)
		}
		if got := form.Find("#f-url").AttrOr("value", ""); got != "https://acme.jamfcloud.com" {
			t.Errorf("got url %q, want the account's", got)
		}
	})
}

// TestHub_ProfileSubtitle: a profile named like its vendor is not
// subtitled with the same words. No database.
func TestHub_ProfileSubtitle(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{})
	env.withHubSession(nil)
	miscHubTarget(env, miscJamfTarget(t))
	_, form := env.get("/hub/h1/profiles/p1")
	if got := form.Find(`[data-testid="profile-subtitle"]`).Text(); got == "" || got == "Jamf Pro" {
		t.Errorf("got subtitle %q, want something other than the title", got)
	}
}

// TestHub_DuplicateIdentity: linking the same Jamf Pro server twice for one
// owner asks first; replacing puts the new credentials on the old account,
// keeping both links two accounts. The API names each account's server.
//
// A whole-server test, on PostgreSQL and a fake Jamf Pro: the one hub
// journey that goes through the real services end to end (connect token,
// hub form, vendor test, duplicate detection on the stored identity, the
// held attempt across two requests, the account the API then reads). The
// parts are tested alone in TestService_Duplicate (internal/linking) and
// TestHubConnect_Outcomes.
func TestHub_DuplicateIdentity(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	link := func() *goquery.Document {
		t.Helper()
		action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
		_, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
		return doc
	}
	if doc := link(); doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatal("first link: want success")
	}
	first := env.allAccounts(t)[0]
	choose := func(choice string) *goquery.Document {
		t.Helper()
		doc := link()
		if got := doc.Find(`[data-testid="choose-title"]`).Text(); got != "You already linked this Jamf Pro" {
			t.Fatalf("second link: got %q, want the duplicate flagged", got)
		}
		if !strings.Contains(doc.Find(`[data-testid="choices"]`).Text(), env.jamf.URL) {
			t.Errorf("got choices %q, want the server named", doc.Find(`[data-testid="choices"]`).Text())
		}
		if n := len(env.allAccounts(t)); n != 1 {
			t.Fatalf("got %d accounts before the choice, want 1", n)
		}
		action := doc.Find(`[data-testid="choices"]`).AttrOr("action", "")
		_, doc = env.post(t, action, url.Values{"choice": {choice}})
		return doc
	}
	if doc := choose("replace"); doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("replace: got %q, want success", doc.Find("main").Text())
	}
	list := env.allAccounts(t)
	if len(list) != 1 || list[0].ID != first.ID || list[0].CredentialVersion != 2 || list[0].Metadata["duplicate_of"] != "" {
		t.Fatalf("after replace: got %d accounts (%+v), want the first with credential version 2", len(list), list[0])
	}
	if doc := choose("another"); doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("another: got %q, want success", doc.Find("main").Text())
	}
	if n := len(env.allAccounts(t)); n != 2 {
		t.Errorf("after another: got %d accounts, want 2", n)
	}

	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/api/v1/accounts/"+first.ID, nil)
	req.Header.Set("Authorization", "Bearer "+env.apiKey)
	resp, err := env.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Identity string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Identity != env.jamf.URL {
		t.Errorf("API: got identity %q (%v), want %q", got.Identity, err, env.jamf.URL)
	}
}
