package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
)

func ping(t *testing.T, env *adminEnv, auth string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/api/v1/ping", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func TestAdmin_APIKeys(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")

	if _, doc := b.get("/admin/api-keys"); doc.Find(`[data-testid="empty-keys"]`).Length() != 1 {
		t.Error("no empty state")
	}
	if resp, doc := b.post("/admin/api-keys", url.Values{"name": {"  "}}); resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="name-error"]`).Text() == "" {
		t.Errorf("empty name: got %d", resp.StatusCode)
	}
	resp, doc := b.post("/admin/api-keys", url.Values{"name": {"Production backend"}})
	key, _ := doc.Find(`[data-testid="new-key"]`).Attr("value")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(key, "lh_") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: got %d, key %q, Cache-Control %q", resp.StatusCode, key, resp.Header.Get("Cache-Control"))
	}
	env.secrets = append(env.secrets, key)
	prefix := strings.Split(key, "_")[1]
	secret := strings.Split(key, "_")[2]

	t.Run("ShownOnce", func(t *testing.T) {
		for _, p := range []string{"/admin/api-keys", "/admin/audit", "/admin/settings", "/admin/admins"} {
			if h := b.html(p); strings.Contains(h, secret) {
				t.Errorf("%s shows the key's secret", p)
			}
		}
		_, doc := b.get("/admin/api-keys")
		if got := doc.Find(`[data-testid="key-prefix"]`).Text(); got != "lh_"+prefix+"_…" {
			t.Errorf("listed key: got %q, want the prefix only", got)
		}
	})
	t.Run("Ping", func(t *testing.T) {
		if code, body := ping(t, env, "Bearer "+key); code != 200 || body["ok"] != true {
			t.Errorf("valid key: got %d %v", code, body)
		}
		for _, auth := range []string{"", "Bearer ", "Basic " + key, "Bearer lh_" + prefix + "_wrong", "Bearer " + key + "x"} {
			code, body := ping(t, env, auth)
			e, _ := body["error"].(map[string]any)
			if code != http.StatusUnauthorized || e["code"] != "unauthorized" || e["message"] == "" {
				t.Errorf("Authorization %q: got %d %v, want 401 unauthorized", auth, code, body)
			}
		}
	})
	t.Run("LastUsedBatched", func(t *testing.T) {
		var last *time.Time
		_ = env.db.Pool.QueryRow(context.Background(), `SELECT last_used_at FROM api_keys`).Scan(&last)
		if last != nil {
			t.Fatal("last_used_at written per request; want it batched")
		}
		if err := env.keys.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		_ = env.db.Pool.QueryRow(context.Background(), `SELECT last_used_at FROM api_keys`).Scan(&last)
		if last == nil || time.Since(*last) > time.Minute {
			t.Errorf("after a flush: last_used_at %v, want about now", last)
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		_, doc := b.get("/admin/api-keys")
		href, _ := doc.Find(`[data-testid="key-row"] a`).Attr("href")
		if _, doc := b.get(href); doc.Find(`[data-testid="confirm-revoke"]`).Length() != 1 {
			t.Fatal("no confirmation page")
		}
		if resp, _ := b.post(href, nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: got %d", resp.StatusCode)
		}
		if code, _ := ping(t, env, "Bearer "+key); code != http.StatusUnauthorized {
			t.Errorf("revoked key: got %d, want 401", code)
		}
		if _, doc := b.get("/admin/api-keys"); !strings.Contains(doc.Find(`[data-testid="key-row"]`).Text(), "Revoked") {
			t.Error("key not listed as revoked")
		}
	})
	for _, want := range []string{"api_key.created", "api_key.revoked"} {
		if !slices.Contains(env.auditActions(), want) {
			t.Errorf("no %s audit entry", want)
		}
	}
}

func TestAdmin_Settings(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	countSettings := func() (n int) {
		_ = env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM settings`).Scan(&n)
		return n
	}

	resp, doc := b.post("/admin/settings", url.Values{
		"embed_origins":    {"https://app.example.com\nhttp://app.example.com\nhttps://app.example.com/path\nhttp://localhost:3000"},
		"product_name":     {"Acme"},
		"logo_url":         {"http://acme.example/logo.png"},
		"primary_color":    {"blue"},
		"session_lifetime": {"10"},
	})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", resp.StatusCode)
	}
	var lines []string
	doc.Find(`[data-testid="origin-errors"] li`).Each(func(_ int, s *goquery.Selection) { lines = append(lines, s.Text()) })
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "Line 2:") || !strings.HasPrefix(lines[1], "Line 3:") {
		t.Errorf("origin errors: got %q, want lines 2 and 3", lines)
	}
	for _, id := range []string{"logo_url", "primary_color", "session_lifetime"} {
		if doc.Find(`[data-testid="`+id+`-error"]`).Text() == "" {
			t.Errorf("no %s error", id)
		}
	}
	if d, _ := doc.Find("#embed_origins").Attr("aria-describedby"); !strings.Contains(d, "embed_origins-error") {
		t.Errorf("origins aria-describedby %q", d)
	}
	if n := countSettings(); n != 0 {
		t.Errorf("%d settings stored after a bad form, want 0", n)
	}

	resp, _ = b.post("/admin/settings", url.Values{
		"embed_origins": {"https://app.example.com\r\nhttp://localhost:3000\r\n"}, "product_name": {"Acme"},
		"logo_url": {"https://acme.example/logo.png"}, "primary_color": {"#FF8800"}, "session_lifetime": {"3600"},
	})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid settings: got %d\n%s", resp.StatusCode, env.logs)
	}
	_, doc = b.get("/admin/settings")
	if got := doc.Find("#embed_origins").Text(); got != "https://app.example.com\nhttp://localhost:3000" {
		t.Errorf("stored origins: got %q", got)
	}
	if v, _ := doc.Find("#primary_color").Attr("value"); v != "#ff8800" {
		t.Errorf("colour: got %q", v)
	}
	if !slices.Contains(env.auditActions(), "settings.updated") {
		t.Error("no settings.updated audit entry")
	}
}

func TestAdmin_AuditPage(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	audit := postgres.NewAuditService(env.db)
	for range 60 {
		if err := audit.CreateAuditEntry(context.Background(), &linkhub.AuditEntry{Actor: linkhub.SystemActor, Action: "admin.login_failed"}); err != nil {
			t.Fatal(err)
		}
	}
	_, doc := b.get("/admin/audit")
	if n := doc.Find(`[data-testid="audit-row"]`).Length(); n != 50 {
		t.Errorf("first page: %d rows, want 50", n)
	}
	next, ok := doc.Find(`[data-testid="audit-next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page link")
	}
	if _, doc := b.get(next); doc.Find(`[data-testid="audit-row"]`).Length() == 0 {
		t.Error("second page is empty")
	}
	_, doc = b.get("/admin/audit?action=admin.login&actor=ADA@example.com")
	if n := doc.Find(`[data-testid="audit-row"]`).Length(); n != 1 || doc.Find(`[data-testid="audit-action"]`).Text() != "admin.login" {
		t.Errorf("filtered: %d rows, want the one sign-in", n)
	}
}

func TestAdmin_CrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	for _, p := range []string{"/admin/api-keys", "/admin/settings", "/admin/logout"} {
		req, _ := http.NewRequest(http.MethodPost, env.srv.URL+p, strings.NewReader("name=evil&product_name=Evil"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, _ := b.do(req)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s cross-site: got %d, want 403", p, resp.StatusCode)
		}
	}
	var keys, settings int
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM api_keys), (SELECT count(*) FROM settings)`).Scan(&keys, &settings)
	if keys != 0 || settings != 0 || !b.signedIn() {
		t.Errorf("a refused request changed something: %d keys, %d settings, signed in %v", keys, settings, b.signedIn())
	}
}
