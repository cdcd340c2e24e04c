package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// setupURL waits for the one-time setup link in the server's log.
func setupURL(t *testing.T, lh *Linkhub) string {
	t.Helper()
	re := regexp.MustCompile(`\{[^\n]*/admin/setup\?token=[^\n]*\}`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if line := re.FindString(lh.Log.String()); line != "" {
			var rec struct{ URL string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			return rec.URL
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no setup link in the log:\n%s", lh.Log)
	return ""
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

// TestJourney_FirstRun is journey 1: open the setup link, create the first
// admin, sign out, sign in again; the link then never works again.
func TestJourney_FirstRun(t *testing.T) {
	lh := startLinkhub(t)
	b := newBrowser(t)
	link := setupURL(t, lh)
	const email, password = "ops@example.com", "correct horse battery staple"

	if err := chromedp.Do(b.Ctx,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.SendKeys(chromedp.CSS("#confirm"), password),
	); err != nil {
		t.Fatal(err)
	}
	screenshot(t, b, "admin-setup")
	if err := chromedp.Do(b.Ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="setup-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-email"]`)),
	); err != nil {
		t.Fatal(err)
	}
	if got := text(t, b, `[data-testid="admin-email"]`); got != email {
		t.Errorf("signed in as %q, want %q", got, email)
	}

	// Sign out, then sign in with the new password.
	if err := chromedp.Do(b.Ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-email"]`)),
	); err != nil {
		t.Fatal(err)
	}
	screenshot(t, b, "admin-api-keys")

	// The setup link is spent for good.
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error"]`))); err != nil {
		t.Fatalf("setup link after the first admin: %v", err)
	}
	if strings.Contains(lh.Log.String(), password) {
		t.Error("the password reached the server log")
	}
	for _, m := range b.Console() {
		if m.Type == "error" && !strings.Contains(m.Text, "404") {
			t.Errorf("console: %s", m)
		}
	}
}
