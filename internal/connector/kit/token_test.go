package kit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestRequestToken_NoRedirect checks that a token endpoint answering with a
// redirect does not get the secret forwarded to the redirect's target.
func TestRequestToken_NoRedirect(t *testing.T) {
	var hits atomic.Int64
	target := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer target.Close()
	src := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer src.Close()
	cfg := fake.Config(time.Second, src, target)
	_, f := kit.RequestToken(context.Background(), kit.NewClient(cfg), cfg, kit.TokenRequest{
		Vendor: "Test", URL: src.URL + "/token", ClientID: "id", ClientSecret: secret.New("s3cret")})
	if f == nil || f.Reason != linkhub.ReasonNotVendor || f.HTTPStatus != http.StatusTemporaryRedirect {
		t.Fatalf("got %+v, want a not_vendor failure with status 307", f)
	}
	if got := hits.Load(); got != 0 {
		t.Fatalf("got %d requests at the redirect target, want 0", got)
	}
}

// TestRequestToken_BodyCapped checks that an endless answer is cut at MaxBody.
func TestRequestToken_BodyCapped(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat("x", 64<<10))
		for range 64 { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	cfg := fake.Config(5*time.Second, srv)
	resp, f := kit.Do(context.Background(), kit.NewClient(cfg), cfg, kit.Call{URL: srv.URL})
	if f != nil {
		t.Fatal(f)
	}
	if got := len(resp.Body); got != kit.MaxBody {
		t.Fatalf("got %d bytes, want %d", got, kit.MaxBody)
	}
}

// TestRequestToken_PlainHTTPPort: an https:// address whose port speaks plain
// HTTP (Go's http.ErrSchemeMismatch) has its own reason and says to check the
// port, rather than "try again in a few minutes".
func TestRequestToken_PlainHTTPPort(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	cfg := fake.Config(5 * time.Second)
	host := strings.TrimPrefix(srv.URL, "http://")
	_, f := kit.RequestToken(context.Background(), kit.NewClient(cfg), cfg, kit.TokenRequest{
		Vendor: "Test", URL: "https://" + host + "/token", ClientID: "id", ClientSecret: secret.New("s3cret")})
	if f == nil || f.Reason != linkhub.ReasonSchemeMismatch {
		t.Fatalf("got %+v, want reason %s", f, linkhub.ReasonSchemeMismatch)
	}
	if !strings.Contains(f.Hint, "plain HTTP, not HTTPS") || !strings.Contains(f.Hint, host) || !strings.Contains(f.Hint, "port") {
		t.Fatalf("got hint %q, want it to name %s, plain HTTP and the port", f.Hint, host)
	}
}

// busyOnce answers its first token request 503 with the given Retry-After,
// then issues tokens; it counts the requests.
func busyOnce(t *testing.T, retryAfter string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":"Service Unavailable"}`))
			return
		}
		_, _ = w.Write([]byte(`{"access_token":"tok","token_type":"Bearer","expires_in":3600}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestRequestToken_RetryAfter: a 503 whose Retry-After is short (within the
// vendor timeout) is waited for and retried once; a long one is reported at
// once, saying when to try again.
func TestRequestToken_RetryAfter(t *testing.T) {
	t.Run("ShortIsWaitedForOnce", func(t *testing.T) {
		srv, n := busyOnce(t, "1")
		cfg := fake.Config(5*time.Second, srv)
		start := time.Now()
		tok, f := kit.RequestToken(context.Background(), kit.NewClient(cfg), cfg, kit.TokenRequest{
			Vendor: "Test", URL: srv.URL + "/token", ClientID: "id", ClientSecret: secret.New("s3cret")})
		if f != nil || tok.AccessToken.Reveal() != "tok" {
			t.Fatalf("got %+v, want the retry's token", f)
		}
		if got := n.Load(); got != 2 {
			t.Fatalf("got %d requests, want 2 (one 503, one retry)", got)
		}
		if d := time.Since(start); d < time.Second {
			t.Fatalf("retried after %v, want the 1s the vendor asked for", d)
		}
	})
	t.Run("LongIsReported", func(t *testing.T) {
		srv, n := busyOnce(t, "120")
		cfg := fake.Config(5*time.Second, srv)
		_, f := kit.RequestToken(context.Background(), kit.NewClient(cfg), cfg, kit.TokenRequest{
			Vendor: "Test", URL: srv.URL + "/token", ClientID: "id", ClientSecret: secret.New("s3cret")})
		if f == nil || f.Reason != linkhub.ReasonVendorUnavailable || f.HTTPStatus != 503 || !strings.Contains(f.Hint, "2 minutes") {
			t.Fatalf("got %+v, want vendor_unavailable 503 saying to wait 2 minutes", f)
		}
		if got := n.Load(); got != 1 {
			t.Fatalf("got %d requests, want 1: the vendor asked for longer than the vendor timeout", got)
		}
	})
}
