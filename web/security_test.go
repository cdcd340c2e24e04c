package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// TestCrossOrigin_EveryStateChangingRoute walks the route table and sends a
// cross-site POST/PUT/PATCH/DELETE, as a hostile page in the admin's or the
// end user's browser would, to every state-changing route, with a live admin
// cookie, a live hub handle, the API key and ids in the path. Each must be
// refused with 403 before any service is asked: on these mocks every service
// call but signing in is unset and would panic into a 500, so a 403 also
// proves that nothing was changed.
//
// API routes are refused the same way when a browser sends them cross-site:
// the API is for the host product's backend, and its key must never be in a
// browser. A server-to-server call carries no Origin or Sec-Fetch-Site and
// is authenticated by its Bearer key alone (no ambient cookie a third party
// could ride on), so it passes the cross-origin check; the control at the
// end proves it. No database.
func TestCrossOrigin_EveryStateChangingRoute(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{})
	env.signIn()
	env.withAPIKey()
	env.withHubSession(nil)
	const profileID = "8f9c1d1e-0000-4000-8000-000000000011"
	ids := map[string]string{ // by the path segment before the parameter
		"profiles": profileID, "accounts": "8f9c1d1e-0000-4000-8000-000000000012",
		"api-keys": "8f9c1d1e-0000-4000-8000-000000000013", "admins": "8f9c1d1e-0000-4000-8000-000000000014",
		"hub": mockHubHandle, "attempts": "8f9c1d1e-0000-4000-8000-000000000000",
	}
	walked := 0
	for _, r := range web.Routes() {
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			continue
		}
		path := fillParams(r.Path, ids)
		req, _ := http.NewRequest(r.Method, env.URL+path, strings.NewReader("name=evil&enabled=false"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+mockAPIKey)
		}
		if resp, _ := env.send(req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s cross-site: got %d, want 403", r.Method, path, resp.StatusCode)
		}
		walked++
	}
	if walked < 20 { // 23 when written; guards against an empty walk
		t.Fatalf("walked %d state-changing routes, want all of them (at least 20)", walked)
	}

	// Controls: the same admin cookie works same-origin, and the API key
	// works from a server.
	var disabled []string
	env.profiles.UpdateProfileFn = func(_ context.Context, actor linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error) {
		if actor.ID != mockAdminID || upd.Enabled == nil || *upd.Enabled {
			t.Errorf("disable: the service got %+v from %+v", upd, actor)
		}
		disabled = append(disabled, id)
		return &linkhub.Profile{ID: id, ConnectorID: "jamf", Name: "Jamf"}, nil
	}
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/admin/profiles/"+profileID+"/disable", nil)
	req.Header.Set("Origin", env.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp, _ := env.send(req); resp.StatusCode != http.StatusSeeOther || len(disabled) != 1 || disabled[0] != profileID {
		t.Fatalf("same-origin control: got %d, disabled %v, want 303 having disabled the profile", resp.StatusCode, disabled)
	}
	env.linking.CreateSessionFn = func(context.Context, linkhub.Actor, linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
		return &linkhub.ConnectSession{ExpiresAt: time.Now().Add(time.Hour)}, "tok-2", nil
	}
	if status, out := env.api(http.MethodPost, "/api/v1/connect_sessions", `{"origin_owner_id":"o","origin_owner_name":"O"}`); status != http.StatusCreated {
		t.Fatalf("server-to-server API control: got %d %v, want 201", status, out)
	}
}

// fillParams puts ids into a route path's parameters, chosen by the segment
// before each; an unknown parameter gets a well-formed id that matches
// nothing (the request is refused before routing either way).
func fillParams(path string, ids map[string]string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		id, ok := "", false
		if i > 0 {
			id, ok = ids[segs[i-1]]
		}
		if !ok {
			id = "8f9c1d1e-0000-4000-8000-000000000001"
		}
		segs[i] = id
	}
	return strings.Join(segs, "/")
}

// TestHub_ReturnURL checks the one link off the site the hub shows: the
// success page links to the session's return_url while its origin is
// allowed in the settings, and not once the admin has removed that origin.
// No database: which origins are allowed is the settings mock's answer.
func TestHub_ReturnURL(t *testing.T) {
	t.Parallel()
	returnURL := embedOrigin + "/integrations?done=1"
	for _, tc := range []struct {
		name    string
		origins []string
		want    string
	}{
		{"Allowed", []string{embedOrigin}, returnURL},
		{"OriginRemoved", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := newMockEnv(t, web.Config{})
			cs := mockSession()
			cs.ReturnURL = returnURL
			env.withHubSession(cs)
			env.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
				s := linkhub.DefaultSettings()
				s.EmbedOrigins = tc.origins
				return &s, nil
			}
			target := miscJamfTarget(t)
			env.linking.TargetFn = func(context.Context, *linkhub.ConnectSession, string) (*linking.Target, error) { return target, nil }
			env.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) {
				return &linking.Outcome{Kind: linking.Linked, Target: target, Account: miscAccount()}, nil
			}
			resp, doc := env.post("/hub/h1/profiles/p1/connect", url.Values{"submission": {"s1"}})
			if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
				t.Fatalf("link: got %d, want the success page", resp.StatusCode)
			}
			href, ok := doc.Find(`[data-testid="return"]`).Attr("href")
			if tc.want == "" && ok {
				t.Errorf("origin removed from the settings: the success page still links to %q", href)
			} else if tc.want != "" && href != tc.want {
				t.Errorf("origin allowed: got return link %q (%v), want %q", href, ok, tc.want)
			}
		})
	}
}

// TestAdmin_CookieFlags follows one admin through a failed sign-in, a
// sign-in, a page, a sign-out and the sign-in page after it, and checks
// every cookie the server sets on the way: only the admin cookie, always
// HttpOnly, SameSite=Lax, Path=/, no Domain, at most the 12-hour session
// limit; Secure and the __Host- prefix when the public URL is https. The
// cookie is sent back by hand, as a browser would over https. Signing out
// ends the session the cookie names (as the admin), and a cookie whose
// session the service no longer knows gets the sign-in page, for a page or
// a change, and changes nothing. It also checks that a next parameter
// cannot steer the post-sign-in redirect off the site (sign-in always lands
// at home). No database: that a deleted session is no longer found is
// TestAdminService_Sessions's (internal/postgres).
func TestAdmin_CookieFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		base, name string
		secure     bool
	}{
		{"http://example.test", "linkhub_admin", false},
		{"https://linkhub.example.com", "__Host-linkhub_admin", true},
	} {
		t.Run(tt.base, func(t *testing.T) {
			t.Parallel()
			env := newMockEnv(t, web.Config{BaseURL: tt.base})
			admin := &linkhub.Admin{ID: mockAdminID, Email: mockAdminMail}
			var mu sync.Mutex
			live := map[string]bool{}
			var ended []string
			env.admins.AuthenticateFn = func(_ context.Context, email, password, _ string) (*linkhub.Admin, string, error) {
				if email != mockAdminMail || password != "correct horse battery" {
					return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, "Wrong email or password.")
				}
				mu.Lock()
				defer mu.Unlock()
				live["admin-session-1"] = true
				return admin, "admin-session-1", nil
			}
			env.admins.FindAdminBySessionFn = func(_ context.Context, token string) (*linkhub.Admin, error) {
				mu.Lock()
				defer mu.Unlock()
				if !live[token] {
					return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Signed out.")
				}
				return admin, nil
			}
			env.admins.DeleteSessionFn = func(_ context.Context, actor linkhub.Actor, token string) error {
				mu.Lock()
				defer mu.Unlock()
				if actor.ID != mockAdminID {
					t.Errorf("sign-out: got actor %+v, want the admin", actor)
				}
				delete(live, token)
				ended = append(ended, token)
				return nil
			}
			env.apiKeys.FindAPIKeysFn = func(context.Context) ([]*linkhub.APIKey, error) { return nil, nil }
			var created []string
			env.apiKeys.CreateAPIKeyFn = func(_ context.Context, _ linkhub.Actor, name string) (*linkhub.APIKey, string, error) {
				created = append(created, name)
				return &linkhub.APIKey{ID: "key-2", Name: name}, "lh_new", nil
			}
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			var cookie string // the admin cookie's value, as the browser holds it
			set := 0
			send := func(method, path string, form url.Values, value string) *http.Response {
				t.Helper()
				req, _ := http.NewRequest(method, env.URL+path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if value != "" {
					req.AddCookie(&http.Cookie{Name: tt.name, Value: value})
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				_ = resp.Body.Close()
				for _, c := range resp.Cookies() {
					set++
					if c.Name != tt.name || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.secure ||
						c.Path != "/" || c.Domain != "" || c.MaxAge < 0 || c.MaxAge > 12*60*60 {
						t.Errorf("%s %s set cookie %+v, want %s, HttpOnly, SameSite=Lax, Secure=%v, Path=/, no Domain, Max-Age up to 12 hours",
							method, path, c, tt.name, tt.secure)
					}
					cookie = c.Value
				}
				return resp
			}
			send(http.MethodPost, "/admin/login", url.Values{"email": {mockAdminMail}, "password": {"wrong horse battery"}}, cookie)
			resp := send(http.MethodPost, "/admin/login?next=%2F%2Fevil.example&return_to=https://evil.example",
				url.Values{"email": {mockAdminMail}, "password": {"correct horse battery"}, "next": {"//evil.example"}}, cookie)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/admin/api-keys" {
				t.Fatalf("login: got %d to %q, want 303 to /admin/api-keys", resp.StatusCode, loc)
			}
			signedIn := cookie
			if resp := send(http.MethodGet, "/admin/api-keys", nil, cookie); resp.StatusCode != http.StatusOK {
				t.Fatalf("signed in: got %d, want 200", resp.StatusCode)
			}
			if resp := send(http.MethodPost, "/admin/logout", nil, cookie); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("logout: got %d, want 303", resp.StatusCode)
			}
			if len(ended) != 1 || ended[0] != "admin-session-1" {
				t.Fatalf("sign-out ended sessions %v, want the cookie's admin-session-1", ended)
			}
			send(http.MethodGet, "/admin/login", nil, cookie)
			if set < 2 {
				t.Fatalf("%d cookies set: the check proves nothing", set)
			}
			// Replaying the signed-in cookie after sign-out.
			if resp := send(http.MethodGet, "/admin/api-keys", nil, signedIn); resp.Header.Get("Location") != "/admin/login" {
				t.Errorf("old cookie, page: got %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp := send(http.MethodPost, "/admin/api-keys", url.Values{"name": {"replayed"}}, signedIn); resp.Header.Get("Location") != "/admin/login" {
				t.Errorf("old cookie, change: got %d to %q, want the sign-in page", resp.StatusCode, resp.Header.Get("Location"))
			}
			if len(created) != 0 {
				t.Errorf("the replayed cookie created API keys %v", created)
			}
		})
	}
}
