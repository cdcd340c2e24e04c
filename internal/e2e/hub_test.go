package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// hostPage is a host product's page on another site: it frames the hub and
// shows every message the hub posts to it.
const hostPage = `<!doctype html><html><body>
<pre id="events"></pre>
<iframe id="hub" src="%s" style="width:1000px;height:800px"></iframe>
<script>
window.addEventListener("message", function (e) {
  if (e.origin !== %q) return;
  document.getElementById("events").textContent += JSON.stringify(e.data) + "\n";
});
</script></body></html>`

// seedHub gives a running Linkhub a Jamf profile, an allowed embed origin and
// an API key, and returns the key.
func seedHub(t *testing.T, lh *Linkhub, origin string) string {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, lh.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k, _ := secret.GenerateKey()
	keys, err := secret.ParseKeyring("9:"+k, "9") // no secret is sealed here
	if err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewProfileService(db, keys).CreateProfile(ctx,
		&linkhub.Profile{ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true}, nil); err != nil {
		t.Fatal(err)
	}
	st := linkhub.DefaultSettings()
	st.EmbedOrigins = []string{origin}
	if _, err := postgres.NewSettingsService(db).UpdateSettings(ctx, linkhub.SystemActor, st); err != nil {
		t.Fatal(err)
	}
	_, key, err := postgres.NewAPIKeyService(db).CreateAPIKey(ctx, linkhub.SystemActor, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// TestJourney_HubEmbedded frames the hub on another site, as a host product
// does: the hub loads under its frame-ancestors policy, says ready to the
// parent, takes a form post from inside the cross-site frame (no cookie,
// CrossOriginProtection lets it through) and reports the failed test to the
// parent at its exact origin.
func TestJourney_HubEmbedded(t *testing.T) {
	lh := startLinkhub(t, "LINKHUB_ALLOW_PRIVATE_NETWORKS=true", "LINKHUB_VENDOR_TIMEOUT=2s")
	var hubURL string
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, hubURL, lh.URL)
	}))
	defer host.Close()
	// localhost and 127.0.0.1 are different sites: the frame is cross-site.
	origin := strings.Replace(host.URL, "127.0.0.1", "localhost", 1)
	key := seedHub(t, lh, origin)

	body, _ := json.Marshal(map[string]any{"origin_owner_id": "c-1", "origin_owner_name": "Customer", "embed_origin": origin})
	req, _ := http.NewRequest(http.MethodPost, lh.URL+"/api/v1/connect_sessions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ URL string }
	_ = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || out.URL == "" {
		t.Fatalf("create session: got %d", resp.StatusCode)
	}
	hubURL = out.URL

	// Site isolation off keeps the frame in the page's process, where
	// chromedp can reach it; the browser's cross-site rules stay the same.
	b := newBrowser(t, chromedp.Flag("disable-site-isolation-trials", true), chromedp.Flag("site-per-process", false))
	waitEvents := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		var got string
		for time.Now().Before(deadline) {
			if s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS("#events"))); err == nil && strings.Contains(s, want) {
				return s
			} else {
				got = s
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("no %s message from the hub; got %q\nlog:\n%s", want, got, lh.Log)
		return ""
	}
	if err := chromedp.Do(b.Ctx, chromedp.Navigate(origin)); err != nil {
		t.Fatal(err)
	}
	waitEvents(`"type":"ready"`)

	frames, err := chromedp.Run(b.Ctx, chromedp.Nodes(chromedp.CSS("#hub")))
	if err != nil || len(frames) != 1 {
		t.Fatalf("no hub frame: %v", err)
	}
	in := chromedp.FromNode(frames[0])
	ctx, cancel := context.WithTimeout(b.Ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`#f-url`), in),
		chromedp.SendKeys(chromedp.CSS(`#f-url`), "https://127.0.0.1:1/", in),
		chromedp.SendKeys(chromedp.CSS(`#f-client_id`), "2f0c6a7e-1b3d-4c5e-8f9a-0b1c2d3e4f5a", in),
		chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), "e2e-secret-value", in),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in),
	); err != nil {
		t.Fatal(err)
	}
	events := waitEvents(`"type":"error"`)
	screenshot(t, b, "hub-embedded-failure")
	if !strings.Contains(events, `"source":"linkhub"`) {
		t.Errorf("got events %q, want linkhub's", events)
	}
	if strings.Contains(lh.Log.String(), "e2e-secret-value") || strings.Contains(lh.Log.String(), "cross-origin request refused") {
		t.Errorf("want no secret and no refused post in the log:\n%s", lh.Log)
	}
	for _, m := range b.Console() {
		if m.Type == "error" && !strings.Contains(m.Text, "404") {
			t.Errorf("console: %s", m)
		}
	}
}
