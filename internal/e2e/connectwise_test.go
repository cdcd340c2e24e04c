package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkConnectWise: the admin creates a ConnectWise PSA profile
// holding the product's own clientId; the user opens a standalone hub link,
// types the site, company and keys (never the clientId) and links; the
// account is stored with the API root companyinfo named.
func TestJourney_LinkConnectWise(t *testing.T) {
	f := fake.NewConnectWise(t)
	lh, seed, b := startWithFake(t, f.Server)
	createProfile(t, b, lh, "connectwise", "ConnectWise PSA", map[string]string{"client_id": f.Integration}, "list_companies", "list_tickets")

	b.do(t, chromedp.Navigate(connectURL(t, lh, seed.APIKey(), "")),
		chromedp.Click(chromedp.CSS(`[data-testid^="profile-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-private_key`)))
	if n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#f-client_id').length`)); err != nil || n != 0 {
		t.Fatalf("got %d client ID inputs (%v), want none in the hub", n, err)
	}
	b.do(t, chromedp.SendKeys(chromedp.CSS(`#f-site`), f.Host()),
		chromedp.SendKeys(chromedp.CSS(`#f-company_id`), f.Company),
		chromedp.SendKeys(chromedp.CSS(`#f-public_key`), f.ClientID),
		chromedp.SendKeys(chromedp.CSS(`#f-private_key`), f.ClientSecret),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"]`)))
	if got := text(t, b, `[data-testid="summary"]`); !strings.Contains(got, "v2025.1.99999") {
		t.Errorf("got summary %q, want the version found", got)
	}
	a, secrets := onlyAccount(t, seed)
	if a.ConnectorID != "connectwise" || a.Metadata["codebase"] != "v4_6_release/" || a.Values["site"] != f.URL || secrets["private_key"].Reveal() != f.ClientSecret {
		t.Fatalf("got account %+v, want a ConnectWise account at the site with its codebase and key", a)
	}
	if strings.Contains(lh.Log.String(), f.ClientSecret) {
		t.Error("the private key reached the log")
	}
}
