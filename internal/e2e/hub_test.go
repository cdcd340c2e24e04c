package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// hubWorld is a Linkhub set up by its admin, fake vendors, the demo host
// product allowed to embed the hub, and a browser.
type hubWorld struct {
	lh       *Linkhub
	vendors  *Vendors
	seed     *Seed
	demo     *Demo
	b        *Browser
	apiKey   string
	jamf     *linkhub.Profile
	sophos   *linkhub.Profile
	ninjaone *linkhub.Profile
}

func newHubWorld(t *testing.T) *hubWorld {
	t.Helper()
	w := &hubWorld{vendors: startVendors(t)}
	w.lh = startLinkhub(t, w.vendors.Env()...)
	w.seed = newSeed(t, w.lh)
	w.jamf = w.seed.JamfProfile()
	w.sophos = w.seed.SophosPartnerProfile(w.vendors)
	w.ninjaone = w.seed.Profile(&linkhub.Profile{ConnectorID: "ninjaone", Name: "NinjaOne"}, nil)
	w.apiKey = w.seed.APIKey()
	w.demo = startDemo(t, w.lh, w.apiKey)
	w.seed.EmbedOrigins(w.demo.Origin)
	w.b = newBrowser(t)
	return w
}

// untidyJamfURL is the fake Jamf's address as people paste it: spaces, no
// scheme, a trailing slash.
func untidyJamfURL(v *Vendors) string { return "  " + v.Jamf.Host() + "/ " }

// fillJamf picks Jamf Pro in the hub and fills its form.
func (w *hubWorld) fillJamf(t *testing.T, clientSecret string) {
	t.Helper()
	in := w.b.hub(t, `[data-testid="profile-`+w.jamf.ID+`"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="profile-`+w.jamf.ID+`"]`), in))
	in = w.b.hub(t, `#f-url`)
	w.b.do(t,
		chromedp.SendKeys(chromedp.CSS(`#f-url`), untidyJamfURL(w.vendors), in),
		chromedp.SendKeys(chromedp.CSS(`#f-client_id`), w.vendors.Jamf.ClientID, in),
		chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), clientSecret, in),
	)
}

// accounts returns every stored account.
func (w *hubWorld) accounts(t *testing.T) []*linkhub.Account {
	t.Helper()
	list, _, err := w.seed.Accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestJourney_LinkJamf is journey 3: the demo host product embeds the hub;
// the user picks Jamf Pro, reads the guide, pastes an untidy address, the
// client ID and secret, connects, sees the stages pass; the host page gets
// the account id and the admin console shows the account with its version.
func TestJourney_LinkJamf(t *testing.T) {
	w := newHubWorld(t)
	w.demo.openHub(t, w.b)
	w.b.hub(t, `[data-testid="profiles"]`)
	screenshot(t, w.b, "hub-picker")

	w.fillJamf(t, w.vendors.Jamf.ClientSecret)
	if guide := w.b.hubText(t, `[data-testid="guide"]`); !strings.Contains(guide, "Create an API client") {
		t.Errorf("got guide %q, want Jamf's steps", guide)
	}
	screenshot(t, w.b, "hub-form")
	// A poll in the frame's document answers at once: the JSON is never empty.
	w.b.hub(t, `[data-linkhub-copy]`)
	small, err := chromedp.Run(w.b.Ctx, chromedp.Poll[string](`JSON.stringify([...document.querySelectorAll("[data-linkhub-copy]")]
		.map(e => e.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).map(r => r.width + "x" + r.height))`,
		chromedp.WithPollingInFrame(w.b.frame(t))))
	if err != nil || small != "[]" {
		t.Errorf("guide Copy buttons of %s px (%v), want each at least 24x24 (WCAG 2.2, 2.5.8)", small, err)
	}

	// Slow answers keep the stages on screen long enough to see them.
	w.vendors.Jamf.SetSlow(300 * time.Millisecond)
	in := w.b.hub(t, `[data-testid="connect"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))
	progress := w.b.hubText(t, `[data-testid="progress"]`)
	if !strings.Contains(progress, "Sign-in with the client credentials") {
		t.Errorf("got progress %q, want the stages", progress)
	}
	w.vendors.Jamf.SetSlow(0)

	in = w.b.hub(t, `[data-testid="success"]`)
	w.b.recheck(t) // the streamed answer replaced the page in place
	statuses, err := chromedp.Run(w.b.Ctx, chromedp.AttributesAll(chromedp.CSS(`[data-stage]`), in))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range statuses {
		if a["data-status"] != "passed" {
			t.Errorf("stage %s: got %s, want passed", a["data-stage"], a["data-status"])
		}
	}
	if summary := w.b.hubText(t, `[data-testid="summary"]`); !strings.Contains(summary, w.vendors.Jamf.Version) {
		t.Errorf("got summary %q, want the Jamf Pro version", summary)
	}
	account := hostEvent(t, w.b, "success")
	screenshot(t, w.b, "hub-success")

	list := w.accounts(t)
	if len(list) != 1 || list[0].ID != account["id"] {
		t.Fatalf("got accounts %v, want the one the host page was told about (%v)", list, account)
	}
	if got, want := list[0].Values["url"], w.vendors.Jamf.URL; got != want {
		t.Errorf("stored address %q, want it tidied to %q", got, want)
	}

	admin := newBrowser(t)
	signIn(t, admin, w.lh, w.seed)
	admin.do(t, chromedp.Navigate(w.lh.URL+"/admin/accounts"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="account-row"][data-id="`+account["id"]+`"]`)))
	if got := text(t, admin, `[data-testid="account-identity"]`); got != w.vendors.Jamf.URL {
		t.Errorf("admin list names the account's server %q, want %q", got, w.vendors.Jamf.URL)
	}
	screenshot(t, admin, "admin-accounts")
	admin.do(t, chromedp.Click(chromedp.CSS(`[data-testid="account-owner"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="account-metadata"]`)))
	if meta := text(t, admin, `[data-testid="account-metadata"]`); !strings.Contains(meta, w.vendors.Jamf.Version) {
		t.Errorf("got metadata %q, want the Jamf Pro version", meta)
	}
	screenshot(t, admin, "admin-account")
	if strings.Contains(w.lh.Log.String(), w.vendors.Jamf.ClientSecret) {
		t.Error("the client secret reached the log")
	}
}

// TestJourney_WrongSecret is journey 4: the failure names the sign-in stage
// and the fix, keeps what the user typed except the secret, stores nothing
// and tells the host page.
func TestJourney_WrongSecret(t *testing.T) {
	w := newHubWorld(t)
	w.demo.openHub(t, w.b)
	w.fillJamf(t, "not-the-secret")
	in := w.b.hub(t, `[data-testid="connect"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))

	in = w.b.hub(t, `[data-testid="it-details"] summary`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="it-details"] summary`), in))
	if got := w.b.hubText(t, `[data-testid="failed-stage"]`); got != "Sign-in with the client credentials" {
		t.Errorf("got failed stage %q, want the sign-in", got)
	}
	if hint := w.b.hubText(t, `[data-testid="failed-hint"]`); !strings.Contains(hint, "refused the client ID or client secret") {
		t.Errorf("got hint %q, want the fix", hint)
	}
	in = w.b.hub(t, `#f-url`)
	for sel, want := range map[string]string{"#f-url": untidyJamfURL(w.vendors), "#f-client_id": w.vendors.Jamf.ClientID, "#f-client_secret": ""} {
		if got, err := chromedp.Run(w.b.Ctx, chromedp.Value(chromedp.CSS(sel), in)); err != nil || got != want {
			t.Errorf("%s: got %q (%v), want %q", sel, got, err, want)
		}
	}
	event := hostEvent(t, w.b, "error")
	if event["code"] != linkhub.ReasonBadCredentials {
		t.Errorf("host page got %v, want code %s", event, linkhub.ReasonBadCredentials)
	}
	screenshot(t, w.b, "hub-failure")
	w.b.recheck(t) // the streamed answer replaced the page in place
	if list := w.accounts(t); len(list) != 0 {
		t.Errorf("got %d accounts, want none stored", len(list))
	}
	if strings.Contains(w.lh.Log.String(), "not-the-secret") || strings.Contains(w.lh.Log.String(), "cross-origin request refused") {
		t.Errorf("want no secret and no refused post in the log:\n%s", w.lh.Log)
	}
}

// TestJourney_SophosTenant is journey 5: the profile holds a Sophos partner
// credential; the user only picks one of its tenants, and the account is
// linked to that tenant.
func TestJourney_SophosTenant(t *testing.T) {
	w := newHubWorld(t)
	w.demo.openHub(t, w.b)
	in := w.b.hub(t, `[data-testid="profile-`+w.sophos.ID+`"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="profile-`+w.sophos.ID+`"]`), in))
	in = w.b.hub(t, `[data-testid="connect"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="connect"]`), in))

	globex := w.vendors.Sophos.Tenants[1]
	choices := w.b.hubText(t, `[data-testid="choices"]`)
	if !strings.Contains(choices, "Acme GmbH") || !strings.Contains(choices, globex.Name) || !strings.Contains(choices, "link at partner level") {
		t.Errorf("got choices %q, want the partner's tenants and partner level", choices)
	}
	screenshot(t, w.b, "hub-tenant-picker")
	in = w.b.hub(t, `[data-testid="choices"]`)
	w.b.do(t, chromedp.Click(chromedp.CSS(`input[value="`+globex.ID+`"]`), in),
		chromedp.Click(chromedp.CSS(`[data-testid="choose"]`), in))
	if summary := w.b.hubText(t, `[data-testid="summary"]`); !strings.Contains(summary, globex.Name) {
		t.Errorf("got summary %q, want the chosen tenant", summary)
	}
	account := hostEvent(t, w.b, "success")
	list := w.accounts(t)
	if len(list) != 1 || list[0].ID != account["id"] || list[0].Metadata["tenant_id"] != globex.ID {
		t.Fatalf("got accounts %+v, want one linked to tenant %s", list, globex.ID)
	}
}
