package web_test

import (
	"bytes"
	"context"
	"github.com/linkhub/linkhub/internal/logbuf"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// syncBuffer collects a server's log lines from its goroutines.
type syncBuffer = logbuf.Buffer

// adminEnv is the whole server on a fresh database, with its log captured.
type adminEnv struct {
	t        *testing.T
	srv      *httptest.Server
	db       *postgres.DB
	admins   *postgres.AdminService
	keys     *postgres.APIKeyService
	logs     *syncBuffer
	secrets  []string // must never appear in the log
	profiles *postgres.ProfileService
	accounts *postgres.AccountService
	webhooks *postgres.WebhookService
	// pageSecrets must never appear in any response body the browser reads.
	pageSecrets []string
}

func newAdminEnv(t *testing.T) *adminEnv {
	t.Helper()
	return newAdminEnvWith(t, connector.Config{})
}

// newAdminEnvWith is newAdminEnv with connectors under cfg (fake vendors).
func newAdminEnvWith(t *testing.T, cfg connector.Config) *adminEnv {
	t.Helper()
	return newAdminEnvAt(t, "http://example.test", cfg)
}

// newAdminEnvAt is newAdminEnvWith with the server's public base URL.
func newAdminEnvAt(t *testing.T, baseURL string, cfg connector.Config) *adminEnv {
	t.Helper()
	db := pgtest.DB(t)
	key, err := secret.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	kr, err := secret.ParseKeyring("1:"+key, "1")
	if err != nil {
		t.Fatal(err)
	}
	env := &adminEnv{t: t, db: db, logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	deps := pgDeps(db, kr, cfg, connector.NewTokenCache(100), log)
	env.admins, env.keys = deps.Admins.(*postgres.AdminService), deps.APIKeys.(*postgres.APIKeyService)
	env.profiles, env.accounts = deps.Profiles.(*postgres.ProfileService), deps.Accounts.(*postgres.AccountService)
	env.webhooks = deps.Webhooks.(*postgres.WebhookService)
	env.srv = mustServer(t, web.Config{BaseURL: baseURL}, deps)
	t.Cleanup(func() {
		out := env.logs.String()
		for _, s := range env.secrets {
			if strings.Contains(out, s) {
				t.Errorf("the log contains the secret %q:\n%s", s, out)
			}
		}
	})
	return env
}

// mustAdmin creates an admin and notes the password as a secret.
func (e *adminEnv) mustAdmin(email, pw string) *linkhub.Admin {
	e.t.Helper()
	a, err := e.admins.CreateAdmin(context.Background(), linkhub.SystemActor, email, pw)
	if err != nil {
		e.t.Fatal(err)
	}
	e.secrets = append(e.secrets, pw)
	return a
}

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	t    *testing.T
	env  *adminEnv
	c    *http.Client
	jar  *cookiejar.Jar
	last *http.Response
}

func (e *adminEnv) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: e.t, env: e, jar: jar, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(req *http.Request) (*http.Response, *goquery.Document) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, s := range b.env.pageSecrets {
		if bytes.Contains(body, []byte(s)) {
			b.t.Errorf("%s %s: the response shows the secret %q", req.Method, req.URL.Path, s)
		}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	b.last = resp
	return resp, doc
}

func (b *browser) get(path string) (*http.Response, *goquery.Document) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.env.srv.URL+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (*http.Response, *goquery.Document) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.env.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// html fetches a page and returns its whole HTML.
func (b *browser) html(path string) string {
	b.t.Helper()
	_, doc := b.get(path)
	h, _ := doc.Html()
	return h
}

// mustLogin signs in and fails the test unless it worked.
func (b *browser) mustLogin(email, pw string) {
	b.t.Helper()
	resp, doc := b.post("/admin/login", url.Values{"email": {email}, "password": {pw}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/api-keys" {
		b.t.Fatalf("login: got %d to %q (%q), want 303 to /admin/api-keys", resp.StatusCode,
			resp.Header.Get("Location"), doc.Find(`[data-testid="form-error"]`).Text())
	}
}

// cookie returns the admin cookie's value.
func (b *browser) cookie() string {
	u, _ := url.Parse(b.env.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == "linkhub_admin" {
			return c.Value
		}
	}
	return ""
}

// withCookie returns a fresh browser holding only the given admin cookie.
func (e *adminEnv) withCookie(value string) *browser {
	b := e.browser()
	u, _ := url.Parse(e.srv.URL)
	b.jar.SetCookies(u, []*http.Cookie{{Name: "linkhub_admin", Value: value, Path: "/"}})
	return b
}

// signedIn reports whether GET /admin/api-keys shows the console.
func (b *browser) signedIn() bool {
	b.t.Helper()
	resp, doc := b.get("/admin/api-keys")
	return resp.StatusCode == http.StatusOK && doc.Find(`[data-testid="admin-email"]`).Length() == 1
}

func (e *adminEnv) auditActions() []string {
	e.t.Helper()
	rows, _ := e.db.Pool.Query(context.Background(), `SELECT action FROM audit_log ORDER BY id`)
	var out []string
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		out = append(out, a)
	}
	return out
}
