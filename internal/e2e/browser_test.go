package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// do runs browser steps and fails the test on the first error. After each
// step the screens shown are checked (axe, widths), so that a page passed
// through on the way, like a login form, is checked too.
func (b *Browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	for _, step := range steps {
		if err := chromedp.Do(b.Ctx, step); err != nil {
			t.Fatal(err)
		}
		b.checkScreens(t, false)
	}
}

// waitText waits until the element's text contains want and returns it. The
// browser polls on DOM changes: no sleeping here.
func (b *Browser) waitText(t *testing.T, sel, want string, opts ...chromedp.PollOption) string {
	t.Helper()
	expr := fmt.Sprintf(`(function(){ var e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, want)
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	opts = append([]chromedp.PollOption{chromedp.WithPollingMutation()}, opts...)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, opts...)); err != nil {
		got, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q)||{}).textContent||""`, sel)))
		t.Fatalf("%s never contained %q (%v); it has %q", sel, want, err, got)
	}
	s, err := chromedp.Run(b.Ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	b.checkScreens(t, false)
	return s
}

// frame returns the page's only iframe, looked up afresh: its document
// changes each time the hub inside navigates.
func (b *Browser) frame(t *testing.T) *chromedp.Node {
	t.Helper()
	nodes, err := chromedp.Run(b.Ctx, chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(nodes) != 1 {
		t.Fatalf("got %d frames (%v), want the hub's", len(nodes), err)
	}
	return nodes[0]
}

// hub waits until sel shows inside the hub's frame and returns the option
// that points queries into that frame.
func (b *Browser) hub(t *testing.T, sel string) chromedp.QueryOption {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		// A frame node keeps the document it was fetched with, and a query
		// on a replaced document waits forever: look briefly, then fetch
		// the frame again, until sel shows in the current document.
		in := chromedp.FromNode(b.frame(t))
		ctx, cancel := context.WithTimeout(b.Ctx, 250*time.Millisecond)
		err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel), in))
		cancel()
		if err == nil {
			b.checkScreens(t, false)
			return in
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never showed in the hub: %v", sel, err)
		}
	}
}

// hubText returns the text of sel inside the hub's frame, spaces collapsed.
func (b *Browser) hubText(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.TextContent(chromedp.CSS(sel), b.hub(t, sel)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// screenshot saves a PNG of the page to docs/screenshots when
// UPDATE_SCREENSHOTS=1, for the README.
func screenshot(t *testing.T, b *Browser, name string) {
	t.Helper()
	if os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100)) // 100 = PNG; lower is JPEG
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// text returns the trimmed text of the first element matching a CSS selector.
func text(t *testing.T, b *Browser, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Demo is `linkhub demo`, the example host product, on its own origin.
type Demo struct {
	Origin string
	Log    *syncBuffer
}

// startDemo runs `linkhub demo` against lh with an API key, on a free port
// it picks itself (port 0) and prints. Its origin is http://localhost:PORT,
// another site than Linkhub's 127.0.0.1.
func startDemo(t *testing.T, lh *Linkhub, key string) *Demo {
	t.Helper()
	d := &Demo{Log: &syncBuffer{}}
	cmd := exec.Command(binary, "demo", "--linkhub-url", lh.URL, "--port", "0")
	cmd.Env = append(os.Environ(), "LINKHUB_API_KEY="+key)
	cmd.Stdout, cmd.Stderr = d.Log, d.Log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	started := regexp.MustCompile(`Example host product on (http://localhost:[0-9]+) `)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(25 * time.Millisecond) { // polling a process start, not the page
		if m := started.FindStringSubmatch(d.Log.String()); m != nil {
			d.Origin = m[1]
			checkOrigin(d.Origin)
			return d // it printed the line once listening
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo host not up in 30s:\n%s", d.Log)
		}
	}
}

// openHub loads the demo page and opens the hub the way its user does.
func (d *Demo) openHub(t *testing.T, b *Browser) {
	t.Helper()
	b.do(t, chromedp.Navigate(d.Origin), chromedp.Click(chromedp.CSS(`[data-testid="host-connect"]`)))
	b.waitText(t, `[data-testid="host-log"]`, "ready")
}

// hostEvent waits for the demo page's log line starting with kind (success,
// error) and decodes its JSON.
func hostEvent(t *testing.T, b *Browser, kind string) map[string]string {
	t.Helper()
	log := b.waitText(t, `[data-testid="host-log"]`, kind+" {")
	for _, line := range strings.Split(log, "\n") {
		if rest, ok := strings.CutPrefix(line, kind+" "); ok {
			var m map[string]string
			if err := json.Unmarshal([]byte(rest), &m); err != nil {
				t.Fatalf("host log %q: %v", line, err)
			}
			return m
		}
	}
	t.Fatalf("no %s line in %q", kind, log)
	return nil
}

// pageServer serves fixed HTML pages on a site of its own (localhost, while
// Linkhub is 127.0.0.1): a stranger's page framing the hub, a cookie probe.
func pageServer(t *testing.T, pages map[string]string, extra ...func(mux *http.ServeMux)) string {
	t.Helper()
	mux := http.NewServeMux()
	for path, html := range pages {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(w, html)
		})
	}
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, f := range extra {
		f(mux)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
}

// connectURL creates a connect session through the API, as a host backend
// does, and returns the hub link.
func connectURL(t *testing.T, lh *Linkhub, apiKey, embedOrigin string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"origin_owner_id": "c-7", "origin_owner_name": "Umbrella", "embed_origin": embedOrigin})
	req, _ := http.NewRequest(http.MethodPost, lh.URL+"/api/v1/connect_sessions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ URL string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated || out.URL == "" {
		t.Fatalf("create connect session: got %d (%v)", resp.StatusCode, err)
	}
	return out.URL
}
