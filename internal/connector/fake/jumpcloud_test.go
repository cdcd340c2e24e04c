package fake_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJumpCloud checks that the fake answers as its facts say, so that a
// definition tested against it meets what JumpCloud is documented to do.
func TestJumpCloud(t *testing.T) {
	f := fake.NewJumpCloud(t)
	get := func(t *testing.T, path, key, org string) (*http.Response, any) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, f.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("x-api-key", key)
		if org != "" {
			req.Header.Set("x-org-id", org)
		}
		res, err := f.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body any
		if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
			t.Fatalf("%s: body is not JSON: %v", path, err)
		}
		return res, body
	}
	message := func(body any) any {
		m, _ := body.(map[string]any)
		return m["message"]
	}

	t.Run("OK", func(t *testing.T) {
		res, body := get(t, "/api/systemusers?limit=1", f.ClientSecret, "")
		m, _ := body.(map[string]any)
		results, _ := m["results"].([]any)
		if res.StatusCode != 200 || m["totalCount"] != 3.0 || len(results) != 1 {
			t.Fatalf("got %d %v, want 200 with totalCount 3 and one result", res.StatusCode, body)
		}
		res, body = get(t, "/api/v2/usergroups", f.ClientSecret, f.Orgs[0])
		if groups, ok := body.([]any); res.StatusCode != 200 || !ok || len(groups) != 1 || res.Header.Get("x-total-count") != "1" {
			t.Fatalf("got %d %v x-total-count %q, want 200 with a bare array of one group", res.StatusCode, body, res.Header.Get("x-total-count"))
		}
	})
	t.Run("ErrBadKey", func(t *testing.T) {
		res, body := get(t, "/api/systemusers?limit=1", "0123456789abcdef0123456789abcdef01234567", "")
		if res.StatusCode != 401 || message(body) != "Unauthorized" {
			t.Fatalf("got %d %v, want 401 Unauthorized", res.StatusCode, body)
		}
	})
	t.Run("ErrOrgNotManaged", func(t *testing.T) {
		res, body := get(t, "/api/systems", f.ClientSecret, "5b5f13f06f5ad0c29a0f3e60")
		if res.StatusCode != 401 || message(body) != "Unauthorized" {
			t.Fatalf("got %d %v, want 401 Unauthorized", res.StatusCode, body)
		}
	})
	t.Run("ErrMultiTenantWithoutOrg", func(t *testing.T) {
		f.MultiTenant = true
		defer func() { f.MultiTenant = false }()
		if res, body := get(t, "/api/systemusers?limit=1", f.ClientSecret, ""); res.StatusCode != 400 {
			t.Fatalf("got %d %v, want 400", res.StatusCode, body)
		}
		if res, body := get(t, "/api/organizations", f.ClientSecret, ""); res.StatusCode != 200 {
			t.Fatalf("organizations: got %d %v, want 200 without x-org-id", res.StatusCode, body)
		}
		if res, body := get(t, "/api/systemusers?limit=1", f.ClientSecret, f.Orgs[1]); res.StatusCode != 200 {
			t.Fatalf("with x-org-id: got %d %v, want 200", res.StatusCode, body)
		}
	})
	t.Run("ErrDenied", func(t *testing.T) {
		f.Denied["systems"] = true
		defer delete(f.Denied, "systems")
		if res, body := get(t, "/api/systems", f.ClientSecret, ""); res.StatusCode != 403 || message(body) != "Forbidden" {
			t.Fatalf("got %d %v, want 403 Forbidden", res.StatusCode, body)
		}
	})
	t.Run("ErrRateLimited", func(t *testing.T) {
		f.RateLimited = true
		defer func() { f.RateLimited = false }()
		if res, body := get(t, "/api/systemusers", f.ClientSecret, ""); res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
			t.Fatalf("got %d %v Retry-After %q, want 429 with Retry-After", res.StatusCode, body, res.Header.Get("Retry-After"))
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		f.SetSlow(-1) // never answers: the client must give up
		defer f.SetSlow(0)
		c := *f.Client() // a copy: the server's client is shared
		c.Timeout = 300 * time.Millisecond
		req, _ := http.NewRequest(http.MethodGet, f.URL+"/api/systemusers?limit=1", nil)
		req.Header.Set("x-api-key", f.ClientSecret)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
			t.Fatalf("got %d, want no answer", res.StatusCode)
		}
	})
	t.Run("ErrDown", func(t *testing.T) {
		f.SetDown(true)
		defer f.SetDown(false)
		if res, body := get(t, "/api/systemusers", f.ClientSecret, ""); res.StatusCode != 503 {
			t.Fatalf("got %d %v, want 503", res.StatusCode, body)
		}
	})
}
