package e2e

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// setupURL waits for the one-time setup link in the server's log.
func setupURL(t *testing.T, lh *Linkhub) string {
	t.Helper()
	re := regexp.MustCompile(`\{[^\n]*/admin/setup\?token=[^\n]*\}`)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if line := re.FindString(lh.Log.String()); line != "" {
			var rec struct{ URL string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			return rec.URL
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no setup link in the log:\n%s", lh.Log)
	return ""
}

// signIn creates an admin and signs in as them through the login form.
func signIn(t *testing.T, b *Browser, lh *Linkhub, seed *Seed) {
	t.Helper()
	const email, pw = "ops@example.com", "correct horse battery staple"
	seed.Admin(email, pw)
	b.do(t, chromedp.Navigate(lh.URL+"/admin/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-email"]`)))
}

// TestJourney_FirstRun is journey 1: open the setup link, create the first
// admin, sign out, sign in again; the link then never works again.
func TestJourney_FirstRun(t *testing.T) {
	lh := startLinkhub(t)
	b := newBrowser(t)
	link := setupURL(t, lh)
	const email, password = "ops@example.com", "correct horse battery staple"

	b.do(t,
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="setup-form"]`)),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.SendKeys(chromedp.CSS("#confirm"), password),
	)
	screenshot(t, b, "admin-setup")
	b.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid="setup-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-email"]`)),
	)
	if got := text(t, b, `[data-testid="admin-email"]`); got != email {
		t.Errorf("signed in as %q, want %q", got, email)
	}

	// Sign out, then sign in with the new password.
	b.do(t,
		chromedp.Click(chromedp.CSS(`[data-testid="logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="admin-email"]`)),
	)
	screenshot(t, b, "admin-api-keys")

	// The setup link is spent for good: its page is a 404.
	b.ExpectConsoleError("/admin/setup?token=")
	b.do(t, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error"]`)))
	if strings.Contains(lh.Log.String(), password) {
		t.Error("the password reached the server log")
	}
}

// createProfile fills the new-profile form of a connector in the admin
// console: its name, shared fields (field id -> value) and actions.
func createProfile(t *testing.T, b *Browser, lh *Linkhub, connector, name string, shared map[string]string, actions ...string) {
	t.Helper()
	b.do(t, chromedp.Navigate(lh.URL+"/admin/profiles/new"),
		chromedp.Click(chromedp.CSS(`[data-testid="pick-`+connector+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="profile-form"]`)),
		chromedp.Clear(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), name))
	for id, v := range shared {
		b.do(t, chromedp.SendKeys(chromedp.CSS("#field-"+id), v))
	}
	// Tick exactly the wanted actions, by clicking the boxes that differ.
	boxes, err := chromedp.Run(b.Ctx, chromedp.Evaluate[map[string]bool](
		`Object.fromEntries([...document.querySelectorAll('input[name="actions"]')].map(e => [e.value, e.checked]))`))
	if err != nil {
		t.Fatal(err)
	}
	for id, checked := range boxes {
		if checked != slices.Contains(actions, id) {
			b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="action-`+id+`"]`)))
		}
	}
	if connector == "sophos" {
		screenshot(t, b, "admin-profile-form")
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="save-profile"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
	if got := text(t, b, `[data-testid="flash"]`); !strings.Contains(got, "Created the profile") {
		t.Fatalf("create %s profile: got %q", connector, got)
	}
}

// TestJourney_AdminSetsUp is journey 2: the admin creates a Jamf Pro, a
// Sophos Central (with the credential filled in at profile level, and
// tested) and a NinjaOne profile with their actions, and allows an embed
// origin, all in the admin console.
func TestJourney_AdminSetsUp(t *testing.T) {
	v := startVendors(t)
	lh := startLinkhub(t, v.Env()...)
	seed := newSeed(t, lh)
	b := newBrowser(t)
	signIn(t, b, lh, seed)

	createProfile(t, b, lh, "jamf", "Jamf Pro", nil, "list_computers", "list_departments")
	createProfile(t, b, lh, "sophos", "Sophos Central",
		map[string]string{"client_id": v.Sophos.ClientID, "client_secret": v.Sophos.ClientSecret},
		"list_endpoints")
	b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="test-profile"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="test-result"]`)))
	if got := text(t, b, `[data-testid="test-result"]`); !strings.Contains(got, "The credentials work.") {
		t.Errorf("profile test: got %q, want the shared credential to work", got)
	}
	createProfile(t, b, lh, "ninjaone", "NinjaOne", nil, "list_organizations", "list_devices")

	const origin = "https://app.example.com"
	b.do(t, chromedp.Navigate(lh.URL+"/admin/settings"),
		chromedp.SendKeys(chromedp.CSS("#embed_origins"), origin),
		chromedp.Click(chromedp.CSS(`[data-testid="save-settings"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
	if got, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.CSS("#embed_origins"))); err != nil || strings.TrimSpace(got) != origin {
		t.Errorf("embed origins after saving: got %q (%v), want %q", got, err, origin)
	}
	b.do(t, chromedp.Navigate(lh.URL+"/admin/profiles"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="profiles"]`)))
	screenshot(t, b, "admin-profiles")

	// What the admin did is what Linkhub stores.
	ctx := context.Background()
	list, err := seed.Profiles.FindProfiles(ctx, linkhub.ProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*linkhub.Profile{}
	for _, p := range list {
		got[p.ConnectorID] = p
	}
	for id, want := range map[string][]string{"jamf": {"list_computers", "list_departments"},
		"sophos": {"list_endpoints"}, "ninjaone": {"list_organizations", "list_devices"}} {
		p := got[id]
		if p == nil || !p.Enabled {
			t.Errorf("%s: got %+v, want an enabled profile", id, p)
			continue
		}
		if !slices.Equal(slices.Sorted(slices.Values(p.Actions)), slices.Sorted(slices.Values(want))) {
			t.Errorf("%s: got actions %v, want %v", id, p.Actions, want)
		}
	}
	if p := got["sophos"]; p != nil {
		secrets, err := seed.Profiles.FindProfileSecrets(ctx, p.ID)
		if err != nil || p.Values["client_id"] != v.Sophos.ClientID || secrets["client_secret"].Reveal() != v.Sophos.ClientSecret {
			t.Errorf("sophos: got values %v (%v), want the shared credential stored", p.Values, err)
		}
	}
	if strings.Contains(lh.Log.String(), v.Sophos.ClientSecret) {
		t.Error("the Sophos secret reached the log")
	}
}

// TestAdmin_EveryScreen walks the admin console's screens the journeys do not
// reach, each with rows to show (a profile, an account, an API key, a webhook
// endpoint with a delivery, audit entries): the visit helpers check each
// with axe at the desktop width and 375 px, and for sideways scrolling at
// 320 px.
func TestAdmin_EveryScreen(t *testing.T) {
	lh := startLinkhub(t)
	seed := newSeed(t, lh)
	p := seed.JamfProfile()
	a := &linkhub.Account{ProfileID: p.ID, ConnectorID: "jamf", OriginOwnerID: "c-42", OriginOwnerName: "Initech",
		Values: map[string]string{"url": "https://initech.jamfcloud.com", "client_id": "client-1"}}
	if err := seed.Accounts.CreateAccount(context.Background(), a, nil); err != nil {
		t.Fatal(err)
	}
	hook := seed.Webhook("https://hooks.example.com/linkhub")
	b := newBrowser(t)
	signIn(t, b, lh, seed)
	b.do(t, chromedp.Navigate(lh.URL+"/admin/api-keys"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Billing backend"),
		chromedp.Submit(chromedp.CSS("#name")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-key"]`)))
	for _, path := range []string{"/admin", "/admin/audit", "/admin/admins", "/admin/webhooks", "/admin/webhooks/" + hook,
		"/admin/profiles/" + p.ID + "/delete", "/admin/accounts/" + a.ID + "/delete"} {
		b.do(t, chromedp.Navigate(lh.URL+path), chromedp.WaitVisible(chromedp.CSS("main")))
	}
	b.do(t, chromedp.Navigate(lh.URL+"/admin/api-keys"), chromedp.Click(chromedp.CSS(`a[href$="/revoke"]`)),
		chromedp.WaitVisible(chromedp.CSS("main form")))
}
