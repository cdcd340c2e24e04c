package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// TestHub_VendorTextUnstorable: a Jamf Pro whose version carries a NUL
// (\u0000 in its JSON) or whose answer is otherwise unstorable still links:
// the account keeps the version with the character replaced, and the
// attempt says so in a note. It was a 500 ("unsupported Unicode escape
// sequence" from PostgreSQL).
func TestHub_VendorTextUnstorable(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	env.jamf.Version = "11.7.1\x00-t1718024583"
	tok := env.MustToken(t, nil)
	hub := env.MustOpen(t, tok)
	action, _ := env.formOf(t, hub)
	resp, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("got %d %q, want 200 and the success screen", resp.StatusCode, doc.Find("main").Text())
	}
	accounts := env.allAccounts(t)
	if len(accounts) != 1 {
		t.Fatalf("got %d accounts, want 1", len(accounts))
	}
	if got, want := accounts[0].Metadata["jamf_version"], "11.7.1\uFFFD-t1718024583"; got != want {
		t.Errorf("got version %q, want %q", got, want)
	}
	attempts, err := env.attempts.FindAccountAttempts(context.Background(), accounts[0].ID, 1)
	if err != nil || len(attempts) != 1 {
		t.Fatalf("got %d attempts (%v), want 1", len(attempts), err)
	}
	r := attempts[0].Report
	if attempts[0].Status != linkhub.AttemptSucceeded || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "metadata "+"jamf_version") ||
		!strings.Contains(r.Notes[0], "NUL or invalid UTF-8") {
		t.Errorf("got attempt %s with notes %q, want succeeded with a note naming the version", attempts[0].Status, r.Notes)
	}
	for _, s := range r.Stages {
		if !linkhub.ValidText(s.Hint) {
			t.Errorf("stage %s hint %q is not storable text", s.Name, s.Hint)
		}
	}
}
