package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/web"
)

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

func newServer(t *testing.T, db web.Pinger, proxies ...netip.Prefix) *httptest.Server {
	t.Helper()
	deps, _ := mockDeps(io.Discard)
	deps.DB = db
	return mustServer(t, web.Config{BaseURL: "http://example.test", TrustedProxies: proxies}, deps)
}

func TestServer_Home(t *testing.T) {
	srv := newServer(t, pinger{})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200", resp.StatusCode)
	}
	for k, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Request-Id":            "",
	} {
		got := resp.Header.Get(k)
		if got == "" || !strings.Contains(got, want) {
			t.Errorf("header %s: got %q, want it to contain %q", k, got, want)
		}
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if href, _ := doc.Find(`[data-testid="admin-link"]`).Attr("href"); href != "/admin" {
		t.Errorf("admin link: got %q, want /admin", href)
	}
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
	resp2, err := http.Get(srv.URL + css)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != 200 || !strings.Contains(resp2.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet %s: got %d %q, want 200 immutable", css, resp2.StatusCode, resp2.Header.Get("Cache-Control"))
	}
}

func TestServer_Docs(t *testing.T) {
	resp, err := http.Get(newServer(t, pinger{}).URL + "/docs")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(resp.Body)
	if curl := doc.Find(`[data-testid="curl"]`).Text(); !strings.Contains(curl, "http://example.test/api/v1/connect_sessions") {
		t.Errorf("got curl example %q, want it to use the base URL", curl)
	}
}

func TestServer_Readyz(t *testing.T) {
	for name, tt := range map[string]struct {
		err  error
		want int
	}{"OK": {nil, 200}, "DatabaseDown": {errors.New("down"), 503}} {
		t.Run(name, func(t *testing.T) {
			resp, err := http.Get(newServer(t, pinger{tt.err}).URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("got %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

func TestServer_NotFoundPage(t *testing.T) {
	resp, err := http.Get(newServer(t, pinger{}).URL + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(resp.Body)
	if resp.StatusCode != 404 || doc.Find(`[data-testid="error-message"]`).Text() == "" {
		t.Errorf("got %d with message %q, want a 404 page", resp.StatusCode, doc.Find(`[data-testid="error-message"]`).Text())
	}
}

func TestServer_CrossOriginPostRefused(t *testing.T) {
	srv := newServer(t, pinger{})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("got %d, want 403", resp.StatusCode)
	}
}

func TestServer_BodyLimit(t *testing.T) {
	srv := newServer(t, pinger{})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(strings.Repeat("a", 2<<20)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("got %d, want 413", resp.StatusCode)
	}
}

func TestServer_ClientIP(t *testing.T) {
	tests := []struct {
		name    string
		proxies []netip.Prefix
		want    string
	}{
		{"UntrustedPeerIgnoresXFF", nil, `ip=127.0.0.1`},
		{"TrustedProxyUsesXFF", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, `ip=203.0.113.7`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			deps, m := mockDeps(&logs)
			m.db.PingFn = pinger{}.Ping
			srv := mustServer(t, web.Config{TrustedProxies: tt.proxies}, deps)
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
			req.Header.Set("X-Forwarded-For", "203.0.113.7")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if !strings.Contains(logs.String(), tt.want) {
				t.Errorf("got log %q, want it to contain %q", logs.String(), tt.want)
			}
		})
	}
}
