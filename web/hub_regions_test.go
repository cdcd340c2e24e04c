package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/linkhub/linkhub/web"
)

// TestHub_OnlyConfiguredRegions: with LINKHUB_CONNECTOR_RAPID7_HOSTS listing
// one region, the hub's region list offers only that region, and a region
// left out, sent anyway, gets a clear message and links nothing.
func TestHub_OnlyConfiguredRegions(t *testing.T) {
	e := mustHubEnvHosts(t, web.HubLimits{}, time.Second,
		map[string]map[string]string{"rapid7": {"api.eu": "https://127.0.0.1:1"}})
	e.MustProfile(t, "rapid7", "Rapid7", "search_assets")
	action, form := e.formOf(t, e.MustOpen(t, e.MustToken(t, nil)))
	var got []string
	form.Find(`#f-region option`).Each(func(_ int, s *goquery.Selection) { got = append(got, s.AttrOr("value", "?")) })
	if !slices.Equal(got, []string{"eu"}) {
		t.Fatalf("got region options %q, want only eu", got)
	}

	resp, doc := e.post(t, action, url.Values{"region": {"us"}, "api_key": {"not-a-real-key-0000"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200 and the form again", resp.StatusCode)
	}
	if msg := doc.Find(`[data-testid="error-region"]`).Text(); !strings.Contains(msg, "Region") {
		h, _ := doc.Find("main").Html()
		t.Fatalf("no message for a region left out:\n%s", h)
	}
	if accounts := e.allAccounts(t); len(accounts) != 0 {
		t.Fatalf("got accounts %+v, want none", accounts)
	}
}
