package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// relinkLink makes a relink link on the account's page, as the admin does.
func relinkLink(t *testing.T, admin *Browser, lh *Linkhub, accountID string) string {
	t.Helper()
	admin.do(t, chromedp.Navigate(lh.URL+"/admin/accounts/"+accountID),
		chromedp.Click(chromedp.CSS(`[data-testid="relink"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="relink-url"]`)))
	link, err := chromedp.Run(admin.Ctx, chromedp.Value(chromedp.CSS(`[data-testid="relink-url"]`)))
	if err != nil || !strings.HasPrefix(link, lh.URL+"/connect?token=") {
		t.Fatalf("got relink link %q (%v)", link, err)
	}
	return link
}

// relinkWith opens a relink link as the account's user and types a new
// client secret; the address and client ID are already there.
func relinkWith(t *testing.T, user *Browser, link, clientSecret, wantURL string) {
	t.Helper()
	user.do(t, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#f-client_secret`)))
	if got, err := chromedp.Run(user.Ctx, chromedp.Value(chromedp.CSS(`#f-url`))); err != nil || got != wantURL {
		t.Errorf("relink form address: got %q (%v), want the stored %q", got, err, wantURL)
	}
	user.do(t, chromedp.SendKeys(chromedp.CSS(`#f-client_secret`), clientSecret),
		chromedp.Click(chromedp.CSS(`[data-testid="connect"]`)))
}

// TestJourney_Relink is journey 6: the user rotated the secret in Jamf Pro,
// so the stored one no longer works. From a relink link the admin sends, the
// new secret is tested and swapped in; a later relink with a wrong secret
// fails and keeps the working one.
func TestJourney_Relink(t *testing.T) {
	w := newHubWorld(t)
	ctx := context.Background()
	now := time.Now()
	a := &linkhub.Account{ProfileID: w.jamf.ID, ConnectorID: "jamf", OriginOwnerID: "c-42", OriginOwnerName: "Initech",
		Values:       map[string]string{"url": w.vendors.Jamf.URL, "client_id": w.vendors.Jamf.ClientID},
		Metadata:     map[string]string{"jamf_version": "11.6.0"},
		LastTestedAt: &now}
	if err := w.seed.Accounts.CreateAccount(ctx, a,
		map[string]secret.Value{"client_secret": secret.New("rotated-away")}); err != nil {
		t.Fatal(err)
	}
	storedSecret := func() string {
		t.Helper()
		s, err := w.seed.Accounts.FindAccountSecrets(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s["client_secret"].Reveal()
	}

	admin := newBrowser(t)
	signIn(t, admin, w.lh, w.seed)
	relinkWith(t, w.b, relinkLink(t, admin, w.lh, a.ID), w.vendors.Jamf.ClientSecret, w.vendors.Jamf.URL)
	w.b.do(t, chromedp.WaitVisible(chromedp.CSS(`[data-testid="success"]`)))
	w.b.recheck(t) // the streamed answer replaced the page in place
	if got := storedSecret(); got != w.vendors.Jamf.ClientSecret {
		t.Fatalf("after the relink the stored secret is not the new one")
	}
	if got, err := w.seed.Accounts.FindAccountByID(ctx, a.ID); err != nil || got.Metadata["jamf_version"] != w.vendors.Jamf.Version {
		t.Errorf("got account %+v (%v), want the version the new test found", got, err)
	}

	relinkWith(t, w.b, relinkLink(t, admin, w.lh, a.ID), "typo-in-the-secret", w.vendors.Jamf.URL)
	w.b.do(t, chromedp.WaitVisible(chromedp.CSS(`[data-testid="failure"]`)))
	w.b.recheck(t)
	if got := storedSecret(); got != w.vendors.Jamf.ClientSecret {
		t.Fatalf("a failed relink changed the stored secret")
	}
	// The account still works: the admin's re-test passes.
	admin.do(t, chromedp.Navigate(w.lh.URL+"/admin/accounts/"+a.ID),
		chromedp.Click(chromedp.CSS(`[data-testid="retest"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="test-result"]`)))
	if got := text(t, admin, `[data-testid="test-result"]`); !strings.Contains(got, "The stored credentials work.") {
		t.Errorf("re-test after the failed relink: got %q", got)
	}
	if list := w.accounts(t); len(list) != 1 {
		t.Errorf("got %d accounts, want the relinked one only", len(list))
	}
}
