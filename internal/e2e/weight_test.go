package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// transferred returns the bytes the page and everything it loaded took on
// the wire (headers included), as the browser's resource timing counts them.
func (b *Browser) transferred(t *testing.T) int {
	t.Helper()
	n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`performance.getEntries()
		.filter(function (e) { return "transferSize" in e; })
		.reduce(function (sum, e) { return sum + e.transferSize; }, 0)`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestHub_FormWeight loads the hub form in a fresh browser (nothing cached)
// and holds what it transfers to a budget.
func TestHub_FormWeight(t *testing.T) {
	w := newHubWorld(t)
	b := w.b
	b.do(t, chromedp.Navigate(connectURL(t, w.lh, w.apiKey, "")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="profile-`+w.jamf.ID+`"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="profile-`+w.jamf.ID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-url`)))
	form, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`location.href`))
	if err != nil {
		t.Fatal(err)
	}
	cold := newBrowser(t)
	cold.do(t, chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(`#f-url`)))
	got := cold.transferred(t)
	t.Logf("hub form: %d bytes transferred", got)
	checkCompressed(t, cold)
	if budget := 40_000; got > budget {
		t.Errorf("the hub form transfers %d bytes, over its budget of %d", got, budget)
	}
}

// checkCompressed fails when the page b shows loads a stylesheet or script of
// ours uncompressed, or loads htmx at all (no page uses it).
func checkCompressed(t *testing.T, b *Browser) {
	t.Helper()
	type entry struct {
		Name                      string
		TransferSize, DecodedSize int
	}
	entries, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]entry](`performance.getEntriesByType("resource")
		.map(e => ({Name: new URL(e.name).pathname, TransferSize: e.transferSize, DecodedSize: e.decodedBodySize}))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Logf("hub form loads %s: %d bytes (%d unpacked)", e.Name, e.TransferSize, e.DecodedSize)
		if strings.Contains(e.Name, "htmx") {
			t.Errorf("the hub form loads %s", e.Name)
		}
		if (strings.HasSuffix(e.Name, ".css") || strings.HasSuffix(e.Name, ".js")) && strings.HasPrefix(e.Name, "/static/") && e.TransferSize >= e.DecodedSize {
			t.Errorf("%s came uncompressed: %d bytes for %d", e.Name, e.TransferSize, e.DecodedSize)
		}
	}
}
