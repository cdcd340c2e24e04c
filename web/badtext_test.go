package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/linkhub/linkhub/web"
)

// badTexts are what a browser or script can send but no row can hold: a NUL
// byte and invalid UTF-8. Each must get a clear 4xx answer or be ignored,
// never a 500.
var badTexts = map[string]string{"NUL": "a\x00b", "InvalidUTF8": "a\xff\xfeb"}

// TestAdmin_BadText sends them in every admin form field and filter.
func TestAdmin_BadText(t *testing.T) {
	t.Parallel()
	e := newVendorEnv(t)
	for name, bad := range badTexts {
		t.Run(name, func(t *testing.T) {
			posts := []struct {
				path string
				form url.Values
			}{
				{"/admin/profiles", url.Values{"connector": {"jamf"}, "name": {bad}, "field.url": {"https://x.jamfcloud.com"}, "actions": {"get_version"}}},
				{"/admin/profiles", url.Values{"connector": {"jamf"}, "name": {"J " + name}, "field.url": {"https://" + bad + ".jamfcloud.com"}, "actions": {"get_version"}}},
				{"/admin/profiles", url.Values{"connector": {"sophos"}, "name": {"S " + name}, "field.client_id": {bad}, "field.client_secret": {bad}, "actions": {"list_endpoints"}}},
				{"/admin/profiles", url.Values{"connector": {bad}, "name": {"X"}}},
				{"/admin/settings", url.Values{"product_name": {bad}, "primary_color": {"#1f5ad6"}, "session_lifetime": {"30"}}},
				{"/admin/settings", url.Values{"product_name": {"P"}, "embed_origins": {"https://" + bad}, "primary_color": {"#1f5ad6"}, "session_lifetime": {"30"}}},
				{"/admin/settings", url.Values{"product_name": {"P"}, "logo_url": {"https://x.example/" + bad}, "primary_color": {"#1f5ad6"}, "session_lifetime": {"30"}}},
				{"/admin/admins", url.Values{"email": {bad + "@example.com"}, "password": {"correct horse battery 2"}}},
				{"/admin/admins", url.Values{"email": {"b@example.com"}, "password": {bad + " correct horse battery"}}},
				{"/admin/api-keys", url.Values{"name": {bad}}},
				{"/admin/webhooks", url.Values{"url": {"https://" + bad + "/hook"}, "events": {"account.created"}}},
				{"/admin/webhooks", url.Values{"url": {"https://hooks.example.com/" + bad}, "events": {bad}}},
			}
			for _, p := range posts {
				if resp, _ := e.b.post(p.path, p.form); resp.StatusCode >= 500 {
					t.Errorf("POST %s %v: got %d", p.path, p.form, resp.StatusCode)
				}
			}
			resp, doc := e.b.post("/admin/profiles", url.Values{"connector": {"jamf"}, "name": {bad}, "field.url": {"https://x.jamfcloud.com"}, "actions": {"get_version"}})
			if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="name-error"]`).Text() == "" {
				t.Errorf("profile name: got %d without a name error, want 422 saying what is wrong", resp.StatusCode)
			}
			q := url.QueryEscape(bad)
			for _, path := range []string{"/admin/accounts?q=" + q, "/admin/accounts?owner=" + q, "/admin/accounts?status=" + q,
				"/admin/accounts?connector=" + q, "/admin/accounts?profile=" + q, "/admin/accounts?cursor=" + q,
				"/admin/audit?actor=" + q, "/admin/audit?action=" + q, "/admin/profiles/" + q, "/admin/accounts/" + q, "/admin/webhooks/" + q} {
				if resp, _ := e.b.get(path); resp.StatusCode >= 500 {
					t.Errorf("GET %s: got %d", path, resp.StatusCode)
				}
			}
			lb := e.browser()
			if resp, _ := lb.post("/admin/login", url.Values{"email": {bad}, "password": {bad}}); resp.StatusCode >= 500 {
				t.Errorf("login: got %d", resp.StatusCode)
			}
		})
	}
}

// TestHub_BadText sends them in the hub's form and the API's account filters.
func TestHub_BadText(t *testing.T) {
	t.Parallel()
	e := MustHubEnv(t, web.HubLimits{})
	p := e.MustProfile(t, "jamf", "Jamf Pro")
	for name, bad := range badTexts {
		t.Run(name, func(t *testing.T) {
			hub := e.MustOpen(t, e.MustToken(t, nil))
			form := url.Values{"url": {"https://" + bad + ".jamfcloud.com"}, "client_id": {bad}, "client_secret": {bad}}
			if resp, _ := e.post(t, hub+"/profiles/"+p.ID+"/connect", form); resp.StatusCode >= 500 {
				t.Errorf("hub form: got %d", resp.StatusCode)
			}
			for _, q := range []string{"origin_owner_id", "status", "connector", "profile_id", "cursor"} {
				req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/accounts?"+q+"="+url.QueryEscape(bad), nil)
				req.Header.Set("Authorization", "Bearer "+e.apiKey)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					t.Errorf("GET /api/v1/accounts?%s=bad: got %d", q, resp.StatusCode)
				}
			}
		})
	}
}
