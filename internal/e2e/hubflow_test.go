package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// hubTrue waits until the JavaScript expression is true in the hub's frame;
// the browser re-checks at each DOM change, no sleeping.
func (b *Browser) hubTrue(t *testing.T, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool]("("+expr+") || null",
		chromedp.WithPollingInFrame(b.frame(t)), chromedp.WithPollingMutation())); err != nil {
		t.Fatalf("%s: never true in the hub (%v)", what, err)
	}
}

// hubEval returns the value of a JavaScript expression in the hub's frame.
func hubEval[T any](t *testing.T, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 10*time.Second)
	defer cancel()
	// Wrapped in an array, which is truthy whatever the value: Poll
	// returns at once.
	v, err := chromedp.Run(ctx, chromedp.Poll[[]T]("[("+expr+")]", chromedp.WithPollingInFrame(b.frame(t))))
	if err != nil || len(v) != 1 {
		t.Fatalf("%s: %v", expr, err)
	}
	return v[0]
}

func stageIs(name, status string) string {
	return fmt.Sprintf(`!!document.querySelector('[data-testid="progress"] [data-stage="%s"][data-status="%s"]')`, name, status)
}

// TestJourney_LiveProgress: embedded, with third-party cookies blocked, the
// user sees each stage run and pass one by one while the vendor answers
// call by call, each announced; the guide sits beside the form in the modal.
func TestJourney_LiveProgress(t *testing.T) {
	w := newHubWorld(t)
	blockThirdPartyCookies(t, w.b)
	w.demo.openHub(t, w.b)
	w.fillJamf(t, w.vendors.Jamf.ClientSecret)
	if beside := hubEval[bool](t, w.b, `(function(){
		var f = document.querySelector('[data-testid="hub-form"]').getBoundingClientRect();
		var g = document.querySelector('[data-testid="guide"]').getBoundingClientRect();
		return g.left >= f.right && g.top < f.bottom; })()`); !beside {
		t.Error("in the SDK's modal the guide is not beside the form")
	}

	gate := make(chan struct{})
	w.vendors.Jamf.SetGate(gate)
	released := false
	t.Cleanup(func() {
		if !released {
			close(gate)
		}
	})
	in := w.b.hub(t, `[data-testid="connect"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	// Time each change of a stage in the page, on the clock Go reads too.
	w.b.hubTrue(t, "address passed", stageIs("address", "passed"))
	w.b.hubTrue(t, "token running", stageIs("token", "running"))
	hubEval[bool](t, w.b, `(function(){ window.seen = {}; new MutationObserver(function (ms) { ms.forEach(function (m) {
		window.seen[m.target.dataset.stage + ":" + m.target.dataset.status] = Date.now(); }); })
		.observe(document.querySelector('[data-testid="progress"]'), {subtree: true, attributes: true, attributeFilter: ["data-status"]}); return true; })()`)
	// The vendor holds the token, so nothing after it can have begun.
	if !hubEval[bool](t, w.b, stageIs("verify", "waiting")) {
		t.Error("verify left waiting before the token was answered")
	}
	if say := w.b.hubText(t, `[data-linkhub-announce]`); say != "" && !strings.Contains(say, "Sign-in with the client credentials: checking") {
		t.Errorf("got announcement %q, want the running stage", say)
	}
	if live := hubEval[string](t, w.b, `document.querySelector('[data-linkhub-announce]').getAttribute('aria-live')`); live != "polite" {
		t.Errorf("got aria-live %q, want polite", live)
	}
	screenshot(t, w.b, "hub-progress")
	w.b.recheck(t) // the progress is the form's page, changed in place

	var lags []string
	for _, step := range []struct{ done, next string }{{"token", "verify"}, {"verify", "permissions"}} {
		at := time.Now()
		gate <- struct{}{}
		w.b.hubTrue(t, step.done+" passed", stageIs(step.done, "passed"))
		w.b.hubTrue(t, step.next+" running", stageIs(step.next, "running"))
		seen := hubEval[float64](t, w.b, `window.seen["`+step.done+`:passed"] || 0`)
		if seen == 0 {
			t.Fatalf("%s passed unseen by the page's observer", step.done)
		}
		lag := time.UnixMilli(int64(seen)).Sub(at)
		lags = append(lags, fmt.Sprintf("%s %d ms", step.done, lag.Milliseconds()))
		if lag > 2*time.Second {
			t.Errorf("%s shown passed %v after the vendor answered, want it live", step.done, lag)
		}
	}
	t.Logf("from the vendor's release to the stage shown passed: %s", strings.Join(lags, ", "))
	released = true
	close(gate) // the permission probes
	w.b.hub(t, `[data-testid="success"]`)
	account := hostEvent(t, w.b, "success")
	if list := w.accounts(t); len(list) != 1 || list[0].ID != account["id"] {
		t.Fatalf("got accounts %v, want the one linked", list)
	}
}

// TestJourney_TwoKindsOfErrors: an empty form gets the error summary, focused,
// whose links lead into the fields, and the host hears nothing; a refused
// secret leads with plain words and the fix, detail collapsed, the secret
// marked, focus on the failure, and the host hears one error.
func TestJourney_TwoKindsOfErrors(t *testing.T) {
	w := newHubWorld(t)
	b := w.b
	w.demo.openHub(t, b)
	in := b.hub(t, `[data-testid="profile-`+w.jamf.ID+`"]`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="profile-`+w.jamf.ID+`"]`), in))
	in = b.hub(t, `[data-testid="connect"]`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	b.hub(t, `[data-testid="error-summary"]`)
	b.recheck(t) // the answer replaced the page in place
	if !b.focused(t, `[data-testid="error-summary"]`, false) {
		t.Error("focus is not on the error summary")
	}
	if got := hubEval[bool](t, b, `document.querySelector('#f-client_id').getAttribute('aria-invalid') === 'true'`); !got {
		t.Error("the empty client ID is not marked invalid")
	}
	in = b.hub(t, `[data-testid="error-summary"] a[href="#f-client_id"]`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="error-summary"] a[href="#f-client_id"]`), in))
	if !b.focused(t, `#f-client_id`, false) {
		t.Error("the summary's link did not move focus into its field")
	}

	in = b.hub(t, `#f-url`)
	b.do(t, chromedp.SendKeys(chromedp.CSS(`#f-url`), untidyJamfURL(w.vendors), in),
		chromedp.SendKeys(chromedp.CSS(`#f-client_id`), w.vendors.Jamf.ClientID, in),
		chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), "not-the-secret", in),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	headline := b.hubText(t, `[data-testid="failure-headline"]`)
	b.recheck(t)
	if headline != "Signing in with these credentials did not work" {
		t.Errorf("got headline %q, want plain words", headline)
	}
	if !b.focused(t, `[data-testid="failure"]`, false) {
		t.Error("focus is not on the failure")
	}
	if hubEval[bool](t, b, `document.querySelector('[data-testid="it-details"]').open`) {
		t.Error("the details for the IT team are open, want them collapsed")
	}
	if msg := b.hubText(t, `[data-testid="error-client_secret"]`); !strings.Contains(msg, "Paste the client secret again") {
		t.Errorf("got %q beside the secret, want it marked for re-entry", msg)
	}
	in = b.hub(t, `[data-testid="it-details"] summary`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="it-details"] summary`), in))
	if got := b.hubText(t, `[data-testid="failed-status"]`); got != "401" {
		t.Errorf("got status %q in the details, want 401", got)
	}
	hostEvent(t, b, "error")
	if n := strings.Count(text(t, b, `[data-testid="host-log"]`), "error {"); n != 1 {
		t.Errorf("host heard %d errors, want 1: the vendor's, not the empty form's", n)
	}
}

// TestHub_Widths walks the hub's screens at 720, 375 and 320 px: nothing
// scrolls sideways, the guide is beside the form from 720 px and a labelled
// section below it on phones, targets are at least 24 by 24 px, and a
// standalone user gets no Close button that would do nothing.
func TestHub_Widths(t *testing.T) {
	w := newHubWorld(t)
	b := w.b
	link := connectURL(t, w.lh, w.apiKey, "")
	b.ExpectConsoleError("/hub/unknown") // its 404
	for _, width := range []int{720, 375, 320} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			b.viewport(t, int64(width), 800) // the screen checks come back to it
			b.do(t, chromedp.Navigate(link),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="profiles"]`)))
			fits := func(screen string) {
				t.Helper()
				got, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
				if err != nil || got > width {
					t.Errorf("%s: page is %d px wide (%v), want at most %d", screen, got, err, width)
				}
			}
			fits("picker")
			b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="profile-`+w.jamf.ID+`"]`)), chromedp.WaitVisible(chromedp.CSS(`#f-url`)))
			fits("form")
			layout, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`(function(){
				var f = document.querySelector('[data-testid="hub-form"]').getBoundingClientRect();
				var g = document.querySelector('[data-testid="guide"]').getBoundingClientRect();
				return g.left >= f.right ? "beside" : g.top >= f.bottom ? "below" : "overlap"; })()`))
			if want := map[bool]string{true: "beside", false: "below"}[width >= 720]; err != nil || layout != want {
				t.Errorf("guide is %s (%v), want %s", layout, err, want)
			}
			small, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('button, a, summary'))
				.filter(function (e) { var r = e.getBoundingClientRect(); return r.width > 0 && (r.width < 24 || r.height < 24); })
				.map(function (e) { return e.outerHTML.slice(0, 80); })`))
			if err != nil || len(small) > 0 {
				t.Errorf("targets under 24x24 px (%v): %v", err, small)
			}
			if visible, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`!document.querySelector('[data-testid="close"]').hidden`)); visible {
				t.Error("a standalone hub shows a Close button that cannot close the tab")
			}
			if width == 320 {
				screenshot(t, b, "hub-form-phone")
			}
			b.do(t, chromedp.SendKeys(chromedp.CSS(`#f-url`), untidyJamfURL(w.vendors)),
				chromedp.SendKeys(chromedp.CSS(`#f-client_id`), w.vendors.Jamf.ClientID),
				chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), "not-the-secret"),
				chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="failure"]`)),
				chromedp.Click(chromedp.CSS(`[data-testid="it-details"] summary`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="failed-stage"]`)))
			fits("failure")
			if width == 320 {
				screenshot(t, b, "hub-failure-phone")
			}
			b.do(t, chromedp.Navigate(w.lh.URL+"/hub/unknown"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="expired"]`)))
			fits("unknown link")
		})
	}
}
