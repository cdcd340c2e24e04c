package e2e

import (
	"context"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestJourney_LinkMeraki: Linkhub's Meraki definition pointed at a fake
// global region by LINKHUB_CONNECTOR_MERAKI_HOSTS; the admin creates a
// Meraki profile with two actions in the console; the user opens a
// standalone hub link, picks the region, pastes the API key and links; the
// account is stored with the organization the test found.
func TestJourney_LinkMeraki(t *testing.T) {
	f := fake.NewMeraki(t)
	ca := filepath.Join(t.TempDir(), "meraki-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	lh := startLinkhub(t, "LINKHUB_ALLOW_PRIVATE_NETWORKS=true", "LINKHUB_EXTRA_CA_FILE="+ca,
		"LINKHUB_CONNECTOR_MERAKI_HOSTS=api.global="+f.URL)
	seed := newSeed(t, lh)
	b := newBrowser(t)
	signIn(t, b, lh, seed)
	createProfile(t, b, lh, "meraki", "Cisco Meraki", nil, "list_devices", "list_networks")

	b.do(t, chromedp.Navigate(connectURL(t, lh, seed.APIKey(), "")),
		chromedp.Click(chromedp.CSS(`[data-testid^="profile-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-api_key`)),
		chromedp.SetValue(chromedp.CSS(`#f-region`), "global"),
		chromedp.SendKeys(chromedp.CSS(`#f-api_key`), f.ClientSecret),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"]`)))
	if got := text(t, b, `[data-testid="summary"]`); !strings.Contains(got, "DevNet Sandbox") {
		t.Errorf("got summary %q, want the organization found", got)
	}
	list, _, err := seed.Accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ConnectorID != "meraki" || list[0].Metadata["meraki_org_id"] != "549236" {
		t.Fatalf("got accounts %+v, want one Meraki account of organization 549236", list)
	}
	secrets, err := seed.Accounts.FindAccountSecrets(context.Background(), list[0].ID)
	if err != nil || secrets["api_key"].Reveal() != f.ClientSecret {
		t.Fatalf("got the stored key wrong (%v)", err)
	}
	if strings.Contains(lh.Log.String(), f.ClientSecret) {
		t.Error("the API key reached the log")
	}
}
