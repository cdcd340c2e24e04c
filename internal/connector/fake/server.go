// Package fake runs fake vendors (Sophos Central, Jamf Pro, NinjaOne and one
// per built-in connector definition) on httptest TLS servers for tests of the
// connectors, the web handlers and the end-to-end suite. Each fake answers
// exactly as the vendor facts (vendors.md, the vendor catalog) record the
// vendor does, knows one good client id and secret, counts token requests,
// records every request so tests can see where a secret went, and has modes
// for the failures users meet: expiring tokens, slow, flaky, wrong product.
package fake

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkhub/linkhub/internal/connector/kit"
)

// Request is what a fake recorded of one request it received.
type Request struct {
	Host string // host:port of the fake
	Path string
	// Raw is the query, headers and body: enough to search for a secret.
	Raw string
}

// Server is the part all fakes share. Its modes may be changed while the
// server runs.
type Server struct {
	*httptest.Server
	// ClientID and ClientSecret are the credentials the fake accepts.
	ClientID     string
	ClientSecret string
	// TokenPaths are where the fake's token endpoints live.
	TokenPaths []string

	tokens    atomic.Int64
	calls     atomic.Int64
	expiresIn atomic.Int64
	slow      atomic.Int64 // time.Duration; <0 means never answer
	flaky     atomic.Bool
	down      atomic.Bool
	wrong     atomic.Bool
	notFound  atomic.Bool
	busy      atomic.Int64
	busyAfter atomic.Pointer[string]
	errBody   atomic.Pointer[string]
	revoked   atomic.Bool
	gate      atomic.Pointer[chan struct{}]

	mu       sync.Mutex
	requests []Request
}

// Cleaner is what a fake needs of its owner: a *testing.T, or a benchmark
// program that closes the fakes it started on exit.
type Cleaner interface {
	Helper()
	Cleanup(func())
}

func newServer(t Cleaner, clientID string, h http.Handler, tokenPaths ...string) *Server {
	t.Helper()
	s := &Server{ClientID: clientID, ClientSecret: "secret-" + randomString(16), TokenPaths: tokenPaths}
	s.expiresIn.Store(3600)
	s.Server = httptest.NewTLSServer(s.wrap(h))
	t.Cleanup(s.Close)
	return s
}

// Host returns the fake's host:port.
func (s *Server) Host() string { return strings.TrimPrefix(s.URL, "https://") }

// TokenRequests returns how many requests reached the token endpoint.
func (s *Server) TokenRequests() int { return int(s.tokens.Load()) }

// SetExpiresIn sets the lifetime of the tokens the fake issues, in seconds.
func (s *Server) SetExpiresIn(seconds int) { s.expiresIn.Store(int64(seconds)) }

// SetSlow delays every answer by d; a negative d means never answer (until
// the client gives up).
func (s *Server) SetSlow(d time.Duration) { s.slow.Store(int64(d)) }

// SetGate holds every request until the test sends one value on gate, so a
// test can release a vendor call by call; nil lets requests through again.
func (s *Server) SetGate(gate chan struct{}) {
	if gate == nil {
		s.gate.Store(nil)
		return
	}
	s.gate.Store(&gate)
}

// SetFlaky makes every other request answer 503.
func (s *Server) SetFlaky(on bool) { s.flaky.Store(on) }

// BusyNext makes the next n requests answer 503 with the header
// Retry-After: retryAfter, as a vendor shedding load does.
func (s *Server) BusyNext(n int, retryAfter string) {
	s.busyAfter.Store(&retryAfter)
	s.busy.Store(int64(n))
}

// SetDown makes every request answer 503, as a vendor in an outage does.
func (s *Server) SetDown(on bool) { s.down.Store(on) }

// SetSecretRevoked makes the token endpoint reject ClientSecret, as after
// the customer deleted or rotated the API client at the vendor.
func (s *Server) SetSecretRevoked(on bool) { s.revoked.Store(on) }

// secretOK reports whether sec is the secret the fake accepts now.
func (s *Server) secretOK(sec string) bool { return sec == s.ClientSecret && !s.revoked.Load() }

// SetWrongProduct makes every path answer 200 with a web page of some other
// product.
func (s *Server) SetWrongProduct(on bool) { s.wrong.Store(on) }

// SetNotFound makes every path answer 404 with a web page, as the web
// server of some other product does.
func (s *Server) SetNotFound(on bool) { s.notFound.Store(on) }

// SetErrorBody makes every request answer 400 with body as a web page, the
// way a proxy or a broken vendor answers; "" turns the mode off. Tests put
// markup in it to check that vendor text is shown escaped.
func (s *Server) SetErrorBody(body string) {
	if body == "" {
		s.errBody.Store(nil)
		return
	}
	s.errBody.Store(&body)
}

// Requests returns what the fake has received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Sightings returns the requests whose query, headers or body contain v.
func (s *Server) Sightings(v string) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if strings.Contains(r.Raw, v) {
			out = append(out, r)
		}
	}
	return out
}

// wrap records each request and applies the modes before the vendor handler.
func (s *Server) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var raw strings.Builder
		raw.WriteString(r.URL.RawQuery + "\n")
		_ = r.Header.Write(&raw)
		raw.Write(body)
		s.mu.Lock()
		s.requests = append(s.requests, Request{Host: r.Host, Path: r.URL.Path, Raw: raw.String()})
		s.mu.Unlock()
		if slices.Contains(s.TokenPaths, r.URL.Path) {
			s.tokens.Add(1)
		}
		if g := s.gate.Load(); g != nil {
			select { // one value from the test lets one request through
			case <-*g:
			case <-r.Context().Done():
			}
		}
		if d := time.Duration(s.slow.Load()); d != 0 {
			wait(r.Context(), d)
			if d < 0 {
				panic(http.ErrAbortHandler) // never answer: drop the connection, send nothing
			}
		}
		if s.busy.Add(-1) >= 0 {
			w.Header().Set("Retry-After", *s.busyAfter.Load())
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "Service Unavailable"})
			return
		}
		if s.down.Load() || s.flaky.Load() && s.calls.Add(1)%2 == 1 {
			writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "Service Unavailable"})
			return
		}
		if b := s.errBody.Load(); b != nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, *b)
			return
		}
		if s.notFound.Load() {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>")
			return
		}
		if s.wrong.Load() {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, "<!doctype html><html><head><title>Welcome to nginx!</title></head><body><h1>It works</h1></body></html>")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// wait blocks for d, or until the client goes away when d < 0.
func wait(ctx context.Context, d time.Duration) {
	if d < 0 {
		<-ctx.Done()
		return
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// Config returns a kit.Config that trusts the fakes' certificates and allows
// loopback, with a short timeout so slow-mode tests stay fast. Callers add the
// vendor host overrides.
func Config(timeout time.Duration, servers ...*httptest.Server) kit.Config {
	pool := x509.NewCertPool()
	for _, s := range servers {
		pool.AddCert(s.Certificate())
	}
	return kit.Config{
		Timeout:    timeout,
		AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
		RootCAs:    pool,
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// tokenForm reads a client-credentials request; ok is false when the form is
// not one (wrong method or grant type).
func tokenForm(r *http.Request) (id, sec, scope string, ok bool) {
	if r.Method != http.MethodPost || r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		return "", "", "", false
	}
	return r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), r.PostForm.Get("scope"), true
}

// bearer returns the access token of r's Authorization header.
func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// tokens remembers issued tokens and when they expire.
type tokens struct {
	mu sync.Mutex
	m  map[string]time.Time
}

func (t *tokens) issue(tok string, life time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[string]time.Time{}
	}
	t.m[tok] = time.Now().Add(life)
}

func (t *tokens) revoke() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.m)
}

func (t *tokens) valid(tok string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	exp, ok := t.m[tok]
	return ok && time.Now().Before(exp)
}

// hexString returns n random hex digits, for keys and ids shaped like a
// vendor's.
func hexString(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}
