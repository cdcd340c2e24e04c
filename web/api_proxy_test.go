package web_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestAPI_Token(t *testing.T) {
	a := newAPIClient(t)
	p := a.MustProfile(t, "jamf", "Jamf")
	acc := a.jamfAccount(p, "owner-1", a.jamf.ClientSecret)

	t.Run("OneUpstreamRequest", func(t *testing.T) {
		const n = 50
		var wg sync.WaitGroup
		got := make([]string, n)
		for i := range n {
			wg.Go(func() {
				resp, body := a.do(http.MethodPost, "/api/v1/accounts/"+acc.ID+"/token", "")
				var tok map[string]any
				if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil {
					t.Errorf("call %d: got %d %s", i, resp.StatusCode, body)
					return
				}
				got[i], _ = tok["access_token"].(string)
			})
		}
		wg.Wait()
		if n := a.jamf.TokenRequests(); n != 1 {
			t.Errorf("upstream token requests: got %d, want 1", n)
		}
		for i := range got {
			if got[i] == "" || got[i] != got[0] {
				t.Fatalf("call %d got token %.8q, call 0 %.8q: want the same", i, got[i], got[0])
			}
		}
	})
	t.Run("Shape", func(t *testing.T) {
		resp, body := a.do(http.MethodPost, "/api/v1/accounts/"+acc.ID+"/token", "")
		var tok struct {
			AccessToken string            `json:"access_token"`
			TokenType   string            `json:"token_type"`
			ExpiresAt   time.Time         `json:"expires_at"`
			BaseURL     string            `json:"base_url"`
			Headers     map[string]string `json:"headers"`
		}
		if err := json.Unmarshal(body, &tok); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || tok.TokenType != "Bearer" || tok.BaseURL != a.jamf.URL || tok.Headers == nil ||
			time.Until(tok.ExpiresAt) < 50*time.Minute || tok.ExpiresAt.Location() != time.UTC || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("token: got %d %+v", resp.StatusCode, tok)
		}
		// The token works at the vendor.
		req, _ := http.NewRequest(http.MethodGet, tok.BaseURL+"/api/v1/jamf-pro-version", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		vr, err := a.jamf.Client().Do(req)
		if err != nil || vr.StatusCode != http.StatusOK {
			t.Errorf("using the token at the vendor: %v %v", err, vr)
		}
	})
	t.Run("SophosHeaders", func(t *testing.T) {
		_, sa := a.sophosAccount("owner-s")
		status, out := a.json(http.MethodPost, "/api/v1/accounts/"+sa.ID+"/token", "")
		if h, _ := out["headers"].(map[string]any); status != http.StatusOK || h["X-Tenant-ID"] != a.sophos.ID || out["base_url"] != a.sophos.URL {
			t.Errorf("sophos token: got %d %v", status, out)
		}
	})
	t.Run("ErrAccountState", func(t *testing.T) {
		ctx := context.Background()
		disabled := a.jamfAccount(p, "owner-2", a.jamf.ClientSecret)
		if _, err := a.accounts.SetAccountStatus(ctx, linkhub.SystemActor, disabled.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
			t.Fatal(err)
		}
		a.wantError(http.MethodPost, "/api/v1/accounts/"+disabled.ID+"/token", "", http.StatusForbidden, linkhub.EFORBIDDEN, "")
		relink := a.jamfAccount(p, "owner-3", a.jamf.ClientSecret)
		if _, err := a.accounts.SetAccountStatus(ctx, linkhub.SystemActor, relink.ID, linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials); err != nil {
			t.Fatal(err)
		}
		e := a.wantError(http.MethodPost, "/api/v1/accounts/"+relink.ID+"/token", "", http.StatusForbidden, linkhub.EFORBIDDEN, "")
		if !strings.Contains(e["message"].(string), "relink") {
			t.Errorf("needs_relink: got %q, want it to say relink", e["message"])
		}
		a.wantError(http.MethodPost, "/api/v1/accounts/nope/token", "", http.StatusNotFound, linkhub.ENOTFOUND, "")

		paused := a.MustProfile(t, "jamf", "Paused")
		inactive := a.jamfAccount(paused, "owner-6", a.jamf.ClientSecret)
		off := false
		if _, err := a.profiles.UpdateProfile(ctx, linkhub.SystemActor, paused.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
			t.Fatal(err)
		}
		e = a.wantError(http.MethodPost, "/api/v1/accounts/"+inactive.ID+"/token", "", http.StatusForbidden, linkhub.EFORBIDDEN, "")
		if !strings.Contains(e["message"].(string), "profile") {
			t.Errorf("profile disabled: got %q, want it to say the profile is disabled", e["message"])
		}
	})
	t.Run("ErrVendor", func(t *testing.T) {
		wrong := a.jamfAccount(p, "owner-4", "wrong-secret-"+rand.Text())
		e := a.wantError(http.MethodPost, "/api/v1/accounts/"+wrong.ID+"/token", "", http.StatusConflict, linkhub.ECONFLICT, "")
		if !strings.Contains(e["message"].(string), "relink") {
			t.Errorf("rejected credentials: got %q, want it to say relink", e["message"])
		}
		// Nothing listens on port 1: the vendor is unreachable.
		gone := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "owner-5",
			Values: map[string]string{"url": "https://127.0.0.1:1", "client_id": a.jamf.ClientID}}
		if err := a.accounts.CreateAccount(context.Background(), gone, map[string]secret.Value{"client_secret": secret.New("x")}); err != nil {
			t.Fatal(err)
		}
		e = a.wantError(http.MethodPost, "/api/v1/accounts/"+gone.ID+"/token", "", http.StatusServiceUnavailable, linkhub.EUNAVAILABLE, "")
		if !strings.Contains(e["message"].(string), "127.0.0.1:1") {
			t.Errorf("unreachable vendor: got %q, want it to name the address", e["message"])
		}
	})
}

func TestAPI_Proxy(t *testing.T) {
	a := newAPIClient(t)
	p := a.MustProfile(t, "jamf", "Jamf")
	acc := a.jamfAccount(p, "owner-1", a.jamf.ClientSecret)
	base := "/api/v1/accounts/" + acc.ID + "/proxy"

	t.Run("Forwards", func(t *testing.T) {
		resp, body := a.do(http.MethodGet, base+"/api/v1/computers-inventory?page=0&page-size=5", "",
			"Cookie", "caller-cookie-1234", "X-Forwarded-For", "198.51.100.9", "Connection", "X-Drop-Me", "X-Drop-Me", "dropped-5678",
			"Accept-Language", "de")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Mac-01") ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("proxy: got %d %s", resp.StatusCode, body)
		}
		var seen *string
		for _, r := range a.jamf.Requests() {
			if r.Path == "/api/v1/computers-inventory" {
				seen = &r.Raw
			}
		}
		if seen == nil || !strings.HasPrefix(*seen, "page=0&page-size=5\n") || !strings.Contains(*seen, "Authorization: Bearer ey") ||
			!strings.Contains(*seen, "Accept-Language: de") {
			t.Fatalf("the fake got %v, want the query, the injected token and the caller's Accept-Language", seen)
		}
		for _, s := range []string{a.apiKey, "caller-cookie-1234", "198.51.100.9", "dropped-5678"} {
			if got := a.jamf.Sightings(s); len(got) > 0 {
				t.Errorf("%q reached the vendor: %v", s, got)
			}
		}
	})
	t.Run("VendorStatusPassedBack", func(t *testing.T) {
		resp, body := a.do(http.MethodPost, base+"/api/v1/no-such-thing", `{"a":1}`)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"httpStatus"`) {
			t.Errorf("got %d %s, want the vendor's own 404", resp.StatusCode, body)
		}
	})
	t.Run("RetriesOnceAfter401", func(t *testing.T) {
		before := a.jamf.TokenRequests()
		a.jamf.RevokeTokens()
		resp, body := a.do(http.MethodGet, base+"/api/v1/departments", "")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Sales") {
			t.Errorf("after the vendor revoked the token: got %d %s, want 200", resp.StatusCode, body)
		}
		if got := a.jamf.TokenRequests() - before; got != 1 {
			t.Errorf("token requests: got %d, want 1 fresh token", got)
		}
	})
	t.Run("SophosHeaders", func(t *testing.T) {
		_, sa := a.sophosAccount("owner-s")
		resp, body := a.do(http.MethodGet, "/api/v1/accounts/"+sa.ID+"/proxy/endpoint/v1/endpoints", "", "X-Tenant-ID", "someone-else")
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "LAPTOP-01") {
			t.Errorf("sophos endpoints: got %d %s, want 200 with the tenant header injected", resp.StatusCode, body)
		}
		if got := a.sophos.Sightings("someone-else"); len(got) > 0 {
			t.Errorf("the caller's X-Tenant-ID reached the vendor: %v", got)
		}
	})
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		n := len(a.jamf.Requests())
		a.wantError(http.MethodPost, base+"/api/v1/departments", `"`+strings.Repeat("x", 2<<20)+`"`, http.StatusRequestEntityTooLarge, "too_large", "")
		if len(a.jamf.Requests()) != n {
			t.Error("a too-large body reached the vendor")
		}
	})
	t.Run("Disabled", func(t *testing.T) {
		off := a.jamfAccount(p, "owner-2", a.jamf.ClientSecret)
		if _, err := a.accounts.SetAccountStatus(context.Background(), linkhub.SystemActor, off.ID, linkhub.AccountDisabled, "x"); err != nil {
			t.Fatal(err)
		}
		a.wantError(http.MethodGet, "/api/v1/accounts/"+off.ID+"/proxy/api/v1/departments", "", http.StatusForbidden, linkhub.EFORBIDDEN, "")
	})
}

// TestAPI_ProxyPinned sends every trick for leaving the vendor's host: none
// may reach another listener on this machine, and none reaches the vendor.
func TestAPI_ProxyPinned(t *testing.T) {
	a := newAPIClient(t)
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	otherTLS := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(otherTLS.Close)
	p := a.MustProfile(t, "jamf", "Jamf")
	acc := a.jamfAccount(p, "owner-1", a.jamf.ClientSecret)
	base := "/api/v1/accounts/" + acc.ID + "/proxy"
	before := len(a.jamf.Requests())
	for _, host := range []string{strings.TrimPrefix(other.URL, "http://"), strings.TrimPrefix(otherTLS.URL, "https://")} {
		for _, tail := range []string{
			"//" + host + "/x", "/https://" + host + "/x", "/http:%2F%2F" + host, "/%2F%2F" + host, "/@" + host + "/x",
			"/x@" + host, "/%40" + host, "/../../" + host, "/a/../../x", "/..%2F..%2F" + host, "/%2e%2e/%2e%2e/x",
			"/%252e%252e/x", `/\\` + host, "/%5C%5C" + host, "/./x", "/a//b",
		} {
			resp, body := a.do(http.MethodGet, base+tail, "")
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"field":"path"`) {
				t.Errorf("%s: got %d %s, want 400 about the path", tail, resp.StatusCode, body)
			}
		}
		// Addresses in the query or headers are the vendor's business: they
		// go to the vendor host only.
		resp, _ := a.do(http.MethodGet, base+"/api/v1/departments?url=http://"+host+"/", "", "Host", host,
			"X-Forwarded-Host", host, "Forwarded", "host="+host)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("query with a URL: got %d, want the vendor's 200", resp.StatusCode)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other listeners got %d requests, want 0", n)
	}
	for _, r := range a.jamf.Requests()[before:] {
		if r.Path != "/api/oauth/token" && r.Path != "/api/v1/departments" {
			t.Errorf("the vendor got %s", r.Path)
		}
	}
}

// TestAPI_ProxyLimits points an account at a vendor whose answer is too big.
func TestAPI_ProxyLimits(t *testing.T) {
	a := newAPIClient(t)
	big := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/oauth/token" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"access_token":"tok-big","token_type":"Bearer","expires_in":3600}`)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := strings.Repeat("x", 1<<20)
		for range 11 {
			fmt.Fprint(w, chunk)
		}
	}))
	t.Cleanup(big.Close)
	p := a.MustProfile(t, "jamf", "Jamf")
	acc := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "o", Values: map[string]string{"url": big.URL, "client_id": "id"}}
	if err := a.accounts.CreateAccount(context.Background(), acc, map[string]secret.Value{"client_secret": secret.New("s")}); err != nil {
		t.Fatal(err)
	}
	e := a.wantError(http.MethodGet, "/api/v1/accounts/"+acc.ID+"/proxy/big", "", http.StatusBadGateway, linkhub.EVENDOR, "")
	if !strings.Contains(e["message"].(string), "10 MiB") {
		t.Errorf("too large: got %q, want it to give the limit", e["message"])
	}
}

func TestAPI_Actions(t *testing.T) {
	a := newAPIClient(t)
	p := a.MustProfile(t, "jamf", "Fleet profile", "list_computers")
	acc := a.jamfAccount(p, "owner-1", a.jamf.ClientSecret)
	base := "/api/v1/accounts/" + acc.ID + "/actions/"

	status, out := a.json(http.MethodPost, base+"list_computers", `{"params":{"page":1,"section":["GENERAL","HARDWARE"]}}`)
	if status != http.StatusOK || out["totalCount"] != 1.0 {
		t.Fatalf("enabled action: got %d %v", status, out)
	}
	if got := a.jamf.Sightings("page=1&section=GENERAL&section=HARDWARE"); len(got) != 1 || got[0].Path != "/api/v1/computers-inventory" {
		t.Errorf("the vendor got %v, want the params as the query", got)
	}
	if resp, body := a.do(http.MethodPost, base+"list_computers", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("without a body: got %d %s", resp.StatusCode, body)
	}
	e := a.wantError(http.MethodPost, base+"list_departments", "", http.StatusForbidden, linkhub.EFORBIDDEN, "")
	if msg := e["message"].(string); !strings.Contains(msg, "Fleet profile") || !strings.Contains(msg, "admin must enable") {
		t.Errorf("not enabled: got %q, want it to name the profile and the fix", msg)
	}
	a.wantError(http.MethodPost, base+"launch_rockets", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
	a.wantError(http.MethodPost, base+"list_computers", `{"params":{"page":{"n":1}}}`, http.StatusBadRequest, linkhub.EINVALID, "params.page")
	a.wantError(http.MethodPost, base+"list_computers", `{"parms":{}}`, http.StatusBadRequest, linkhub.EINVALID, "parms")
	a.wantError(http.MethodPost, base+"list_computers", `[1]`, http.StatusBadRequest, linkhub.EINVALID, "")
	a.wantError(http.MethodPost, "/api/v1/accounts/nope/actions/list_computers", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
	a.wantError(http.MethodGet, base+"list_computers", "", http.StatusNotFound, linkhub.ENOTFOUND, "") // echo: no GET route here
}
