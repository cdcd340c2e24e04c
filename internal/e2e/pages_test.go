package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPages_LoadCleanly opens the public pages and fails on any console
// error: a CSP violation (inline script or style), a missing asset, a JS error.
func TestPages_LoadCleanly(t *testing.T) {
	lh := startLinkhub(t)
	b := newBrowser(t)
	for _, path := range []string{"/", "/docs"} {
		b.do(t, chromedp.Navigate(lh.URL+path), chromedp.WaitVisible("body"))
		title, err := chromedp.Run(b.Ctx, chromedp.Title())
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(title, "Linkhub") {
			t.Errorf("%s: got title %q, want it to name Linkhub", path, title)
		}
		// The stylesheet applied: the body uses the Tailwind font stack.
		font, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).fontFamily`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(font, "Inter") {
			t.Errorf("%s: stylesheet not applied, font-family %q", path, font)
		}
	}
	b.flushConsole(t)
	for _, m := range b.Console() {
		if m.Type == "error" || strings.Contains(strings.ToLower(m.Text), "content security policy") {
			t.Errorf("console: %s", m)
		}
	}
}
