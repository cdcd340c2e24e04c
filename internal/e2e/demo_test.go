package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
