package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// TestLocale_Hints: a test run in the user's language words its hints in
// that language: the definition's translated rule hint for a wrong secret,
// kit's shared text for a timeout, the translated passed expression and
// pattern message, translated action names; the pseudo-locale gets the
// English made pseudo.
func TestLocale_Hints(t *testing.T) {
	de := linkhub.WithLocale(context.Background(), "de")
	xa := linkhub.WithLocale(context.Background(), linkhub.PseudoLocale)
	okta := builtin(t, "okta")
	wrong := "00" + strings.Repeat("x", 40)
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		want := okta.Translations["de"].Hints["okta_invalid_token"]
		s := mustFail(t, c.Test(de, oktaInput(f.URL, wrong)), linkhub.StageVerify, linkhub.ReasonBadCredentials, "Okta hat den API-Token abgelehnt", wrong)
		if s.Hint != want {
			t.Fatalf("got %q, want the German rule hint %q", s.Hint, want)
		}
		s = mustFail(t, c.Test(xa, oktaInput(f.URL, wrong)), linkhub.StageVerify, linkhub.ReasonBadCredentials, "", wrong)
		if want := pseudo.Text(okta.Errors[0].Hint); s.Hint != want {
			t.Fatalf("en-XA: got %q, want %q", s.Hint, want)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		c, f := MustOkta(t, 500*time.Millisecond)
		f.SetSlow(-1)
		s := mustFail(t, c.Test(de, oktaInput(f.URL, f.ClientSecret)), linkhub.StageVerify, linkhub.ReasonTimeout, "hat nicht innerhalb von 500ms geantwortet")
		if !strings.Contains(s.Hint, f.Host()) {
			t.Fatalf("got %q, want the host named", s.Hint)
		}
		s = mustFail(t, c.Test(xa, oktaInput(f.URL, f.ClientSecret)), linkhub.StageVerify, linkhub.ReasonTimeout, f.Host()+" ðíð ñöţ áñšŵéŕ ŵíţĥíñ 500ms")
		if !strings.HasPrefix(s.Hint, "[") {
			t.Fatalf("en-XA: got %q, want the pseudo text", s.Hint)
		}
	})
	t.Run("PassedAndActions", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		r := c.Test(de, oktaInput(f.URL, f.ClientSecret, "list_users"))
		if s := stage(r, linkhub.StageVerify); s.Hint != "Bei Okta angemeldet als "+f.Login+"." {
			t.Fatalf("verify: got %q, want the German passed text", s.Hint)
		}
		if s := stage(r, linkhub.StagePermissions); s.Hint != "Alle 1 aktivierten Aktionen sind erlaubt." {
			t.Fatalf("permissions: got %q", s.Hint)
		}
		f.ReadOnlyAdmin = false
		s := mustFail(t, c.Test(de, oktaInput(f.URL, f.ClientSecret, "list_users")), linkhub.StagePermissions, linkhub.ReasonPermissionMissing,
			"Diese Aktionen dürfen mit den Zugangsdaten nicht ausgeführt werden: Benutzer auflisten (erfordert Read-only administrator). Dem Administrator des Tokens fehlt")
		if strings.Contains(s.Hint, "List users") {
			t.Fatalf("got %q, want the action's German name", s.Hint)
		}
	})
	t.Run("PatternMessage", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		r := c.Test(de, oktaInput(f.URL, "Bearer abc"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "Einige Felder müssen korrigiert werden")
		if got, want := r.FieldErrors["api_token"], okta.Translations["de"].Fields["api_token"].PatternMessage; got != want {
			t.Fatalf("got field error %q, want %q", got, want)
		}
	})
}

// TestLocale_Spec: the connector's spec carries the definition's
// translations, and Localized applies them.
func TestLocale_Spec(t *testing.T) {
	c, _ := MustOkta(t, 5*time.Second)
	ja := c.Spec().Localized("ja")
	if ja.UserGuide.Title != "Okta を連携する" || ja.Fields[1].Label != "API トークン" || ja.Actions[0].Name != "ユーザーの一覧" {
		t.Fatalf("got %q, %q, %q, want the Japanese texts", ja.UserGuide.Title, ja.Fields[1].Label, ja.Actions[0].Name)
	}
}
