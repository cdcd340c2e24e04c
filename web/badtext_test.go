package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
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

// TestHub_BadText sends them in the hub's form and the API's account
// filters: the form hands them to the linking service as typed and shows
// its refusal; the API refuses a status or connector it does not know
// itself and hands the other filters to the account service, whose
// "nothing matches" is an empty page and whose refusal of a cursor is a
// 400 naming it. The services' answers to such text are theirs
// (TestService_Submit_BadText, TestAccountService_FindAccountsBadText).
// No database.
func TestHub_BadText(t *testing.T) {
	t.Parallel()
	for name, bad := range badTexts {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := hubbJamfEnv(t, func(sub linking.Submission) (*linking.Outcome, error) {
				if sub.Form.Values["url"] != "https://"+bad+".jamfcloud.com" || sub.Form.Values["client_id"] != bad {
					t.Errorf("the service got %q, want the values as typed", sub.Form.Values)
				}
				return &linking.Outcome{Kind: linking.Invalid, Target: sub.Target,
					FieldErrors: map[string]string{"url": "This is not a valid web address."}}, nil
			})
			form := url.Values{"url": {"https://" + bad + ".jamfcloud.com"}, "client_id": {bad}, "client_secret": {"s3cret-value"}}
			resp, doc := e.post("/hub/h1/profiles/p1/connect", form)
			if resp.StatusCode != http.StatusOK || !strings.Contains(doc.Find(`[data-testid="error-url"]`).Text(), "This is not a valid web address.") {
				t.Errorf("hub form: got %d %q, want 200 and the service's refusal beside the address", resp.StatusCode, doc.Find("main").Text())
			}

			e.withAPIKey()
			var got []linkhub.AccountFilter
			e.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
				got = append(got, f)
				if f.Cursor != "" {
					return nil, "", linkhub.Errorf(linkhub.EINVALID, "The cursor is not valid.")
				}
				return nil, "", nil
			}
			for _, tc := range []struct {
				param string
				want  int
				field string
			}{
				{"origin_owner_id", http.StatusOK, ""}, {"profile_id", http.StatusOK, ""}, {"cursor", http.StatusBadRequest, "cursor"},
				{"status", http.StatusBadRequest, "status"}, {"connector", http.StatusBadRequest, "connector"},
			} {
				status, out := e.api(http.MethodGet, "/api/v1/accounts?"+tc.param+"="+url.QueryEscape(bad), "")
				if status != tc.want || apiError(out)["field"] != hubbNilIfEmpty(tc.field) {
					t.Errorf("GET /api/v1/accounts?%s=bad: got %d %v, want %d naming %q", tc.param, status, out, tc.want, tc.field)
				}
			}
			if len(got) != 3 || *got[0].OriginOwnerID != bad || *got[1].ProfileID != bad || got[2].Cursor != bad {
				t.Errorf("the account service got %d filters, want the owner, the profile and the cursor as sent", len(got))
			}
		})
	}
}

// hubbNilIfEmpty is s, or nil when empty, as a decoded JSON field compares.
func hubbNilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
