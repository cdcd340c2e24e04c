package proxy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/proxy"
	"github.com/linkhub/linkhub/internal/secret"
)

// jamfTokens hands out the fake Jamf Pro's tokens through the Jamf
// connector and a token cache, as tokens.Service does for a stored account.
type jamfTokens struct {
	conn  linkhub.Connector
	cache *connector.TokenCache
	creds linkhub.Credentials
}

func (s *jamfTokens) AccountToken(ctx context.Context, a *linkhub.Account) (linkhub.Token, error) {
	return s.cache.Get(ctx, connector.TokenKey{AccountID: a.ID}, func(ctx context.Context) (linkhub.Token, error) {
		return s.conn.Token(ctx, s.creds, a.Metadata)
	})
}

func (s *jamfTokens) ForgetRefused(a *linkhub.Account, refused linkhub.Token) {
	s.cache.ForgetRefused(connector.TokenKey{AccountID: a.ID}, refused)
}

// mustJamfForwarder is a forwarder to a fake Jamf Pro, and an account of it.
func mustJamfForwarder(t *testing.T, others ...*httptest.Server) (*proxy.Forwarder, *fake.Jamf, *linkhub.Account) {
	t.Helper()
	f := fake.NewJamf(t)
	cfg := fake.Config(10*time.Second, append([]*httptest.Server{f.Server.Server}, others...)...)
	conn, ok := connector.NewRegistry(cfg).Get("jamf")
	if !ok {
		t.Fatal("no jamf connector")
	}
	toks := &jamfTokens{conn: conn, cache: connector.NewTokenCache(10), creds: linkhub.Credentials{
		Values: map[string]string{"url": f.URL, "client_id": f.ClientID}, Secrets: map[string]secret.Value{"client_secret": secret.New(f.ClientSecret)}}}
	a := &linkhub.Account{ID: "8f9c1d1e-0000-4000-8000-000000000001", ConnectorID: "jamf", Status: linkhub.AccountActive,
		Values: map[string]string{"url": f.URL, "client_id": f.ClientID}}
	return proxy.New(toks, cfg), f, a
}

// TestForwarder_Forward: a call goes to the vendor with the query, the
// account's access token and the caller's harmless headers, and never the
// caller's credentials, cookies, addressing or the headers its Connection
// header names; the vendor's status, content type and body come back as
// they are. A token the vendor revoked early is replaced once. A route puts
// its headers over the caller's. (Moved from the host API's web tests.)
func TestForwarder_Forward(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("Forwards", func(t *testing.T) {
		t.Parallel()
		fw, f, a := mustJamfForwarder(t)
		h := http.Header{}
		for k, v := range map[string]string{"Authorization": "Bearer lh_caller_key", "Cookie": "caller-cookie-1234",
			"X-Forwarded-For": "198.51.100.9", "Connection": "X-Drop-Me", "X-Drop-Me": "dropped-5678", "Accept-Language": "de"} {
			h.Set(k, v)
		}
		resp, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodGet, Path: "/api/v1/computers-inventory",
			RawQuery: "page=0&page-size=5", Header: h})
		if err != nil || resp.Status != http.StatusOK || !strings.Contains(string(resp.Body), "Mac-01") ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("got %+v, %v", resp, err)
		}
		seen := f.Sightings("page=0&page-size=5")
		if len(seen) != 1 || seen[0].Path != "/api/v1/computers-inventory" || !strings.Contains(seen[0].Raw, "Authorization: Bearer ey") ||
			!strings.Contains(seen[0].Raw, "Accept-Language: de") {
			t.Fatalf("the fake got %+v, want the query, the injected token and the caller's Accept-Language", seen)
		}
		for _, s := range []string{"lh_caller_key", "caller-cookie-1234", "198.51.100.9", "dropped-5678"} {
			if got := f.Sightings(s); len(got) > 0 {
				t.Errorf("%q reached the vendor: %v", s, got)
			}
		}
	})
	t.Run("VendorStatusPassedBack", func(t *testing.T) {
		t.Parallel()
		fw, _, a := mustJamfForwarder(t)
		resp, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodPost, Path: "/api/v1/no-such-thing", Body: []byte(`{"a":1}`)})
		if err != nil || resp.Status != http.StatusNotFound || !strings.Contains(string(resp.Body), `"httpStatus"`) {
			t.Errorf("got %+v, %v, want the vendor's own 404", resp, err)
		}
	})
	t.Run("RetriesOnceAfter401", func(t *testing.T) {
		t.Parallel()
		fw, f, a := mustJamfForwarder(t)
		if _, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodGet, Path: "/api/v1/departments"}); err != nil {
			t.Fatal(err)
		}
		before := f.TokenRequests()
		f.RevokeTokens()
		resp, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodGet, Path: "/api/v1/departments"})
		if err != nil || resp.Status != http.StatusOK || !strings.Contains(string(resp.Body), "Sales") {
			t.Errorf("after the vendor revoked the token: got %+v, %v, want 200", resp, err)
		}
		if got := f.TokenRequests() - before; got != 1 {
			t.Errorf("token requests: got %d, want 1 fresh token", got)
		}
	})
	t.Run("RouteHeadersWin", func(t *testing.T) {
		t.Parallel()
		fw, f, a := mustJamfForwarder(t)
		h := http.Header{"X-Tenant-Id": {"someone-else"}}
		resp, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodGet, Path: "/api/v1/departments", Header: h,
			Route: &linkhub.Route{BaseURL: f.URL, Path: "/api/v1/departments", Headers: map[string]string{"X-Tenant-ID": "tenant-1"}}})
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("got %+v, %v", resp, err)
		}
		if got := f.Sightings("someone-else"); len(got) > 0 {
			t.Errorf("the caller's X-Tenant-ID reached the vendor: %v", got)
		}
		if got := f.Sightings("X-Tenant-Id: tenant-1"); len(got) != 1 {
			t.Errorf("got %v, want the route's X-Tenant-ID at the vendor", got)
		}
	})
}

// TestForwarder_Pinned sends every trick for leaving the vendor's host:
// none may reach another listener on this machine, and none reaches the
// vendor; addresses in the query or headers go to the vendor's host only.
// (Moved from the host API's web test, which checks that the caller's path
// reaches the forwarder as sent.)
func TestForwarder_Pinned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var hits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(other.Close)
	otherTLS := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(otherTLS.Close)
	fw, f, a := mustJamfForwarder(t, otherTLS)
	for _, host := range []string{strings.TrimPrefix(other.URL, "http://"), strings.TrimPrefix(otherTLS.URL, "https://")} {
		for _, tail := range []string{
			"//" + host + "/x", "/https://" + host + "/x", "/http:%2F%2F" + host, "/%2F%2F" + host, "/@" + host + "/x",
			"/x@" + host, "/%40" + host, "/../../" + host, "/a/../../x", "/..%2F..%2F" + host, "/%2e%2e/%2e%2e/x",
			"/%252e%252e/x", `/\\` + host, "/%5C%5C" + host, "/./x", "/a//b",
		} {
			_, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodGet, Path: tail})
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "path" {
				t.Errorf("%s: got %v, want EINVALID about the path", tail, err)
			}
		}
		h := http.Header{"Host": {host}, "X-Forwarded-Host": {host}, "Forwarded": {"host=" + host}}
		resp, err := fw.Forward(ctx, a, proxy.Request{Method: http.MethodGet, Path: "/api/v1/departments",
			RawQuery: "url=http://" + host + "/", Header: h})
		if err != nil || resp.Status != http.StatusOK {
			t.Errorf("query with a URL: got %+v, %v, want the vendor's 200", resp, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other listeners got %d requests, want 0", n)
	}
	for _, r := range f.Requests() {
		if r.Path != "/api/oauth/token" && r.Path != "/api/v1/departments" {
			t.Errorf("the vendor got %s", r.Path)
		}
	}
}

// fixedToken hands out one token for base, as for an account the token
// service has already read.
type fixedToken struct{ base string }

func (s fixedToken) AccountToken(context.Context, *linkhub.Account) (linkhub.Token, error) {
	return linkhub.Token{AccessToken: secret.New("tok-big"), BaseURL: s.base, Expiry: time.Now().Add(time.Hour)}, nil
}

func (fixedToken) ForgetRefused(*linkhub.Account, linkhub.Token) {}

// TestForwarder_Limits: an answer larger than MaxResponse is an EVENDOR
// error giving the limit, not a cut body. (Moved from the host API's web
// test.)
func TestForwarder_Limits(t *testing.T) {
	t.Parallel()
	big := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		chunk := strings.Repeat("x", 1<<20)
		for range 11 {
			fmt.Fprint(w, chunk)
		}
	}))
	t.Cleanup(big.Close)
	fw := proxy.New(fixedToken{base: big.URL}, fake.Config(10*time.Second, big))
	_, err := fw.Forward(context.Background(), &linkhub.Account{ID: "a-1", ConnectorID: "jamf"}, proxy.Request{Method: http.MethodGet, Path: "/big"})
	if linkhub.ErrorCode(err) != linkhub.EVENDOR || !strings.Contains(linkhub.ErrorMessage(err), "10 MiB") {
		t.Errorf("too large: got %v, want EVENDOR giving the limit", err)
	}
}
