package e2e

import (
	"context"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// definedJourney is one catalogue vendor's link from end to end: its fake,
// the LINKHUB_CONNECTOR_<ID>_HOSTS value that points the definition at it,
// the form as the user fills it (field id -> value) and a metadata key and
// value the test must store.
type definedJourney struct {
	connector string
	fake      *fake.Server
	hosts     string
	actions   []string
	form      map[string]string // typed into text and secret fields
	choose    map[string]string // picked in select fields
	secret    string
	metaKey   string
	metaValue string
}

// run starts Linkhub pointed at the fake, lets an admin create the profile
// in the console, then links an account in the standalone hub and checks
// what is stored.
func (j definedJourney) run(t *testing.T) {
	ca := filepath.Join(t.TempDir(), "vendor-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: j.fake.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	lh := startLinkhub(t, "LINKHUB_ALLOW_PRIVATE_NETWORKS=true", "LINKHUB_EXTRA_CA_FILE="+ca,
		"LINKHUB_CONNECTOR_"+strings.ToUpper(j.connector)+"_HOSTS="+j.hosts)
	seed := newSeed(t, lh)
	admin := newBrowser(t)
	signIn(t, admin, lh, seed)
	createProfile(t, admin, lh, j.connector, j.connector+" (e2e)", nil, j.actions...)

	b := newBrowser(t)
	b.do(t, chromedp.Navigate(connectURL(t, lh, seed.APIKey(), "")))
	list, err := seed.Profiles.FindProfiles(context.Background(), linkhub.ProfileFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("got profiles %v (%v), want the admin's one", list, err)
	}
	// With one profile the hub opens its form at once; else pick it.
	b.do(t, chromedp.WaitVisible(chromedp.CSS(`[data-testid="connect"], [data-testid="profiles"]`)))
	if card := `[data-testid="profile-` + list[0].ID + `"]`; visible(t, b, card) {
		b.do(t, chromedp.Click(chromedp.CSS(card)))
	}
	for id, v := range j.form {
		b.do(t, chromedp.SendKeys(chromedp.CSS("#f-"+id), v))
	}
	for id, v := range j.choose {
		b.do(t, chromedp.SetValue(chromedp.CSS("#f-"+id), v))
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"], [data-testid="failure"], .field-error`)))
	if !visible(t, b, `[data-testid="success"]`) {
		t.Fatalf("got no success; the page says %q", text(t, b, "main"))
	}
	statuses, err := chromedp.Run(b.Ctx, chromedp.AttributesAll(chromedp.CSS(`[data-stage]`)))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range statuses {
		if s := a["data-status"]; s != "passed" && s != "skipped" {
			t.Errorf("stage %s: got %s, want passed or skipped", a["data-stage"], s)
		}
	}

	accounts, _, err := seed.Accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil || len(accounts) != 1 {
		t.Fatalf("got accounts %v (%v), want the one linked", accounts, err)
	}
	if a := accounts[0]; a.ConnectorID != j.connector || a.Metadata[j.metaKey] != j.metaValue {
		t.Errorf("got account of %s with metadata %v, want %s with %s=%s", a.ConnectorID, a.Metadata, j.connector, j.metaKey, j.metaValue)
	}
	secrets, err := seed.Accounts.FindAccountSecrets(context.Background(), accounts[0].ID)
	if err != nil || len(secrets) == 0 {
		t.Errorf("got stored secrets %d (%v), want the credential stored", len(secrets), err)
	}
	if strings.Contains(lh.Log.String(), j.secret) {
		t.Error("the secret reached the log")
	}
}

// TestJourney_LinkHuntress links a Huntress account by its API key and
// secret, the fixed API host pointed at the fake.
func TestJourney_LinkHuntress(t *testing.T) {
	f := fake.NewHuntress(t)
	definedJourney{connector: "huntress", fake: f.Server, hosts: "api=" + f.URL,
		actions: []string{"list_agents"},
		form:    map[string]string{"api_key": f.ClientID, "api_secret": f.ClientSecret}, secret: f.ClientSecret,
		metaKey: "huntress_account", metaValue: f.Name}.run(t)
}

// TestJourney_LinkTenable links Tenable Vulnerability Management by its two
// keys on the default platform, pointed at the fake.
func TestJourney_LinkTenable(t *testing.T) {
	f := fake.NewTenable(t)
	definedJourney{connector: "tenable", fake: f.Server, hosts: "api.cloud=" + f.URL,
		actions: []string{"list_assets", "list_users"},
		form:    map[string]string{"access_key": f.ClientID, "secret_key": f.ClientSecret}, secret: f.ClientSecret,
		metaKey: "tenable_container", metaValue: f.Container}.run(t)
}

// TestJourney_LinkRapid7 links the Rapid7 Insight platform by its API key in
// the one region this deployment points at the fake, with an InsightVM
// search probed by a POST.
func TestJourney_LinkRapid7(t *testing.T) {
	f := fake.NewRapid7(t)
	definedJourney{connector: "rapid7", fake: f.Server, hosts: "api.us2=" + f.URL,
		actions: []string{"search_assets", "list_investigations"},
		form:    map[string]string{"api_key": f.ClientSecret}, choose: map[string]string{"region": "us2"}, secret: f.ClientSecret,
		metaKey: "rapid7_region", metaValue: "us2"}.run(t)
}

// visible reports whether sel is on the page now.
func visible(t *testing.T, b *Browser, sel string) bool {
	t.Helper()
	n, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`!!document.querySelector(`+strconv.Quote(sel)+`)`))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
