package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// strangerPage frames a hub link and says when the frame has loaded,
// whatever it shows.
const strangerPage = `<!doctype html><html><head><title>Not allowed</title></head><body>
<p id="status">loading</p>
<iframe id="hub" src="%s" style="width:900px;height:600px"></iframe>
<script>
document.getElementById("hub").addEventListener("load", function () {
  document.getElementById("status").textContent = "loaded";
});
window.addEventListener("message", function (e) {
  document.getElementById("status").textContent += " message:" + JSON.stringify(e.data);
});
</script></body></html>`

// TestJourney_FramingRefused is journey 7: a hub link framed by a page whose
// origin the admin did not allow is refused by the browser (frame-ancestors),
// while the allowed host product frames the hub as usual.
func TestJourney_FramingRefused(t *testing.T) {
	w := newHubWorld(t)
	w.demo.openHub(t, w.b) // the allowed origin: the hub renders and says ready

	link := connectURL(t, w.lh, w.apiKey, w.demo.Origin)
	stranger := pageServer(t, map[string]string{"/": fmt.Sprintf(strangerPage, link)})
	b := newBrowser(t)
	b.ExpectConsoleError("frame-ancestors")
	b.do(t, chromedp.Navigate(stranger))
	b.waitText(t, "#status", "loaded")
	b.waitConsole(t, "violates the following Content Security Policy directive: \"frame-ancestors "+w.demo.Origin+"\"")
	in := chromedp.FromNode(b.frame(t))
	html, err := chromedp.Run(b.Ctx, chromedp.OuterHTML(chromedp.CSS("html"), in))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html, "data-testid") || strings.Contains(html, "Linkhub") {
		t.Errorf("the refused frame shows the hub:\n%s", html)
	}
	if status := text(t, b, "#status"); strings.Contains(status, "message:") {
		t.Errorf("the refused hub posted to the stranger: %q", status)
	}
}
