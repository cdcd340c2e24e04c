package kit_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"code.dny.dev/ssrf"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/kit/kittest"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// hostile is the production policy with a resolver an attacker controls.
var hostile = kit.Config{Timeout: time.Second, Resolver: kittest.Resolver{}}

// TestCheckAddress_Tricks checks that the address check refuses every SSRF
// trick, and still accepts a public address (so the refusals are real).
func TestCheckAddress_Tricks(t *testing.T) {
	if len(kittest.Tricks) < 50 {
		t.Fatalf("got %d tricks, want at least 50", len(kittest.Tricks))
	}
	for _, u := range []string{"https://" + kittest.PublicHost + ":8443", "https://" + kittest.MappedPublicHost,
		"https://[::ffff:93.184.215.14]:8443"} {
		if f := kit.CheckAddress(context.Background(), hostile, u); f != nil {
			t.Fatalf("public address %s: got %+v, want it allowed", u, f)
		}
	}
	for _, tr := range kittest.Tricks {
		t.Run(tr.Name, func(t *testing.T) {
			f := kit.CheckAddress(context.Background(), hostile, tr.URL)
			if f == nil {
				t.Fatalf("CheckAddress(%q): got allowed, want refused", tr.URL)
			}
			if f.Reason != linkhub.ReasonAddressNotAllowed && f.Reason != linkhub.ReasonInvalidInput {
				t.Fatalf("CheckAddress(%q): got %s (%s), want address_not_allowed or invalid_input", tr.URL, f.Reason, f.Hint)
			}
		})
	}
}

// TestNewClient_Tricks checks the second line of defence on its own: the
// client's dialer refuses every trick even when no address check ran before
// it (DNS may answer differently between check and dial). An error other
// than the policy's is allowed only when the client refused the URL or the
// address before opening any socket.
func TestNewClient_Tricks(t *testing.T) {
	hc := kit.NewClient(hostile)
	for _, tr := range kittest.Tricks {
		t.Run(tr.Name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, tr.URL, nil)
			if err != nil {
				return // not even a request: nothing to dial
			}
			resp, err := hc.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("GET %s: got %s, want refused", tr.URL, resp.Status)
			}
			if refusedByPolicy(err) {
				return
			}
			var opErr *net.OpError
			var addrErr *net.AddrError // an unusable address never reaches connect
			if errors.As(err, &opErr) && opErr.Op == "dial" && !errors.As(err, &addrErr) {
				t.Fatalf("GET %s: got dial error %v, want the policy to refuse before connecting", tr.URL, err)
			}
			var urlErr *url.Error
			if !errors.As(err, &urlErr) {
				t.Fatalf("GET %s: got %T %v", tr.URL, err, err)
			}
		})
	}
}

func refusedByPolicy(err error) bool {
	return errors.Is(err, ssrf.ErrProhibitedIP) || errors.Is(err, ssrf.ErrProhibitedPort) ||
		errors.Is(err, ssrf.ErrProhibitedNetwork) || errors.Is(err, ssrf.ErrInvalidHostPort)
}

// TestNewClient_RedirectToPrivate checks that a vendor answering with a
// redirect to a private or metadata address gets no second request: the
// first hop is a loopback server the policy allows by CIDR, the targets are
// addresses it does not allow, and the client hands back the redirect.
func TestNewClient_RedirectToPrivate(t *testing.T) {
	for _, target := range []string{"https://169.254.169.254/latest/meta-data/", "https://metadata.google.internal/",
		"https://10.0.0.5/admin", "https://127.0.0.2:8443/"} {
		t.Run(target, func(t *testing.T) {
			var hits atomic.Int64
			src := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				http.Redirect(w, r, target, http.StatusFound)
			}))
			defer src.Close()
			cfg := fake.Config(time.Second, src)
			cfg.AllowCIDRs = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
			cfg.Resolver = kittest.Resolver{}
			hc := kit.NewClient(cfg)
			resp, err := hc.Get(src.URL + "/api/oauth/token")
			if err != nil {
				t.Fatalf("got %v, want the redirect answer itself", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound || hits.Load() != 1 {
				t.Fatalf("got %d after %d requests, want 302 after 1", resp.StatusCode, hits.Load())
			}
			// Were redirects ever followed, the dial to the target would be refused too.
			u, _ := url.Parse(target)
			req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}
			if _, err := hc.Transport.RoundTrip(req.WithContext(context.Background())); !refusedByPolicy(err) {
				t.Fatalf("dial to %s: got %v, want refused by the policy", target, err)
			}
		})
	}
}
