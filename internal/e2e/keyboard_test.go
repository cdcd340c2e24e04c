package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focused reports whether the focused element of the hub's frame (or of the
// page, when top) matches sel.
func (b *Browser) focused(t *testing.T, sel string, top bool) bool {
	t.Helper()
	expr := fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)
	if top {
		ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](expr))
		return err == nil && ok
	}
	// A poll in the frame's document, over as soon as it has an answer.
	ctx, cancel := context.WithTimeout(b.Ctx, 2*time.Second)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Poll[bool](expr+" || null",
		chromedp.WithPollingInFrame(b.frame(t)), chromedp.WithPollingTimeout(50*time.Millisecond)))
	return err == nil && ok
}

// tabTo presses Tab until sel has the focus, at most max times.
func (b *Browser) tabTo(t *testing.T, sel string, top bool, max int) {
	t.Helper()
	for i := 0; i <= max; i++ {
		if b.focused(t, sel, top) {
			return
		}
		b.do(t, chromedp.KeyEvent(kb.Tab))
		b.presses++
	}
	t.Fatalf("%s not reached with %d presses of Tab", sel, max)
}

// TestJourney_KeyboardOnly is journey 8: from the host product's button to
// the linked account with Tab, Enter, Space and typing only; no clicks.
func TestJourney_KeyboardOnly(t *testing.T) {
	w := newHubWorld(t)
	b := w.b
	b.do(t, chromedp.Navigate(w.demo.Origin))
	b.tabTo(t, `[data-testid="host-connect"]`, true, 3)
	b.do(t, chromedp.KeyEvent(kb.Enter))
	b.waitText(t, `[data-testid="host-log"]`, "ready")

	jamfLink := `[data-testid="profile-` + w.jamf.ID + `"]`
	b.hub(t, jamfLink)
	b.tabTo(t, jamfLink, false, 6)
	b.do(t, chromedp.KeyEvent(kb.Enter))
	b.hub(t, "#f-url")
	for _, f := range []struct{ sel, value string }{
		{"#f-url", untidyJamfURL(w.vendors)},
		{"#f-client_id", w.vendors.Jamf.ClientID},
		{"#f-client_secret", w.vendors.Jamf.ClientSecret},
	} {
		b.tabTo(t, f.sel, false, 4)
		b.do(t, chromedp.KeyEvent(f.value))
	}
	b.tabTo(t, `[data-testid="connect"]`, false, 1)
	b.do(t, chromedp.KeyEvent(" "))
	b.hub(t, `[data-testid="success"]`)
	account := hostEvent(t, b, "success")
	if list := w.accounts(t); len(list) != 1 || list[0].ID != account["id"] {
		t.Fatalf("got accounts %v, want the one linked by keyboard", list)
	}
	b.tabTo(t, `[data-testid="done"]`, false, 12)
	b.do(t, chromedp.KeyEvent(kb.Enter))
	b.waitText(t, `[data-testid="host-log"]`, "close")
	typed := len(untidyJamfURL(w.vendors)) + len(w.vendors.Jamf.ClientID) + len(w.vendors.Jamf.ClientSecret)
	t.Logf("keyboard-only link: %d presses of Tab, Enter and Space, and %d characters typed", b.presses+4, typed)
}
