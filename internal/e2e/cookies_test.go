package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// blockThirdPartyCookies turns on the browser's third-party cookie
// restriction for the tab, as a user who blocks them (or Incognito) has it.
func blockThirdPartyCookies(t *testing.T, b *Browser) {
	t.Helper()
	// Chromium 148 (Debian, December 2026) wants the two flags that its
	// protocol had dropped and cdproto v0.159 no longer sends, and refuses
	// the call without them; older builds take the one flag cdproto knows.
	withFlags := cdp.Command[cookieControls, cdp.Empty]{Method: network.CommandSetCookieControls}
	_, err := chromedp.Call(b.Ctx, withFlags, cookieControls{EnableThirdPartyCookieRestriction: true})
	if err != nil {
		_, err = chromedp.Call(b.Ctx, network.SetCookieControls,
			network.SetCookieControlsParams{EnableThirdPartyCookieRestriction: true})
	}
	if err != nil {
		t.Fatal(err)
	}
}

// cookieControls are Network.setCookieControls' parameters as Chromium 148
// requires them, every flag sent.
type cookieControls struct {
	EnableThirdPartyCookieRestriction bool `json:"enableThirdPartyCookieRestriction"`
	DisableThirdPartyCookieMetadata   bool `json:"disableThirdPartyCookieMetadata"`
	DisableThirdPartyCookieHeuristics bool `json:"disableThirdPartyCookieHeuristics"`
}

// probePage frames a page of another site that sets a cookie, then another
// page of that site, whose request shows whether the cookie came back.
const probePage = `<!doctype html><html><head><title>Cookie probe</title></head><body>
<p id="status">loading</p>
<iframe id="set" src="%s/set"></iframe>
<script>
document.getElementById("set").addEventListener("load", function () {
  var check = document.createElement("iframe");
  check.src = %q + "/check";
  check.addEventListener("load", function () { document.getElementById("status").textContent = "checked"; });
  document.body.appendChild(check);
});
</script></body></html>`

// thirdPartyCookieSent reports whether the browser sends back a cookie that
// a framed page of another site set: SameSite=None; Secure, and Partitioned
// (CHIPS, which blocking third-party cookies allows) or not.
func thirdPartyCookieSent(t *testing.T, b *Browser, partitioned bool) bool {
	t.Helper()
	// Cookies ignore ports: each kind has its own name so that one probe
	// never sees another's cookie.
	name := "probe-unpartitioned"
	if partitioned {
		name = "probe-partitioned"
	}
	var sent atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: name, Value: "1", Path: "/", Secure: true, SameSite: http.SameSiteNoneMode, Partitioned: partitioned})
	})
	mux.HandleFunc("GET /check", func(w http.ResponseWriter, r *http.Request) {
		_, err := r.Cookie(name)
		sent.Store(err == nil)
	})
	third := httptest.NewServer(mux) // 127.0.0.1: another site than the page's localhost
	defer third.Close()
	page := pageServer(t, map[string]string{"/": fmt.Sprintf(probePage, third.URL, third.URL)})
	b.do(t, chromedp.Navigate(page))
	b.waitText(t, "#status", "checked")
	return sent.Load()
}

// TestJourney_ThirdPartyCookiesBlocked is journey 9: in a browser that
// blocks third-party cookies the embedded hub still links an account; it
// needs no cookie. (This Chromium blocks unpartitioned third-party cookies
// even by default; the test turns the restriction on anyway and proves it
// with a probe that does see the partitioned cookie.)
func TestJourney_ThirdPartyCookiesBlocked(t *testing.T) {
	w := newHubWorld(t)
	blockThirdPartyCookies(t, w.b)
	if !thirdPartyCookieSent(t, w.b, true) {
		t.Fatal("control: the probe did not see its partitioned cookie come back")
	}
	if thirdPartyCookieSent(t, w.b, false) {
		t.Fatal("the unpartitioned third-party cookie was sent: the restriction is not on")
	}

	w.demo.openHub(t, w.b)
	w.fillJamf(t, w.vendors.Jamf.ClientSecret)
	in := w.b.hub(t, `[data-testid="connect"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	w.b.hub(t, `[data-testid="success"]`)
	account := hostEvent(t, w.b, "success")
	if list := w.accounts(t); len(list) != 1 || list[0].ID != account["id"] {
		t.Fatalf("got accounts %v, want the one linked without cookies", list)
	}
}
