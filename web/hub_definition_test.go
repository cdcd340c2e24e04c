package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// TestHub_DefinitionLink links an Okta org, a connector defined as data,
// through the hub: the form is the definition's (its fields, a password
// input for the token, its guide), what the user typed reaches the linking
// service with the token as a secret, and the success screen names the
// account with the definition's own metadata label. No line of web/ knows
// Okta. What Okta answers (the tidy domain, the login, the SSWS header of
// the test, of the token API and of an action) is the engine's
// (TestOkta_Test, TestOkta_TokenAndAction). No database.
func TestHub_DefinitionLink(t *testing.T) {
	t.Parallel()
	const apiToken, login = "00okta-api-token-value-0001", "svc-linkhub@acme.example"
	e := newMockEnv(t, web.Config{})
	e.withHubSession(nil)
	e.hidden = append(e.hidden, apiToken)
	okta, _ := connector.NewRegistry(connector.Config{}).Get("okta")
	target := &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: "okta", Name: "Okta", Enabled: true,
		Actions: []string{"list_users"}}, Connector: okta}
	e.linking.TargetFn = func(context.Context, *linkhub.ConnectSession, string) (*linking.Target, error) { return target, nil }
	var got linking.Submission
	e.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		got = sub
		a := &linkhub.Account{ID: "a1", ProfileID: "p1", ConnectorID: "okta", OriginOwnerID: "org-1", CreatedAt: time.Now(),
			Values: map[string]string{"okta_domain": "https://acme.okta.com"}, Metadata: map[string]string{"okta_user": login}}
		return &linking.Outcome{Kind: linking.Linked, Target: target, Account: a,
			Report: linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageVerify, Status: linkhub.StatusPassed}}}}, nil
	}

	_, form := e.get("/hub/h1/profiles/p1")
	if form.Find(`#f-okta_domain`).Length() != 1 || form.Find(`#f-api_token[type="password"]`).Length() != 1 ||
		!strings.Contains(form.Find(`[data-testid="guide"]`).Text(), "Security, then API") {
		t.Fatal("form: want the domain, a password input for the token and the definition's guide")
	}
	action := form.Find(`[data-testid="hub-form"]`).AttrOr("action", "")
	resp, doc := e.post(action, url.Values{"okta_domain": {"https://acme.okta.com/admin/dashboard"}, "api_token": {apiToken}})
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("got %d %q, want 200 and the success screen", resp.StatusCode, doc.Find("main").Text())
	}
	if got.Form.Values["okta_domain"] != "https://acme.okta.com/admin/dashboard" || got.Form.Secrets["api_token"].Reveal() != apiToken {
		t.Errorf("the service got values %v, want the domain as typed and the token as a secret", got.Form.Values)
	}
	if sum := doc.Find(`[data-testid="summary"]`).Text(); !strings.Contains(sum, "Okta service account") || !strings.Contains(sum, login) {
		t.Errorf("got summary %q, want the definition's label and the token owner's login", sum)
	}
}

// TestConnectorSchema checks that the definitions' JSON Schema is served
// without an API key. No database.
func TestConnectorSchema(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/connector-schema.json", nil)
	resp, body := e.send(req)
	var s map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &s) != nil || s["$defs"] == nil {
		t.Fatalf("got %d, want 200 and the schema", resp.StatusCode)
	}
}
