package e2e

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// catalogJourney is one journey through a defined connector against its fake:
// the admin creates the profile in the console, the demo host opens the
// hub, the user fills the form and connects, and the account is stored.
type catalogJourney struct {
	connector string
	name      string
	env       []string       // the LINKHUB_CONNECTOR_<ID>_HOSTS overrides
	servers   []*fake.Server // the fakes whose certificates Linkhub trusts
	fields    [][2]string    // form field id and value, in form order
	actions   []string
	summary   string // text the success page shows from the metadata
}

// run walks the journey and returns the stored account.
func (d catalogJourney) run(t *testing.T) *linkhub.Account {
	t.Helper()
	ca := filepath.Join(t.TempDir(), "vendors-ca.pem")
	var pemData []byte
	for _, s := range d.servers {
		pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
	}
	if err := os.WriteFile(ca, pemData, 0o600); err != nil {
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
	demo.openHub(t, b)
	// One profile: the hub skips the picker and shows its form.
	in := b.hub(t, `#f-`+d.fields[0][0])
	for _, f := range d.fields {
		sel := chromedp.CSS(`#f-` + f[0])
		if tag, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector("iframe").contentDocument.querySelector("#f-`+f[0]+`").tagName`)); err == nil && tag == "SELECT" {
			b.do(t, chromedp.SetValue(sel, f[1], in))
			continue
		}
		b.do(t, chromedp.SendKeys(sel, f[1], in))
	}
	in = b.hub(t, `[data-testid="connect"]`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	b.hub(t, `[data-testid="success"]`)
	if got := b.hubText(t, `[data-testid="summary"]`); !strings.Contains(got, d.summary) {
		t.Errorf("got summary %q, want %q", got, d.summary)
	}
	event := hostEvent(t, b, "success")
	list, _, err := seed.Accounts.FindAccounts(t.Context(), linkhub.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != event["id"] || list[0].ConnectorID != d.connector {
		t.Fatalf("got accounts %+v, want the %s one the host page was told about (%v)", list, d.connector, event)
	}
	for _, s := range d.servers {
		if strings.Contains(lh.Log.String(), s.ClientSecret) {
			t.Error("the secret reached the log")
		}
	}
	return list[0]
}

// TestJourney_LinkHaloPSA links a HaloPSA instance, its address typed as
// people paste it, and stores the customers count it found.
func TestJourney_LinkHaloPSA(t *testing.T) {
	f := fake.NewHaloPSA(t)
	a := catalogJourney{connector: "halopsa", name: "HaloPSA", servers: []*fake.Server{f.Server},
		fields:  [][2]string{{"halo_url", " " + f.Host() + "/ "}, {"client_id", f.ClientID}, {"client_secret", f.ClientSecret}},
		actions: []string{"list_tickets"}, summary: "838"}.run(t)
	if a.Values["halo_url"] != f.URL || a.Metadata["client_count"] != "838" {
		t.Errorf("got values %v and metadata %v, want the tidied address and 838 customers", a.Values, a.Metadata)
	}
}

// TestJourney_LinkZoom links a Zoom account through a Server-to-Server
// OAuth app, both Zoom hosts pointed at the fake, and stores the user count.
func TestJourney_LinkZoom(t *testing.T) {
	f := fake.NewZoom(t)
	a := catalogJourney{connector: "zoom", name: "Zoom", servers: []*fake.Server{f.OAuth, f.API},
		env:     []string{"LINKHUB_CONNECTOR_ZOOM_HOSTS=oauth=" + f.OAuth.URL + ",api=" + f.API.URL},
		fields:  [][2]string{{"account_id", f.AccountID}, {"client_id", f.OAuth.ClientID}, {"client_secret", f.OAuth.ClientSecret}},
		actions: []string{"list_users"}, summary: "42"}.run(t)
	if a.Metadata["user_count"] != "42" {
		t.Errorf("got metadata %v, want 42 active users", a.Metadata)
	}
}

// TestJourney_LinkDefender links a Defender for Endpoint tenant by its
// domain, the data location picked, login and API hosts pointed at the fake.
func TestJourney_LinkDefender(t *testing.T) {
	f := fake.NewDefender(t)
	var hosts []string
	for k, v := range f.HostOverrides() {
		hosts = append(hosts, k+"="+v)
	}
	a := catalogJourney{connector: "defender", name: "Defender", servers: []*fake.Server{f.Login, f.API},
		env: []string{"LINKHUB_CONNECTOR_DEFENDER_HOSTS=" + strings.Join(hosts, ",")},
		fields: [][2]string{{"tenant_id", f.Domain}, {"client_id", f.Login.ClientID}, {"client_secret", f.Login.ClientSecret},
			{"region", "eu"}},
		actions: []string{"list_machines", "list_alerts"}, summary: "yes"}.run(t)
	if a.Values["region"] != "eu" || a.Metadata["machines_seen"] != "yes" {
		t.Errorf("got values %v and metadata %v, want the eu location and machines seen", a.Values, a.Metadata)
	}
}
