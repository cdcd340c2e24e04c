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

// definedLink is one catalogue vendor's journey: a Linkhub that trusts the
// vendor's fake (env points the definition at it where its hosts are
// fixed), an admin who creates the profile in the console, and a user who
// links through the hub embedded in the demo host product.
type definedLink struct {
	fake      *fake.Server
	env       []string
	connector string
	name      string
	actions   []string
	// fields are typed into the hub form in order; a select field is set.
	fields  [][2]string
	selects map[string]string
	secret  string
}

// run goes through the journey and returns the stored account.
func (d definedLink) run(t *testing.T) *linkhub.Account {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "vendor-ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d.fake.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	lh := startLinkhub(t, append([]string{"LINKHUB_ALLOW_PRIVATE_NETWORKS=true", "LINKHUB_EXTRA_CA_FILE=" + ca}, d.env...)...)
	seed := newSeed(t, lh)
	admin := newBrowser(t)
	signIn(t, admin, lh, seed)
	createProfile(t, admin, lh, d.connector, d.name, nil, d.actions...)

	demo := startDemo(t, lh, seed.APIKey())
	seed.EmbedOrigins(demo.Origin)
	b := newBrowser(t)
	demo.openHub(t, b) // one profile: the hub opens its form at once
	in := b.hub(t, `#f-`+d.fields[0][0])
	for id, v := range d.selects {
		b.do(t, chromedp.SetValue(chromedp.CSS(`#f-`+id), v, in))
	}
	for _, f := range d.fields {
		b.do(t, chromedp.SendKeys(chromedp.CSS(`#f-`+f[0]), f[1], in))
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	b.hub(t, `[data-testid="success"]`)
	event := hostEvent(t, b, "success")

	list, _, err := seed.Accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != event["id"] || list[0].ConnectorID != d.connector {
		t.Fatalf("got accounts %+v, want the one %s account the host page was told about (%v)", list, d.connector, event)
	}
	if strings.Contains(lh.Log.String(), d.secret) {
		t.Error("the vendor secret reached the log")
	}
	return list[0]
}

// TestJourney_LinkSentinelOne links a SentinelOne console typed as people
// paste it (no scheme, a page's path): the console address and the site
// count are stored.
func TestJourney_LinkSentinelOne(t *testing.T) {
	f := fake.NewSentinelOne(t)
	acc := definedLink{fake: f.Server, connector: "sentinelone", name: "SentinelOne",
		actions: []string{"list_agents", "list_threats"}, secret: f.ClientSecret,
		fields: [][2]string{{"console_url", f.Host() + "/dashboard"}, {"api_token", f.ClientSecret}},
	}.run(t)
	if acc.Values["console_url"] != f.URL || acc.Metadata["sentinelone_sites"] != "1" || acc.Metadata["sentinelone_site"] != f.Site {
		t.Errorf("got values %v and metadata %v, want the console %s and its one site", acc.Values, acc.Metadata, f.URL)
	}
	if len(f.Sightings("ApiToken "+f.ClientSecret)) < 3 {
		t.Errorf("the fake saw the token in fewer than 3 requests (sites and two probes)")
	}
}

// TestJourney_LinkKandji links a Kandji tenant by the API URL its token
// page shows: the URL, tidied, and the region are stored.
func TestJourney_LinkKandji(t *testing.T) {
	f := fake.NewKandji(t)
	acc := definedLink{fake: f.Server, connector: "kandji", name: "Kandji",
		actions: []string{"list_devices", "prism_apps"}, secret: f.ClientSecret,
		fields: [][2]string{{"api_url", f.Host() + "/"}, {"api_token", f.ClientSecret}},
	}.run(t)
	if acc.Values["api_url"] != f.URL || acc.Metadata["kandji_region"] != "us" {
		t.Errorf("got values %v and metadata %v, want the API URL %s and the region us", acc.Values, acc.Metadata, f.URL)
	}
	if len(f.Sightings("Bearer "+f.ClientSecret)) < 3 {
		t.Errorf("the fake saw the token in fewer than 3 requests (devices and two probes)")
	}
}

// TestJourney_LinkAutomox links an Automox organization chosen by its ID,
// the fixed console host pointed at the fake as an operator would for
// staging: the organization found is stored.
func TestJourney_LinkAutomox(t *testing.T) {
	f := fake.NewAutomox(t)
	acc := definedLink{fake: f.Server, connector: "automox", name: "Automox",
		env:     []string{"LINKHUB_CONNECTOR_AUTOMOX_HOSTS=api=" + f.URL},
		actions: []string{"list_devices", "list_policies"}, secret: f.ClientSecret,
		fields: [][2]string{{"api_key", f.ClientSecret}, {"org_id", "5678"}},
	}.run(t)
	if acc.Values["org_id"] != "5678" || acc.Metadata["automox_org"] != "Acme Lab" || acc.Metadata["automox_org_id"] != "5678" {
		t.Errorf("got values %v and metadata %v, want organization 5678 Acme Lab", acc.Values, acc.Metadata)
	}
	if len(f.Sightings("o=5678&limit=1")) < 2 {
		t.Errorf("the fake saw fewer than 2 probes of organization 5678")
	}
}
