package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestJourney_DemoHost runs `linkhub demo`, the example host product, on its
// own origin: its backend creates a connect session with the API key, the
// page opens the hub with static/js/linkhub.js, the hub says ready, and its
// Close button makes the SDK remove the frame and report close.
func TestJourney_DemoHost(t *testing.T) {
	w := newHubWorld(t)
	w.demo.openHub(t, w.b)
	screenshot(t, w.b, "demo-host-modal")

	in := w.b.hub(t, `[data-testid="close"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="close"]`), in))
	w.b.waitText(t, `[data-testid="host-log"]`, "close")
	n, err := chromedp.Run(w.b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("iframe").length`))
	if err != nil || n != 0 {
		t.Errorf("got %d frames after close (%v), want the SDK to remove the hub", n, err)
	}
	if strings.Contains(w.demo.Log.String(), w.apiKey) || strings.Contains(w.lh.Log.String(), w.apiKey) {
		t.Error("the API key reached a log")
	}
}

// TestSDK_ModalDialog: the SDK's modal follows the WAI-ARIA dialog pattern.
// It is named; focus moves into the hub; the host page behind is inert (its
// button takes no focus); Escape pressed inside the hub's frame closes it;
// focus goes back to the button that opened it.
func TestSDK_ModalDialog(t *testing.T) {
	w := newHubWorld(t)
	b := w.b
	w.demo.openHub(t, b)
	b.hub(t, `[data-testid="profiles"]`)
	b.recheck(t) // the host page with the modal open: axe wants the dialog named

	name, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](
		`(document.querySelector('[role="dialog"][aria-modal="true"]') || {getAttribute: () => "no dialog"}).getAttribute("aria-label") || ""`))
	if err != nil || name != "Connect an account" {
		t.Errorf("got the dialog's name %q (%v), want \"Connect an account\"", name, err)
	}
	if !b.focused(t, "iframe", true) || !b.focused(t, "body, body *", false) {
		t.Error("focus did not move into the hub's frame")
	}
	inert, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(() => {
		const btn = document.querySelector('[data-testid="host-connect"]');
		btn.focus();
		return document.activeElement !== btn && !!btn.closest("[inert]");
	})()`))
	if err != nil || !inert {
		t.Errorf("the host page behind the modal is not inert (%v): its button took the focus", err)
	}
	// The programmatic focus above left the frame only if the page was not
	// inert; put the keyboard back in the hub, as a user would be.
	b.do(t, chromedp.Focus(chromedp.CSS("iframe")))

	b.do(t, chromedp.KeyEvent(kb.Escape))
	b.waitText(t, `[data-testid="host-log"]`, "close")
	n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('iframe, [role="dialog"]').length`))
	if err != nil || n != 0 {
		t.Errorf("got %d frames or dialogs after Escape (%v), want the modal gone", n, err)
	}
	if !b.focused(t, `[data-testid="host-connect"]`, true) {
		got, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : "none"`))
		t.Errorf("after close the focus is on %s, want the button that opened the hub", got)
	}
	if still, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("[inert]").length`)); still != 0 {
		t.Errorf("%d elements still inert after close", still)
	}
}
