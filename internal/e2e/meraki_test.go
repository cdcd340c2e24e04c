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
	"github.com/linkhub/linkhub/internal/secret"
)

// startWithFake starts Linkhub trusting the fake vendor f on loopback, with
// env besides, and a browser signed in to its admin console.
func startWithFake(t *testing.T, f *fake.Server, env ...string) (*Linkhub, *Seed, *Browser) {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "vendor-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	lh := startLinkhub(t, append([]string{"LINKHUB_ALLOW_PRIVATE_NETWORKS=true", "LINKHUB_EXTRA_CA_FILE=" + ca}, env...)...)
	seed := newSeed(t, lh)
	b := newBrowser(t)
	signIn(t, b, lh, seed)
	return lh, seed, b
}

// onlyAccount returns the one stored account and its secrets.
func onlyAccount(t *testing.T, seed *Seed) (*linkhub.Account, map[string]secret.Value) {
	t.Helper()
	list, _, err := seed.Accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d accounts (%v), want one", len(list), err)
	}
	secrets, err := seed.Accounts.FindAccountSecrets(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return list[0], secrets
}

// TestJourney_LinkMeraki: Linkhub's Meraki definition pointed at a fake
// global region by LINKHUB_CONNECTOR_MERAKI_HOSTS; the admin creates a
// Meraki profile with two actions in the console; the user opens a
// standalone hub link, picks the region, pastes the API key and links; the
// account is stored with the organization the test found.
func TestJourney_LinkMeraki(t *testing.T) {
	f := fake.NewMeraki(t)
	lh, seed, b := startWithFake(t, f.Server, "LINKHUB_CONNECTOR_MERAKI_HOSTS=api.global="+f.URL)
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
	a, secrets := onlyAccount(t, seed)
	if a.ConnectorID != "meraki" || a.Metadata["meraki_org_id"] != "549236" || secrets["api_key"].Reveal() != f.ClientSecret {
		t.Fatalf("got account %+v, want a Meraki account of organization 549236 with the key", a)
	}
	if strings.Contains(lh.Log.String(), f.ClientSecret) {
		t.Error("the API key reached the log")
	}
}
