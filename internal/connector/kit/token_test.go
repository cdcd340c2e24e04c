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
