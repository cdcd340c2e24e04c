package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// mockEnv is the whole HTTP server on function-field mocks: the tests of
// HTTP behaviour (parsing, status codes, pages, headers) use it and need no
// database. The server reads a mock's functions at call time, so a test sets
// them after the env is made. Services' rules are tested where they live
// (internal/linking, internal/postgres), against PostgreSQL.
type mockEnv struct {
	*mocks
	t      testing.TB
	URL    string
	logs   *syncBuffer
	client *http.Client // keeps cookies, does not follow redirects
	jar    *cookiejar.Jar
	// hidden must never appear in a response body or the log.
	hidden []string
}

// The fixed identities the env's mocks know.
const (
	mockHubHandle = "h1"      // the hub session of withHubSession
	mockHubToken  = "tok-1"   // the connect-session token that opens it
	mockAPIKey    = "lh_test" // the API key of withAPIKey
	mockAdminID   = "adm-1"
	mockAdminMail = "admin@example.test"
)

// newMockEnv starts the server on fresh mocks with cfg (BaseURL defaults to
// http://linkhub.test). The settings are the defaults until a test says
// otherwise; everything else panics until set.
func newMockEnv(t testing.TB, cfg web.Config) *mockEnv {
	t.Helper()
	return newMockEnvWith(t, cfg, nil)
}

// newMockEnvWith is newMockEnv with change (when not nil) applied to the
// server's dependencies first, for a test that needs a real one in place of
// a mock (the connector runtime on the server's registry).
func newMockEnvWith(t testing.TB, cfg web.Config, change func(*web.Deps)) *mockEnv {
	t.Helper()
	logs := &syncBuffer{}
	deps, m := mockDeps(logs)
	if change != nil {
		change(&deps)
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://linkhub.test"
	}
	jar, _ := cookiejar.New(nil)
	e := &mockEnv{mocks: m, t: t, logs: logs, jar: jar, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	m.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		return &s, nil
	}
	e.URL = mustServer(t, cfg, deps).URL
	t.Cleanup(func() {
		for _, s := range e.hidden {
			if strings.Contains(logs.String(), s) {
				t.Errorf("the log shows %q", s)
			}
		}
	})
	return e
}

// mockSession is a live connect session of one link for org-1.
func mockSession() *linkhub.ConnectSession {
	return &linkhub.ConnectSession{ID: "cs-1", OriginOwnerID: "org-1", OriginOwnerName: "Org 1", MaxLinks: 1,
		ExpiresAt: time.Now().Add(time.Hour)}
}

// withHubSession makes cs (mockSession if nil) the session of hub handle h1,
// opened by token tok-1; any other handle or token is unknown.
func (e *mockEnv) withHubSession(cs *linkhub.ConnectSession) *linkhub.ConnectSession {
	if cs == nil {
		cs = mockSession()
	}
	e.withHubSessionAt(mockHubHandle, mockHubToken, cs)
	return cs
}

// withHubSessionAt is withHubSession with the handle and token given: long
// ones, for the tests that look for them where they must not be.
func (e *mockEnv) withHubSessionAt(handle, token string, cs *linkhub.ConnectSession) {
	e.connectSessions.FindHubSessionFn = func(_ context.Context, h string) (*linkhub.ConnectSession, error) {
		if h != handle {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
		}
		return cs, nil
	}
	e.connectSessions.OpenHubSessionFn = func(_ context.Context, tok string) (string, *linkhub.ConnectSession, error) {
		if tok != token {
			return "", nil, linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
		}
		return handle, cs, nil
	}
}

// withAPIKey makes lh_test (and only it) a valid host API key.
func (e *mockEnv) withAPIKey() {
	e.apiKeys.AuthenticateAPIKeyFn = func(_ context.Context, key string) (*linkhub.APIKey, error) {
		if key != mockAPIKey {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Unknown API key.")
		}
		return &linkhub.APIKey{ID: "key-1", Name: "host"}, nil
	}
	e.apiKeys.RecordAPIKeyUseFn = func(string, time.Time) {}
}

// signIn signs the env's client in as admin adm-1 through the login form,
// and fails the test unless it worked.
func (e *mockEnv) signIn() *linkhub.Admin {
	e.t.Helper()
	admin := &linkhub.Admin{ID: mockAdminID, Email: mockAdminMail}
	e.admins.AuthenticateFn = func(_ context.Context, email, password, _ string) (*linkhub.Admin, string, error) {
		if email != mockAdminMail || password != "right password" {
			return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, "Wrong email or password.")
		}
		return admin, "admin-session-1", nil
	}
	e.admins.FindAdminBySessionFn = func(_ context.Context, token string) (*linkhub.Admin, error) {
		if token != "admin-session-1" {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Signed out.")
		}
		return admin, nil
	}
	resp, doc := e.post("/admin/login", url.Values{"email": {mockAdminMail}, "password": {"right password"}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login: got %d (%q), want 303", resp.StatusCode, doc.Find(`[data-testid="form-error"]`).Text())
	}
	return admin
}

// do sends req with the env's client and parses the answer as HTML; it
// fails the test if the body shows a hidden value.
func (e *mockEnv) do(req *http.Request) (*http.Response, *goquery.Document) {
	e.t.Helper()
	resp, body := e.send(req)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, doc
}

// send sends req with the env's client and returns the whole body.
func (e *mockEnv) send(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range e.hidden {
		if bytes.Contains(body, []byte(s)) {
			e.t.Errorf("%s %s: the response shows %q", req.Method, req.URL.Path, s)
		}
	}
	return resp, body
}

// get fetches path as a page.
func (e *mockEnv) get(path string) (*http.Response, *goquery.Document) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.URL+path, nil)
	return e.do(req)
}

// post submits form to path as a browser would.
func (e *mockEnv) post(path string, form url.Values) (*http.Response, *goquery.Document) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

// api calls the host API with the lh_test key; a non-empty body goes as
// JSON. It returns the status and the decoded JSON answer (nil if none).
func (e *mockEnv) api(method, path, body string) (int, map[string]any) {
	e.t.Helper()
	resp, raw := apiSend(e, method, path, body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// apiSend calls the host API with the lh_test key; a non-empty body goes as
// JSON. header are name, value pairs set on the request, an empty value
// removing the header.
func apiSend(e *mockEnv, method, path, body string, header ...string) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+mockAPIKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	return e.send(req)
}

// apiError is the error object of a host API answer, or nil.
func apiError(out map[string]any) map[string]any {
	e, _ := out["error"].(map[string]any)
	return e
}

// recorder keeps what a mock was called with; the server calls mocks on
// its own goroutines.
type recorder[T any] struct {
	mu    sync.Mutex
	calls []T
}

func (r *recorder[T]) add(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, v)
}

// all returns the calls so far.
func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// take returns the calls since the last take and forgets them.
func (r *recorder[T]) take() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}
