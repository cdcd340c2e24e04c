package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// admMsgBadLogin is the service's one answer to any wrong email, password
// or disabled admin.
const admMsgBadLogin = "Email or password is incorrect."

// admSessions plays the admin service's sign-in and session table in
// memory, for the tests of what the console does with them (cookies,
// redirects, which session a sign-in or sign-out ends): Authenticate
// starts session sess-N for a known email and password, DeleteSession and
// end forget one. The server calls it from its goroutines, hence the lock.
type admSessions struct {
	mu      sync.Mutex
	admins  []*linkhub.Admin
	n       int
	live    map[string]*linkhub.Admin
	deleted []string        // tokens DeleteSession got, in order
	actors  []linkhub.Actor // actors DeleteSession got, in order
	logins  []string        // "email ip" of each Authenticate call
}

// admWithSessions makes the env's admin service the session table s, with
// the admins given, each with its admPassword. It does not sign in.
func admWithSessions(e *mockEnv, admins ...*linkhub.Admin) *admSessions {
	s := &admSessions{admins: admins, live: map[string]*linkhub.Admin{}}
	for _, a := range admins {
		e.hidden = append(e.hidden, admPassword(a.Email))
	}
	e.admins.AuthenticateFn = func(_ context.Context, email, pw, ip string) (*linkhub.Admin, string, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.logins = append(s.logins, email+" "+ip)
		for _, a := range s.admins {
			if a.Email == linkhub.NormalizeEmail(email) && pw == admPassword(a.Email) {
				s.n++
				token := fmt.Sprintf("sess-%d", s.n)
				s.live[token] = a
				return a, token, nil
			}
		}
		return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, admMsgBadLogin)
	}
	e.admins.FindAdminBySessionFn = func(_ context.Context, token string) (*linkhub.Admin, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if a := s.live[token]; a != nil {
			return a, nil
		}
		return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
	}
	e.admins.DeleteSessionFn = func(_ context.Context, actor linkhub.Actor, token string) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.deleted = append(s.deleted, token)
		s.actors = append(s.actors, actor)
		delete(s.live, token)
		return nil
	}
	return s
}

// admPassword is the mock password of the admin with this email.
func admPassword(email string) string { return "pw-" + linkhub.NormalizeEmail(email) + "-long enough" }

// end ends every session of the admin with this id, as disabling them does.
func (s *admSessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, a := range s.live {
		if a.ID == id {
			delete(s.live, t)
		}
	}
}

// deletedTokens returns the tokens DeleteSession got so far.
func (s *admSessions) deletedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deleted)
}

// The admins of these tests; ids are UUIDs, as the routes require.
const (
	admAdaID   = "00000000-0000-4000-8000-00000000ada1"
	admBobID   = "00000000-0000-4000-8000-000000000b0b"
	admCarolID = "00000000-0000-4000-8000-0000000ca201"
)

// admAda is the admin the mock env signs in as in these tests.
func admAda() *linkhub.Admin {
	return &linkhub.Admin{ID: admAdaID, Email: "ada@example.com"}
}

// admSignedIn is a mock env whose client is signed in as Ada, through the
// login form on the session table it returns.
func admSignedIn(t *testing.T) (*mockEnv, *admSessions) {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	s := admWithSessions(e, admAda())
	admMustLogin(t, e, e.client, "ada@example.com")
	return e, s
}

// admBrowser is another browser on the env's server: its own cookie jar,
// no redirects followed. With cookie set it holds only that admin cookie.
func admBrowser(e *mockEnv, cookie string) *http.Client {
	jar, _ := cookiejar.New(nil)
	if cookie != "" {
		u, _ := url.Parse(e.URL)
		jar.SetCookies(u, []*http.Cookie{{Name: "linkhub_admin", Value: cookie, Path: "/"}})
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// admPost submits form to path with client c.
func admPost(t *testing.T, e *mockEnv, c *http.Client, path string, form url.Values) *http.Response {
	t.Helper()
	resp, err := c.PostForm(e.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// admMustLogin signs c in as the admin with this email (and its mock
// password) and fails the test unless it went to the console.
func admMustLogin(t *testing.T, e *mockEnv, c *http.Client, email string) {
	t.Helper()
	resp := admPost(t, e, c, "/admin/login", url.Values{"email": {email}, "password": {admPassword(email)}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/api-keys" {
		t.Fatalf("login: got %d to %q, want 303 to /admin/api-keys", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// admCookie returns the admin cookie c holds for the env's server.
func admCookie(e *mockEnv, c *http.Client) string {
	u, _ := url.Parse(e.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "linkhub_admin" {
			return ck.Value
		}
	}
	return ""
}

// admSignedInWith reports whether c gets the console: GET /admin/settings
// answers 200 (the settings page needs no other mock than FindSettings).
func admSignedInWith(t *testing.T, e *mockEnv, c *http.Client) bool {
	t.Helper()
	resp, err := c.Get(e.URL + "/admin/settings")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// admNoAPIKeys makes the API keys page list none, for the redirects that
// land there.
func admNoAPIKeys(e *mockEnv) {
	e.apiKeys.FindAPIKeysFn = func(context.Context) ([]*linkhub.APIKey, error) { return nil, nil }
}

// admMockEnvWith is newMockEnv with the connectors under cc (hosts of a
// deployment) instead of the default registry.
func admMockEnvWith(t *testing.T, cc connector.Config) *mockEnv {
	t.Helper()
	return newMockEnvWith(t, web.Config{}, func(d *web.Deps) { d.Connectors = connector.NewRegistry(cc) })
}
