package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// dbDigest is one checksum per table of everything in the database, so a
// test can prove that a refused request changed nothing at all.
func dbDigest(t *testing.T, env *hubEnv) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := env.db.Pool.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	out := map[string]string{}
	for _, n := range tables {
		var sum string
		q := fmt.Sprintf(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %q t`, n)
		if err := env.db.Pool.QueryRow(ctx, q).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		out[n] = sum
	}
	return out
}

// adminClient signs in an admin on env and returns a cookie-carrying client.
func (e *hubEnv) adminClient(t testing.TB) *http.Client {
	t.Helper()
	if _, err := e.admins.CreateAdmin(context.Background(), linkhub.SystemActor, "ada@example.com", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(e.srv.URL+"/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: got %d, want 303", resp.StatusCode)
	}
	return c
}

// TestCrossOrigin_EveryStateChangingRoute walks the route table and sends a
// cross-site POST/PUT/PATCH/DELETE, as a hostile page in the admin's or the
// end user's browser would, to every state-changing route, with a live admin
// cookie, a live hub handle, the API key and real ids in the path. Each must
// be refused with 403 and leave every table as it was.
//
// API routes are refused the same way when a browser sends them cross-site:
// the API is for the host product's backend, and its key must never be in a
// browser. A server-to-server call carries no Origin or Sec-Fetch-Site and
// is authenticated by its Bearer key alone (no ambient cookie a third party
// could ride on), so it passes the cross-origin check; the control at the
// end proves it.
func TestCrossOrigin_EveryStateChangingRoute(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	admin := env.adminClient(t)
	p := env.MustProfile(t, "jamf", "Jamf")
	acct := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "owner-1", OriginOwnerName: "Owner One"}
	if err := env.accounts.CreateAccount(context.Background(), acct, nil); err != nil {
		t.Fatal(err)
	}
	hub := env.MustOpen(t, env.MustToken(t, nil))
	handle := strings.Split(strings.TrimPrefix(hub, "/hub/"), "/")[0]
	ids := map[string]string{ // by the path segment before the parameter
		"profiles": p.ID, "accounts": acct.ID, "api-keys": firstID(t, env, "api_keys"), "admins": firstID(t, env, "admins"),
		"hub": handle, "attempts": "8f9c1d1e-0000-4000-8000-000000000000",
	}
	before := dbDigest(t, env)
	walked := 0
	for _, r := range web.Routes() {
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			continue
		}
		path := fillParams(r.Path, ids)
		t.Run(r.Method+" "+r.Path, func(t *testing.T) {
			req, _ := http.NewRequest(r.Method, env.srv.URL+path, strings.NewReader("name=evil&enabled=false"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			if strings.HasPrefix(path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+env.apiKey)
			}
			resp, err := admin.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("%s %s cross-site: got %d, want 403", r.Method, path, resp.StatusCode)
			}
		})
		walked++
	}
	if walked < 20 { // 23 when written; guards against an empty walk
		t.Fatalf("walked %d state-changing routes, want all of them (at least 20)", walked)
	}
	after := dbDigest(t, env)
	for table, sum := range before {
		if after[table] != sum {
			t.Errorf("table %s changed after refused cross-origin requests", table)
		}
	}

	// Controls: the same admin cookie works same-origin, and the API key
	// works from a server.
	req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/admin/profiles/"+p.ID+"/disable", nil)
	req.Header.Set("Origin", env.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp, err := admin.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin control: got %v %v, want 303", resp, err)
	}
	if status, out := env.createSession(t, map[string]any{"origin_owner_id": "o", "origin_owner_name": "O"}); status != http.StatusCreated {
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

// firstID returns the id of some row of table.
func firstID(t *testing.T, env *hubEnv, table string) string {
	t.Helper()
	var id string
	if err := env.db.Pool.QueryRow(context.Background(), fmt.Sprintf(`SELECT id::text FROM %q LIMIT 1`, table)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestHub_ReturnURL checks the one link off the site the hub shows: the
// success page links to return_url while its origin is allowed, and not
// once the admin has removed that origin from the settings.
func TestHub_ReturnURL(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	returnURL := embedOrigin + "/integrations?done=1"
	link := func(owner string, removeOrigin bool) (string, bool) {
		t.Helper()
		hub := env.MustOpen(t, env.MustToken(t, map[string]any{"origin_owner_id": owner, "return_url": returnURL}))
		if removeOrigin {
			if _, err := env.settings.UpdateSettings(context.Background(), linkhub.SystemActor, linkhub.DefaultSettings()); err != nil {
				t.Fatal(err)
			}
		}
		action, _ := env.formOf(t, hub)
		resp, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
			t.Fatalf("link: got %d, want the success page", resp.StatusCode)
		}
		return doc.Find(`[data-testid="return"]`).Attr("href")
	}
	if href, ok := link("owner-allowed", false); !ok || href != returnURL {
		t.Errorf("origin allowed: got return link %q (%v), want %q", href, ok, returnURL)
	}
	if href, ok := link("owner-removed", true); ok {
		t.Errorf("origin removed from the settings: the success page still links to %q", href)
	}
}

// TestAdmin_CookieFlags follows one admin through a failed sign-in, a
// sign-in, a page, a sign-out and the sign-in page after it, and checks
// every cookie the server sets on the way: only the admin cookie, always
// HttpOnly, SameSite=Lax, Path=/, no Domain, at most the 12-hour session
// limit; Secure and the __Host- prefix when the public URL is https. The
// cookie is sent back by hand, as a browser would over https. The signed-in
// cookie must not work once signed out, for a page or a change. It also
// checks that a next parameter cannot steer the post-sign-in redirect off
// the site (sign-in always lands at home).
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
			env := newAdminEnvAt(t, tt.base, connector.Config{})
			env.mustAdmin("ada@example.com", "correct horse battery")
			hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			var cookie string // the admin cookie's value, as the browser holds it
			set := 0
			send := func(method, path string, form url.Values, value string) *http.Response {
				t.Helper()
				req, _ := http.NewRequest(method, env.srv.URL+path, strings.NewReader(form.Encode()))
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
			send(http.MethodPost, "/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"wrong horse battery"}}, cookie)
			resp := send(http.MethodPost, "/admin/login?next=%2F%2Fevil.example&return_to=https://evil.example",
				url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}, "next": {"//evil.example"}}, cookie)
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
			if list, err := env.keys.FindAPIKeys(context.Background()); err != nil || len(list) != 0 {
				t.Errorf("the replayed cookie created %d API keys (%v)", len(list), err)
			}
		})
	}
}
