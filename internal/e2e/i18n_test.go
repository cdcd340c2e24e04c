package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// connectIn creates a standalone connect session for owner in a language
// ("" for none) and returns the hub link.
func connectIn(t *testing.T, lh *Linkhub, apiKey, owner, locale string) string {
	t.Helper()
	body := map[string]any{"origin_owner_id": owner, "origin_owner_name": "Umbrella " + owner}
	if locale != "" {
		body["locale"] = locale
	}
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, lh.URL+"/api/v1/connect_sessions", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ URL string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create connect session in %q: got %d (%v)", locale, resp.StatusCode, err)
	}
	return out.URL
}

// acceptLanguage makes the tab's browser ask for these languages.
func acceptLanguage(t *testing.T, b *Browser, header string) {
	t.Helper()
	if _, err := chromedp.Call(b.Ctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": header}}); err != nil {
		t.Fatal(err)
	}
}

// eval returns the value of a JavaScript expression on the page.
func eval[T any](t *testing.T, b *Browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// inLanguage checks the page is in tag's language: <html lang> and the
// heading the page shows.
func inLanguage(t *testing.T, b *Browser, tag, heading string) {
	t.Helper()
	if got := eval[string](t, b, `document.documentElement.lang`); got != tag {
		t.Errorf("%s: html lang %q, want %q", heading, got, tag)
	}
	if heading != "" {
		b.waitText(t, "h1", heading)
	}
}

// linkJamf picks Jamf Pro on the picker and links it with secret; the
// result page is left on screen.
func (w *hubWorld) linkJamf(t *testing.T, secret string) {
	t.Helper()
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="profile-`+w.jamf.ID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-url`)),
		chromedp.SendKeys(chromedp.CSS(`#f-url`), untidyJamfURL(w.vendors)),
		chromedp.SendKeys(chromedp.CSS(`#f-client_id`), w.vendors.Jamf.ClientID),
		chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), secret),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"], [data-testid="failure"]`)))
}

// stageNames are the stage titles of the result's stage list.
func stageNames(t *testing.T, b *Browser) []string {
	t.Helper()
	return eval[[]string](t, b, `[...document.querySelectorAll('[data-testid="stages"] [data-stage] > span:nth-child(2)')].map(e => e.textContent.trim())`)
}

// TestJourney_LinkJamfInEachLanguage: a Jamf Pro account is linked end to
// end in each of the hub's languages, the connect session naming it: every
// page says it is in that language, shows its headings, and names the
// stages in it; axe checks every screen in every language.
func TestJourney_LinkJamfInEachLanguage(t *testing.T) {
	w := newHubWorld(t)
	for i, tag := range linkhub.Locales {
		t.Run(tag, func(t *testing.T) {
			text := views.Text(tag)
			w.b = newBrowser(t)          // a tab of its own: each has a time limit
			acceptLanguage(t, w.b, "en") // the session's locale wins over it
			w.b.do(t, chromedp.Navigate(connectIn(t, w.lh, w.apiKey, fmt.Sprintf("owner-%d", i), tag)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="profiles"]`)))
			inLanguage(t, w.b, tag, text.PickerTitle)
			w.linkJamf(t, w.vendors.Jamf.ClientSecret)
			inLanguage(t, w.b, tag, text.SuccessTitle)
			var want []string
			for _, s := range []string{"validate", "address", "token", "verify", "permissions"} {
				want = append(want, text.Stage[s])
			}
			if got := stageNames(t, w.b); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("stages %q, want %q", got, want)
			}
			if got := eval[string](t, w.b, `document.querySelector('[data-testid="summary"] dt').textContent`); got != text.Summary[0].Value {
				t.Errorf("summary label %q, want %q", got, text.Summary[0].Value)
			}
		})
	}
	if n := len(w.accounts(t)); n != len(linkhub.Locales) {
		t.Errorf("got %d accounts, want one per language", n)
	}
}

// plainEnglishJS lists the visible text of the page that has a run of three
// plain ASCII letters: in the pseudo-locale every word of the hub is
// accented, so such text was never translated. Text marked translate="no"
// (names, values to paste, the vendor's own words) is the vendor's or the
// admin's and stays; so do the hints a connector writes, which are the
// connectors' own translations (not the hub's).
const plainEnglishJS = `(() => {
	const out = [], walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n; (n = walk.nextNode());) {
		const el = n.parentElement, s = n.textContent.trim();
		if (!s || !/[A-Za-z]{3,}/.test(s) || el.closest('[translate="no"], script, style, [data-testid="failed-hint"]')) continue;
		if (!el.checkVisibility({visibilityProperty: true}) || el.closest(".sr-only, [hidden]")) continue;
		out.push(s.slice(0, 80));
	}
	return out;
})()`

// truncatedJS lists elements whose text is cut: clipped with an ellipsis
// or hidden overflow narrower than its text.
const truncatedJS = `[...document.body.querySelectorAll("*")].filter(e => {
	const cs = getComputedStyle(e);
	return (cs.textOverflow === "ellipsis" || cs.overflowX === "hidden" || cs.overflowX === "clip") &&
		e.scrollWidth > e.clientWidth + 1 && e.checkVisibility() && !e.closest(".sr-only") &&
		!e.matches("input, select, textarea") // a long value scrolls inside its box
}).map(e => e.tagName.toLowerCase() + "." + [...e.classList].join(".") + ": " + e.textContent.trim().slice(0, 60))`

// TestHub_PseudoLocale: the hub in the pseudo-locale (every word accented
// and about 35 % longer) at 1280 and 320 px: no text is cut, nothing
// scrolls sideways (the screen checks), and no visible text is plain
// English, on the picker, the form, a failure and the success page.
func TestHub_PseudoLocale(t *testing.T) {
	w := newHubWorld(t)
	for _, width := range []int64{1280, 320} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			w.b = newBrowser(t)
			w.b.viewport(t, width, 900)
			check := func(screen string) {
				t.Helper()
				if got := eval[[]string](t, w.b, plainEnglishJS); len(got) > 0 {
					t.Errorf("%s at %d px: text never translated: %q", screen, width, got)
				}
				if got := eval[[]string](t, w.b, truncatedJS); len(got) > 0 {
					t.Errorf("%s at %d px: text cut short: %q", screen, width, got)
				}
			}
			w.b.do(t, chromedp.Navigate(connectIn(t, w.lh, w.apiKey, "pseudo-"+fmt.Sprint(width), linkhub.PseudoLocale)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="profiles"]`)))
			inLanguage(t, w.b, linkhub.PseudoLocale, views.Text(linkhub.PseudoLocale).PickerTitle)
			check("picker")
			w.linkJamf(t, "not-the-secret")
			w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="it-details"] summary`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="failed-stage"]`)))
			check("failure")
			w.b.do(t, chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), w.vendors.Jamf.ClientSecret),
				chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"]`)))
			check("success")
		})
	}
}

// TestJourney_LanguageSwitch: the connect session's locale wins over the
// browser's; the user switches in the hub, and the choice holds across a
// failed attempt and on the result page, with no cookie; a session that
// names no language follows the browser.
func TestJourney_LanguageSwitch(t *testing.T) {
	w := newHubWorld(t)
	acceptLanguage(t, w.b, "de-CH, de;q=0.9")
	w.b.do(t, chromedp.Navigate(connectIn(t, w.lh, w.apiKey, "switch", "fr")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="profiles"]`)))
	inLanguage(t, w.b, "fr", views.French.PickerTitle)

	ja := views.Japanese
	w.b.do(t, chromedp.SetValue(chromedp.CSS(`#hub-locale`), "ja"),
		chromedp.Click(chromedp.CSS(`[data-testid="language-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="ja"] [data-testid="profiles"]`)))
	inLanguage(t, w.b, "ja", ja.PickerTitle)
	w.linkJamf(t, "not-the-secret")
	inLanguage(t, w.b, "ja", "") // the form's heading is the profile's name
	if got := w.b.waitText(t, `[data-testid="failure-headline"]`, ja.FailureHeadline["token"]); got != ja.FailureHeadline["token"] {
		t.Errorf("failure headline %q, want %q", got, ja.FailureHeadline["token"])
	}
	w.b.do(t, chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), w.vendors.Jamf.ClientSecret),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"]`)))
	inLanguage(t, w.b, "ja", ja.SuccessTitle)
	cookies, err := chromedp.Run(w.b.Ctx, chromedp.Evaluate[string](`document.cookie`))
	if err != nil || cookies != "" {
		t.Errorf("the hub set cookies %q (%v)", cookies, err)
	}

	w.b.do(t, chromedp.Navigate(connectIn(t, w.lh, w.apiKey, "browser", "")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="profiles"]`)))
	inLanguage(t, w.b, "de", views.German.PickerTitle)
}
