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
	"github.com/linkhub/linkhub/internal/secret"
)

// catalogLink is one catalogue vendor's journey, the one every catalogue
// test walks: a Linkhub that trusts the vendor's fakes (env points the
// definition's fixed hosts at them), an admin who creates the profile in
// the console, and a user who links through the hub embedded in the demo
// host product. Each screen passes the harness's axe checks on the way.
type catalogLink struct {
	connector string
	name      string
	servers   []*fake.Server    // the fakes whose certificates Linkhub trusts
	env       []string          // LINKHUB_CONNECTOR_<ID>_HOSTS and the like
	shared    map[string]string // profile fields the admin sets
	actions   []string
	// fields are the hub form's field ids and values in form order; a
	// select is set, any other field typed.
	fields [][2]string
	// absent are hub form field ids the user must never be asked for.
	absent  []string
	summary string // text the success page shows from the metadata
	// define, when set, runs in the signed-in admin's browser before the
	// profile is created (a connector defined at runtime).
	define func(t *testing.T, admin *Browser, lh *Linkhub)
}

// linked is what a catalogue journey left behind.
type linked struct {
	account *linkhub.Account
	secrets map[string]secret.Value
}

// run walks the journey and returns the stored account and its secrets.
func (d catalogLink) run(t *testing.T) linked {
	t.Helper()
	var certs []byte
	for _, s := range d.servers {
		certs = append(certs, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
	}
	ca := filepath.Join(t.TempDir(), "vendors-ca.pem")
	if err := os.WriteFile(ca, certs, 0o600); err != nil {
		t.Fatal(err)
	}
	lh := startLinkhub(t, append([]string{"LINKHUB_ALLOW_PRIVATE_NETWORKS=true", "LINKHUB_EXTRA_CA_FILE=" + ca}, d.env...)...)
	seed := newSeed(t, lh)
	admin := newBrowser(t)
	signIn(t, admin, lh, seed)
	if d.define != nil {
		d.define(t, admin, lh)
	}
	createProfile(t, admin, lh, d.connector, d.name, d.shared, d.actions...)

	demo := startDemo(t, lh, seed.APIKey())
	seed.EmbedOrigins(demo.Origin)
	b := newBrowser(t)
	demo.openHub(t, b)
	// One profile: the hub skips the picker and shows its form.
	in := b.hub(t, `#f-`+d.fields[0][0])
	for _, id := range d.absent {
		if n := hubEval[int](t, b, `document.querySelectorAll(`+strconv.Quote("#f-"+id)+`).length`); n != 0 {
			t.Fatalf("got %d %s inputs, want none in the hub", n, id)
		}
	}
	for _, f := range d.fields {
		sel := chromedp.CSS(`#f-` + f[0])
		if hubEval[string](t, b, `document.querySelector(`+strconv.Quote("#f-"+f[0])+`).tagName`) == "SELECT" {
			b.do(t, chromedp.SetValue(sel, f[1], in))
			continue
		}
		b.do(t, chromedp.SendKeys(sel, f[1], in))
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	b.hub(t, `[data-testid="success"]`)
	if got := b.hubText(t, `[data-testid="summary"]`); !strings.Contains(got, d.summary) {
		t.Errorf("got summary %q, want %q", got, d.summary)
	}
	stages := hubEval[[]string](t, b, `[...document.querySelectorAll('[data-stage]')].map(e => e.dataset.stage + ' ' + e.dataset.status)`)
	if len(stages) == 0 {
		t.Error("the success page shows no stages")
	}
	for _, s := range stages {
		if !strings.HasSuffix(s, " passed") && !strings.HasSuffix(s, " skipped") {
			t.Errorf("stage %s, want passed or skipped", s)
		}
	}
	event := hostEvent(t, b, "success")

	list, _, err := seed.Accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != event["id"] || list[0].ConnectorID != d.connector {
		t.Fatalf("got accounts %+v, want the one %s account the host page was told about (%v)", list, d.connector, event)
	}
	secrets, err := seed.Accounts.FindAccountSecrets(context.Background(), list[0].ID)
	if err != nil || len(secrets) == 0 {
		t.Errorf("got stored secrets %d (%v), want the credential stored", len(secrets), err)
	}
	for _, s := range d.servers {
		if strings.Contains(lh.Log.String(), s.ClientSecret) || strings.Contains(demo.Log.String(), s.ClientSecret) {
			t.Error("the vendor secret reached a log")
		}
	}
	return linked{account: list[0], secrets: secrets}
}
