package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// pickerWorld is a Linkhub whose picker holds a profile for every built-in
// connector and three more, 18 and up, with Okta and Zoom shown first.
type pickerWorld struct {
	lh     *Linkhub
	seed   *Seed
	b      *Browser
	apiKey string
	byName map[string]*linkhub.Profile
}

func newPickerWorld(t *testing.T) *pickerWorld {
	t.Helper()
	w := &pickerWorld{lh: startLinkhub(t), byName: map[string]*linkhub.Profile{}}
	w.seed = newSeed(t, w.lh)
	add := func(connectorID, name string) {
		w.byName[name] = w.seed.Profile(&linkhub.Profile{ConnectorID: connectorID, Name: name,
			Featured: name == "Okta" || name == "Zoom"}, nil)
	}
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		add(c.Spec().ID, c.Spec().Name)
	}
	add("jamf", "Jamf Pro (EU)")
	add("jamf", "Jamf Pro (school)")
	add("ninjaone", "NinjaOne (partners)")
	if len(w.byName) < 18 {
		t.Fatalf("got %d profiles, want 18 or more on the picker", len(w.byName))
	}
	w.apiKey = w.seed.APIKey()
	w.b = newBrowser(t)
	return w
}

// languageStops are the hub header's Tab stops before the page's own: the
// language switch's choice and its button, on every hub page since the hub
// speaks eight languages.
const languageStops = 2

// shownJS lists the names of the picker's matches the page shows, in order.
const shownJS = `Array.from(document.querySelectorAll('[data-search]'))
	.filter(function (li) { return li.offsetParent !== null; })
	.map(function (li) { return li.querySelector('.font-semibold').textContent.trim(); })`

// TestJourney_PickerKeyboard finds a service among 18 and more by keyboard:
// one Tab past the language switch to the search, typing filters live and the count is announced,
// the matches follow within two Tabs, Enter opens one; Enter in the search
// opens the first match, the arrow keys move between search and matches;
// the featured profiles come first. Every screen and state passes axe at
// the desktop width and 375 px, and fits 320 px.
func TestJourney_PickerKeyboard(t *testing.T) {
	w := newPickerWorld(t)
	b := w.b
	b.do(t, chromedp.Navigate(connectURL(t, w.lh, w.apiKey, "")), chromedp.WaitVisible(chromedp.CSS(`#picker-q`)))
	hub, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("picker of %d: %d bytes transferred", len(w.byName), b.transferred(t))
	if got := pageEval[[]string](t, b, shownJS); len(got) != len(w.byName) || got[0] != "Okta" || got[1] != "Zoom" {
		t.Fatalf("got %v, want all %d with the featured Okta and Zoom first", got, len(w.byName))
	}
	if got := pageEval[bool](t, b, `document.querySelector('[data-picker-submit]').offsetParent === null &&
		document.getElementById('picker-count').getAttribute('role') === 'status'`); !got {
		t.Error("with script the search button should be gone and the count a status")
	}

	b.tabTo(t, `#picker-q`, true, languageStops+1)
	toSearch := b.presses
	b.do(t, chromedp.KeyEvent("psa"))
	b.waitText(t, `[data-testid="picker-count"]`, "2 services")
	if got := pageEval[[]string](t, b, shownJS); fmt.Sprint(got) != "[ConnectWise PSA HaloPSA]" {
		t.Errorf("typing psa: got %v, want ConnectWise PSA and HaloPSA", got)
	}
	b.recheck(t) // the filtered list, its Suggested group hidden
	first := `[data-testid="profile-` + w.byName["ConnectWise PSA"].ID + `"]`
	b.tabTo(t, first, true, 2) // the category choice, then the first match
	toMatch := b.presses - toSearch
	if !pageEval[bool](t, b, `(function (s) { return s.outlineStyle !== "none" || s.boxShadow !== "none"; })(getComputedStyle(document.activeElement))`) {
		t.Error("the focused match shows no focus ring")
	}
	// No trap: Shift+Tab goes back to the category choice, and Tab past
	// the last match leaves the list.
	b.do(t, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if !b.focused(t, `#picker-category`, true) {
		t.Error("Shift+Tab on the first match did not go back to the category choice")
	}
	b.do(t, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
	if pageEval[bool](t, b, `document.getElementById("hub-profiles").contains(document.activeElement)`) {
		t.Error("Tab past the last of two matches stayed in the list")
	}
	b.do(t, chromedp.Navigate(w.lh.URL+hub+"?q=psa"), chromedp.WaitVisible(chromedp.CSS(`#picker-q`)))
	b.tabTo(t, first, true, languageStops+4) // the language switch, the search, the category choice, "Show all services", the first match
	b.do(t, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`[data-testid="hub-form"]`)))
	b.waitText(t, "h1", "ConnectWise PSA")

	// Enter in the search opens the first match.
	b.do(t, chromedp.Navigate(w.lh.URL+hub), chromedp.WaitVisible(chromedp.CSS(`#picker-q`)))
	b.tabTo(t, `#picker-q`, true, languageStops+1)
	b.do(t, chromedp.KeyEvent("okta"))
	b.waitText(t, `[data-testid="picker-count"]`, "1 service")
	b.do(t, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`[data-testid="hub-form"]`)))
	b.waitText(t, "h1", "Okta")

	// The arrow keys, and a search that finds nothing.
	b.do(t, chromedp.Navigate(w.lh.URL+hub), chromedp.WaitVisible(chromedp.CSS(`#picker-q`)))
	b.tabTo(t, `#picker-q`, true, languageStops+1)
	b.do(t, chromedp.KeyEvent("jamf school"))
	b.waitText(t, `[data-testid="picker-count"]`, "1 service")
	b.do(t, chromedp.KeyEvent(kb.ArrowDown))
	if !b.focused(t, `[data-testid="profile-`+w.byName["Jamf Pro (school)"].ID+`"]`, true) {
		t.Error("ArrowDown in the search did not move to the match")
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowUp))
	if !b.focused(t, `#picker-q`, true) {
		t.Error("ArrowUp on the first match did not go back to the search")
	}
	b.do(t, chromedp.KeyEvent(" nothing"))
	b.waitText(t, `[data-testid="picker-count"]`, "No service matches")
	b.recheck(t)

	// A category, chosen as a keyboard user does: focus, then a letter.
	b.do(t, chromedp.Navigate(w.lh.URL+hub), chromedp.WaitVisible(chromedp.CSS(`#picker-q`)))
	b.tabTo(t, `#picker-category`, true, languageStops+2)
	b.do(t, chromedp.KeyEvent("i")) // Identity
	b.waitText(t, `[data-testid="picker-count"]`, "1 service")
	if got := pageEval[[]string](t, b, shownJS); fmt.Sprint(got) != "[Okta]" {
		t.Errorf("category Identity: got %v, want Okta", got)
	}
	t.Logf("picker of %d: the search reached with %d Tab, the first match with %d more", len(w.byName), toSearch, toMatch)
}

// TestJourney_CatalogSearch is the admin catalogue with the same search:
// typing narrows the connectors, Enter opens the new-profile form of the
// first match.
func TestJourney_CatalogSearch(t *testing.T) {
	lh := startLinkhub(t)
	seed := newSeed(t, lh)
	b := newBrowser(t)
	signIn(t, b, lh, seed)
	b.do(t, chromedp.Navigate(lh.URL+"/admin/profiles/new"), chromedp.WaitVisible(chromedp.CSS(`#picker-q`)))
	all := len(connector.NewRegistry(connector.Config{}).All())
	b.waitText(t, `[data-testid="picker-count"]`, fmt.Sprintf("%d connectors", all))
	b.do(t, chromedp.Click(chromedp.CSS(`#picker-q`)), chromedp.KeyEvent("vulnerab"))
	b.waitText(t, `[data-testid="picker-count"]`, "3 connectors") // Defender, Rapid7, Tenable
	b.recheck(t)
	b.do(t, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`[data-testid="save-profile"]`)))
	b.waitText(t, "h1", "Microsoft Defender")
}

// pageEval returns the value of a JavaScript expression in the page (not a
// frame).
func pageEval[T any](t *testing.T, b *Browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJourney_PickerEmbedded is the picker of 18 and more in the demo host
// product's modal, on a phone: the framed hub passes axe and fits, and the
// live search works inside the frame.
func TestJourney_PickerEmbedded(t *testing.T) {
	w := newPickerWorld(t)
	demo := startDemo(t, w.lh, w.apiKey)
	w.seed.EmbedOrigins(demo.Origin)
	b := w.b
	b.viewport(t, 375, 740)
	demo.openHub(t, b)
	in := b.hub(t, `#picker-q`)
	b.do(t, chromedp.SendKeys(chromedp.CSS(`#picker-q`), "halo", in))
	b.hubTrue(t, "one match counted", `document.querySelector('[data-testid="picker-count"]').textContent === "1 service"`)
	if got := hubEval[[]string](t, b, shownJS); fmt.Sprint(got) != "[HaloPSA]" {
		t.Errorf("typing halo: got %v, want HaloPSA", got)
	}
	b.recheck(t)
}
