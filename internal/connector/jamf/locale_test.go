package jamf_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/jamf"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// TestConnector_Locale: a test run in German words kit's hints (a wrong
// secret, a timeout), Jamf Pro's own hints, its stage messages and its
// action names in German (the admin's hint stays English); the pseudo-locale gets the English made pseudo;
// the spec carries the translations.
func TestConnector_Locale(t *testing.T) {
	de := linkhub.WithLocale(context.Background(), "de")
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustJamf(t)
		s := mustFail(t, c.Test(de, input(f.URL, f.ClientID, "nope")), linkhub.StageToken, linkhub.ReasonBadCredentials)
		if want := "Jamf Pro hat die Client-ID oder den geheimen Clientschlüssel abgelehnt."; !strings.HasPrefix(s.Hint, want) {
			t.Fatalf("got %q, want it to start %q", s.Hint, want)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		f := fake.NewJamf(t)
		f.SetSlow(-1)
		c := jamf.New(fake.Config(200*time.Millisecond, f.Server.Server))
		s := mustFail(t, c.Test(de, goodInput(f)), linkhub.StageToken, linkhub.ReasonTimeout)
		if !strings.Contains(s.Hint, "hat nicht innerhalb von 200ms geantwortet") {
			t.Fatalf("got %q, want the German timeout hint", s.Hint)
		}
	})
	t.Run("OlderThan1049", func(t *testing.T) {
		c, f := MustJamf(t)
		f.NoOAuth = true
		s := mustFail(t, c.Test(de, goodInput(f)), linkhub.StageToken, linkhub.ReasonVendorTooOld)
		if want := c.Spec().Text["de"].Hints["jamf_too_old"]; want == "" || s.Hint != want {
			t.Fatalf("got %q, want %q", s.Hint, want)
		}
		s = mustFail(t, c.Test(linkhub.WithLocale(context.Background(), linkhub.PseudoLocale), goodInput(f)), linkhub.StageToken, linkhub.ReasonVendorTooOld)
		if want := pseudo.Text(jamf.Hints()["jamf_too_old"]); s.Hint != want {
			t.Fatalf("en-XA: got %q, want %q", s.Hint, want)
		}
	})
	t.Run("StagesAndActions", func(t *testing.T) {
		c, f := MustJamf(t)
		f.Privileges = []string{"Read Departments"}
		r := c.Test(de, goodInput(f, jamf.ActionListComputers, jamf.ActionListDepartments))
		if s := mustStage(t, r, linkhub.StageValidate); s.Hint != "Alle Felder sehen korrekt aus." {
			t.Fatalf("validate: got %q", s.Hint)
		}
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing)
		if !strings.Contains(s.Hint, "Computer auflisten erfordert Read Computers") || !strings.Contains(s.Hint, "Erteilen Sie sie in Jamf Pro") {
			t.Fatalf("permissions: got %q, want the German hint with the German action name", s.Hint)
		}
		if !strings.Contains(s.AdminHint, "List computers") {
			t.Fatalf("admin hint: got %q, want the action's English name: the admin console is English", s.AdminHint)
		}
	})
	if g := jamfSpec(t).Localized("ja").UserGuide.Title; g != "Jamf Pro を連携する" {
		t.Errorf("Localized(ja): got guide title %q", g)
	}
}

func jamfSpec(t *testing.T) linkhub.ConnectorSpec {
	t.Helper()
	c, _ := MustJamf(t)
	return c.Spec()
}
