package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// admPing calls GET /api/v1/ping with this Authorization header (none if
// empty) and returns the status and the JSON answer.
func admPing(t *testing.T, e *mockEnv, auth string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.URL+"/api/v1/ping", nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, raw := e.send(req)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// TestAdmin_APIKeys: the keys page shows the service's keys (an empty
// state, then each by its prefix only, revoked ones as such); a new key
// goes to the service with its name as typed and the signed-in admin, its
// field error is shown beside the name, and the key itself is shown once,
// uncached, and on no other page; the API takes exactly the keys the
// service accepts, noting each use; revoking asks first, then goes to the
// service. Key format, hashing, batching and audit are
// TestAPIKeyService_CreateRevoke's, _UseIsBatched's and _CreateBadName's.
// No database.
func TestAdmin_APIKeys(t *testing.T) {
	t.Parallel()
	e, _ := admSignedIn(t)
	const id, prefix, secret = "00000000-0000-4000-8000-00000000c0de", "abcd1234", "s3cretpartofthekey"
	key := "lh_" + prefix + "_" + secret
	var mu sync.Mutex
	var keys []*linkhub.APIKey
	var calls, used []string
	e.apiKeys.FindAPIKeysFn = func(context.Context) ([]*linkhub.APIKey, error) {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(keys), nil
	}
	e.apiKeys.CreateAPIKeyFn = func(_ context.Context, actor linkhub.Actor, name string) (*linkhub.APIKey, string, error) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("create %s %q", actor.ID, name))
		if strings.TrimSpace(name) == "" {
			return nil, "", linkhub.FieldError("name", "Enter a name for the key.")
		}
		keys = append(keys, &linkhub.APIKey{ID: id, Name: name, Prefix: prefix, CreatedAt: time.Now()})
		return keys[0], key, nil
	}
	e.apiKeys.FindAPIKeyByIDFn = func(_ context.Context, got string) (*linkhub.APIKey, error) {
		mu.Lock()
		defer mu.Unlock()
		if got != id || len(keys) == 0 {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such API key.")
		}
		return keys[0], nil
	}
	e.apiKeys.RevokeAPIKeyFn = func(_ context.Context, actor linkhub.Actor, got string) (*linkhub.APIKey, error) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("revoke %s %s", actor.ID, got))
		now := time.Now()
		keys[0].RevokedAt = &now
		return keys[0], nil
	}
	e.apiKeys.AuthenticateAPIKeyFn = func(_ context.Context, got string) (*linkhub.APIKey, error) {
		mu.Lock()
		defer mu.Unlock()
		if got != key || len(keys) == 0 || !keys[0].Active() {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Unknown API key.")
		}
		return keys[0], nil
	}
	e.apiKeys.RecordAPIKeyUseFn = func(got string, _ time.Time) {
		mu.Lock()
		defer mu.Unlock()
		used = append(used, got)
	}
	e.admins.FindAdminsFn = func(context.Context) ([]*linkhub.Admin, error) { return []*linkhub.Admin{admAda()}, nil }
	e.audit.FindAuditEntriesFn = func(context.Context, linkhub.AuditFilter) ([]*linkhub.AuditEntry, bool, error) {
		return []*linkhub.AuditEntry{{Actor: linkhub.AdminActor(admAda(), "127.0.0.1"), Action: linkhub.ActionAPIKeyCreated,
			TargetKind: "api_key", TargetID: id, Details: map[string]string{"name": "Production backend"}}}, false, nil
	}

	if _, doc := e.get("/admin/api-keys"); doc.Find(`[data-testid="empty-keys"]`).Length() != 1 {
		t.Error("no empty state")
	}
	if resp, doc := e.post("/admin/api-keys", url.Values{"name": {"  "}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		doc.Find(`[data-testid="name-error"]`).Text() != "Enter a name for the key." {
		t.Errorf("empty name: got %d %q", resp.StatusCode, doc.Find(`[data-testid="name-error"]`).Text())
	}
	resp, doc := e.post("/admin/api-keys", url.Values{"name": {"Production backend"}})
	if got := doc.Find(`[data-testid="new-key"]`).AttrOr("value", ""); resp.StatusCode != http.StatusCreated || got != key ||
		resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: got %d, key %q, Cache-Control %q", resp.StatusCode, got, resp.Header.Get("Cache-Control"))
	}
	e.hidden = append(e.hidden, secret)

	t.Run("ShownOnce", func(t *testing.T) {
		for _, p := range []string{"/admin/api-keys", "/admin/audit", "/admin/settings", "/admin/admins"} {
			if resp, _ := e.get(p); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: got %d", p, resp.StatusCode)
			}
		}
		_, doc := e.get("/admin/api-keys")
		if got := doc.Find(`[data-testid="key-prefix"]`).Text(); got != "lh_"+prefix+"_…" {
			t.Errorf("listed key: got %q, want the prefix only", got)
		}
	})
	t.Run("Ping", func(t *testing.T) {
		if code, body := admPing(t, e, "Bearer "+key); code != 200 || body["ok"] != true {
			t.Errorf("valid key: got %d %v", code, body)
		}
		for _, auth := range []string{"", "Bearer ", "Basic " + key, "Bearer lh_" + prefix + "_wrong", "Bearer " + key + "x"} {
			code, body := admPing(t, e, auth)
			if err := apiError(body); code != http.StatusUnauthorized || err["code"] != "unauthorized" || err["message"] == "" {
				t.Errorf("Authorization %q: got %d %v, want 401 unauthorized", auth, code, body)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(used) == 0 || slices.ContainsFunc(used, func(s string) bool { return s != id }) {
			t.Errorf("uses noted %q, want the key's id for the good pings only", used)
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		_, doc := e.get("/admin/api-keys")
		href, _ := doc.Find(`[data-testid="key-row"] a`).Attr("href")
		if _, doc := e.get(href); doc.Find(`[data-testid="confirm-revoke"]`).Length() != 1 {
			t.Fatalf("no confirmation page at %q", href)
		}
		if resp, _ := e.post(href, nil); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/api-keys" {
			t.Fatalf("revoke: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if code, _ := admPing(t, e, "Bearer "+key); code != http.StatusUnauthorized {
			t.Errorf("revoked key: got %d, want 401", code)
		}
		_, doc = e.get("/admin/api-keys")
		if !strings.Contains(doc.Find(`[data-testid="key-row"]`).Text(), "Revoked") || !strings.Contains(doc.Find(`[data-testid="flash"]`).Text(), "Production backend") {
			t.Error("key not listed as revoked with a message naming it")
		}
		if resp, _ := e.get(href); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("confirmation of a revoked key: got %d, want 303 back to the list", resp.StatusCode)
		}
	})
	mu.Lock()
	defer mu.Unlock()
	want := []string{`create ` + admAdaID + ` "  "`, `create ` + admAdaID + ` "Production backend"`, "revoke " + admAdaID + " " + id}
	if !slices.Equal(calls, want) {
		t.Errorf("service calls %q, want %q", calls, want)
	}
}

// TestAdmin_Settings: a bad form is refused as a whole (422, nothing sent
// to the service) with one message per bad origin line and per field; a
// good one reaches the service parsed (origins one per line without blank
// ones, colour lower-cased, lifetime in seconds) as the signed-in admin,
// and the page shows what the service has. Storing and auditing are
// TestSettingsService_Update's. No database.
func TestAdmin_Settings(t *testing.T) {
	t.Parallel()
	e, _ := admSignedIn(t)
	var mu sync.Mutex
	var updates []linkhub.Settings
	var actors []linkhub.Actor
	stored := linkhub.DefaultSettings()
	e.settings.UpdateSettingsFn = func(_ context.Context, actor linkhub.Actor, st linkhub.Settings) (*linkhub.Settings, error) {
		mu.Lock()
		defer mu.Unlock()
		updates, actors, stored = append(updates, st), append(actors, actor), st
		return st.Clone(), nil
	}
	e.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		mu.Lock()
		defer mu.Unlock()
		return stored.Clone(), nil
	}

	resp, doc := e.post("/admin/settings", url.Values{
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
	if v := doc.Find("#product_name").AttrOr("value", ""); v != "Acme" {
		t.Errorf("product name not kept: %q", v)
	}

	resp, _ = e.post("/admin/settings", url.Values{
		"embed_origins": {"https://app.example.com\r\n\r\nhttp://localhost:3000\r\n"}, "product_name": {" Acme "},
		"logo_url": {"https://acme.example/logo.png"}, "primary_color": {"#FF8800"}, "session_lifetime": {"3600"},
	})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/settings" {
		t.Fatalf("valid settings: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	mu.Lock()
	if len(updates) != 1 {
		t.Fatalf("UpdateSettings got %d calls, want only the valid form's", len(updates))
	}
	want := linkhub.Settings{EmbedOrigins: []string{"https://app.example.com", "http://localhost:3000"}, ProductName: "Acme",
		LogoURL: "https://acme.example/logo.png", PrimaryColor: "#ff8800", SessionLifetime: time.Hour, DefaultLocale: "en"}
	if got := updates[0]; !slices.Equal(got.EmbedOrigins, want.EmbedOrigins) || got.ProductName != want.ProductName ||
		got.LogoURL != want.LogoURL || got.PrimaryColor != want.PrimaryColor || got.SessionLifetime != want.SessionLifetime ||
		got.DefaultLocale != want.DefaultLocale {
		t.Errorf("UpdateSettings got %+v, want %+v", got, want)
	}
	if a := actors[0]; a.Kind != "admin" || a.ID != admAdaID || a.IP != "127.0.0.1" {
		t.Errorf("as %+v, want Ada from 127.0.0.1", a)
	}
	mu.Unlock()
	_, doc = e.get("/admin/settings")
	if got := doc.Find("#embed_origins").Text(); got != "https://app.example.com\nhttp://localhost:3000" {
		t.Errorf("stored origins: got %q", got)
	}
	if v, _ := doc.Find("#primary_color").Attr("value"); v != "#ff8800" {
		t.Errorf("colour: got %q", v)
	}
	if v, _ := doc.Find("#session_lifetime").Attr("value"); v != "3600" {
		t.Errorf("lifetime: got %q, want seconds", v)
	}
	if msg := doc.Find(`[data-testid="flash"]`).Text(); msg != "Settings saved." {
		t.Errorf("flash: got %q", msg)
	}
}

// TestAdmin_AuditPage: the audit page asks the service for 50 entries at
// a time, links to the next page when the service says more follow and
// asks for that page's offset, and passes the action and actor filters
// through (an unknown action is no filter). Paging and filtering are
// TestAuditService_FindAuditEntries's. No database.
func TestAdmin_AuditPage(t *testing.T) {
	t.Parallel()
	e, _ := admSignedIn(t)
	var mu sync.Mutex
	var filters []string
	e.audit.FindAuditEntriesFn = func(_ context.Context, f linkhub.AuditFilter) ([]*linkhub.AuditEntry, bool, error) {
		mu.Lock()
		defer mu.Unlock()
		action, actor := "", ""
		if f.Action != nil {
			action = *f.Action
		}
		if f.Actor != nil {
			actor = *f.Actor
		}
		filters = append(filters, fmt.Sprintf("%d+%d %s %s", f.Offset, f.Limit, action, actor))
		if action != "" {
			return []*linkhub.AuditEntry{{Actor: linkhub.AdminActor(admAda(), "192.0.2.1"), Action: action, TargetKind: "admin",
				TargetID: admAdaID, CreatedAt: time.Now()}}, false, nil
		}
		n := 50
		if f.Offset > 0 {
			n = 10
		}
		var out []*linkhub.AuditEntry
		for range n {
			out = append(out, &linkhub.AuditEntry{Actor: linkhub.SystemActor, Action: linkhub.ActionLoginFailed,
				Details: map[string]string{"reason": "wrong_password"}, CreatedAt: time.Now()})
		}
		return out, f.Offset == 0, nil
	}

	_, doc := e.get("/admin/audit")
	if n := doc.Find(`[data-testid="audit-row"]`).Length(); n != 50 {
		t.Errorf("first page: %d rows, want 50", n)
	}
	next, ok := doc.Find(`[data-testid="audit-next"]`).Attr("href")
	if !ok {
		t.Fatal("no next page link")
	}
	_, doc = e.get(next)
	if n := doc.Find(`[data-testid="audit-row"]`).Length(); n != 10 || doc.Find(`[data-testid="audit-next"]`).Length() != 0 {
		t.Errorf("second page: %d rows and %d next links, want 10 and none", n, doc.Find(`[data-testid="audit-next"]`).Length())
	}
	_, doc = e.get("/admin/audit?action=admin.login&actor=ADA@example.com")
	if n := doc.Find(`[data-testid="audit-row"]`).Length(); n != 1 || doc.Find(`[data-testid="audit-action"]`).Text() != "admin.login" {
		t.Errorf("filtered: %d rows, want the one sign-in", n)
	}
	e.get("/admin/audit?action=no.such&page=-3")
	mu.Lock()
	defer mu.Unlock()
	want := []string{"0+50  ", "50+50  ", "0+50 admin.login ADA@example.com", "0+50  "}
	if !slices.Equal(filters, want) {
		t.Errorf("filters %q, want %q", filters, want)
	}
}

// TestAdmin_CrossOriginPostRefused: a cross-site form post to the console
// is refused (403) before any handler, so no service is called and the
// session stays. No database.
func TestAdmin_CrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	e, s := admSignedIn(t)
	// CreateAPIKey and UpdateSettings are unset: a call would panic (500).
	for _, p := range []string{"/admin/api-keys", "/admin/settings", "/admin/logout"} {
		req, _ := http.NewRequest(http.MethodPost, e.URL+p, strings.NewReader("name=evil&product_name=Evil"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		if resp, _ := e.do(req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST %s cross-site: got %d, want 403", p, resp.StatusCode)
		}
	}
	if len(s.deletedTokens()) != 0 || !admSignedInWith(t, e, e.client) {
		t.Errorf("a refused request changed something: sessions ended %q", s.deletedTokens())
	}
}
