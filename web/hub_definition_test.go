package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/web"
)

// TestHub_DefinitionLink links an Okta org, a connector defined as data,
// through the hub, then uses the account through the host API: the token
// API hands out the SSWS header and an action reaches Okta with it. No line
// of web/ knows Okta.
func TestHub_DefinitionLink(t *testing.T) {
	a := newAPIClient(t)
	okta := fake.NewOkta(t)
	a.MustProfile(t, "okta", "Okta", "list_users")
	hub := a.MustOpen(t, a.MustToken(t, nil))
	action, form := a.formOf(t, hub)
	if form.Find(`#f-okta_domain`).Length() != 1 || form.Find(`#f-api_token[type="password"]`).Length() != 1 ||
		!strings.Contains(form.Find(`[data-testid="guide"]`).Text(), "Security, then API") {
		t.Fatal("form: want the domain, a password input for the token and the definition's guide")
	}

	resp, doc := a.post(t, action, url.Values{"okta_domain": {okta.URL + "/admin/dashboard"}, "api_token": {okta.ClientSecret}})
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("got %d %q, want 200 and the success screen", resp.StatusCode, doc.Find("main").Text())
	}
	if got := doc.Find(`[data-testid="summary"]`).Text(); !strings.Contains(got, "Okta service account") || !strings.Contains(got, okta.Login) {
		t.Errorf("got summary %q, want the definition's label and the token owner's login", got)
	}
	accounts := a.allAccounts(t)
	if len(accounts) != 1 || accounts[0].Values["okta_domain"] != okta.URL || accounts[0].Metadata["okta_user"] != okta.Login {
		t.Fatalf("got accounts %+v, want one with the tidy domain and the login", accounts)
	}
	id := accounts[0].ID

	status, tok := a.json(http.MethodPost, "/api/v1/accounts/"+id+"/token", "")
	headers, _ := tok["headers"].(map[string]any)
	if status != http.StatusOK || tok["base_url"] != okta.URL || headers["Authorization"] != "SSWS "+okta.ClientSecret {
		t.Fatalf("token: got %d base %v headers %d, want 200, the org and the SSWS header", status, tok["base_url"], len(headers))
	}
	resp, body := a.do(http.MethodPost, "/api/v1/accounts/"+id+"/actions/list_users", "")
	var users []map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &users) != nil || len(users) != 1 {
		t.Fatalf("action list_users: got %d %.200s, want 200 and Okta's list", resp.StatusCode, body)
	}
	if n := len(okta.Sightings("SSWS " + okta.ClientSecret)); n < 3 {
		t.Fatalf("got the SSWS header in %d requests, want the test's two and the action's", n)
	}
	if strings.Contains(a.logs.String(), okta.ClientSecret) {
		t.Error("the logs contain the API token")
	}
}

// TestConnectorSchema checks that the definitions' JSON Schema is served
// without an API key.
func TestConnectorSchema(t *testing.T) {
	e := MustHubEnv(t, web.HubLimits{})
	resp, err := http.Get(e.srv.URL + "/api/connector-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s map[string]any
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&s) != nil || s["$defs"] == nil {
		t.Fatalf("got %d, want 200 and the schema", resp.StatusCode)
	}
}
