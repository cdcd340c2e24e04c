package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestLocale_Meraki runs one translated definition against its fake in
// several languages: every kind of text a definition translates reaches
// the report (a rule's hint with its {field} filled, both branches of a
// hint_expr, a check's message, the passed expression, a pattern message
// and an action's name), word for word as the translations block has it.
func TestLocale_Meraki(t *testing.T) {
	in := func(tag string) context.Context { return linkhub.WithLocale(context.Background(), tag) }
	t.Run("PassedDE", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.Orgs = append(f.Orgs, [2]string{"1234567", "Acme Branches"})
		r := c.Test(in("de"), merakiInput("global", f.ClientSecret, ""))
		want := "Mit der Meraki-Organisation DevNet Sandbox verknüpft (2 für den Schlüssel sichtbar)."
		if s := stage(r, linkhub.StageVerify); s.Status != linkhub.StatusPassed || s.Hint != want {
			t.Fatalf("got %s %q, want passed with %q", s.Status, s.Hint, want)
		}
	})
	// Verify-stage failures, each in another language.
	for name, tc := range map[string]struct {
		tag, org, reason, hint string
		mode                   func(*fake.Meraki)
	}{
		"RedirectToRegionFR": {tag: "fr", mode: func(f *fake.Meraki) { f.RedirectTo = "https://api.meraki.ca" }, reason: linkhub.ReasonUnexpectedResponse,
			hint: "Meraki a envoyé l'appel vers sa région Canada : choisissez Canada comme région du tableau de bord."},
		"RedirectToShardES": {tag: "es", mode: func(f *fake.Meraki) { f.RedirectTo = "https://n149.meraki.com" }, reason: linkhub.ReasonUnexpectedResponse,
			hint: "Linkhub solo envía la clave al host de API de la región."},
		"RateLimitedJA": {tag: "ja", mode: func(f *fake.Meraki) { f.RateLimited = true }, reason: linkhub.ReasonVendorUnavailable,
			hint: "2 秒後にもう一度お試しください。"},
		"APIAccessOffIT": {tag: "it", mode: func(f *fake.Meraki) { f.APIDisabled["549236"] = true }, reason: linkhub.ReasonPermissionMissing,
			hint: "Meraki ha rifiutato l'organizzazione 549236. Attiva l'accesso API"},
		"UnknownOrganizationNL": {tag: "nl", org: "999", reason: linkhub.ReasonPermissionMissing,
			hint: "Meraki heeft de sleutel geaccepteerd, maar de beheerder ervan ziet de ingevulde organisatie niet"},
	} {
		t.Run(name, func(t *testing.T) {
			c, f, _ := MustMeraki(t, 5*time.Second)
			if tc.mode != nil {
				tc.mode(f)
			}
			r := c.Test(in(tc.tag), merakiInput("global", f.ClientSecret, tc.org))
			mustFail(t, r, linkhub.StageVerify, tc.reason, tc.hint, f.ClientSecret)
		})
	}
	t.Run("MissingPermissionPTBR", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		f.NetworkOnly = true
		r := c.Test(in("pt-BR"), merakiInput("global", f.ClientSecret, "", "list_devices"))
		mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Listar dispositivos", f.ClientSecret)
		mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing,
			"O administrador da chave precisa de acesso somente leitura à organização inteira", f.ClientSecret)
	})
	t.Run("PatternMessageDE", func(t *testing.T) {
		c, f, _ := MustMeraki(t, 5*time.Second)
		r := c.Test(in("de"), merakiInput("global", "Bearer 6bec40cf", ""))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "")
		want := "Ein Meraki-API-Schlüssel besteht aus 40 Buchstaben a-f und Ziffern, etwa 6bec40cf957de430a6f1f2baf056b99a4fac9ea0. Kopieren Sie ihn erneut, ohne Leerzeichen."
		if got := r.FieldErrors["api_key"]; got != want || len(f.Requests()) != 0 {
			t.Fatalf("got field error %q after %d requests, want %q and no call", got, len(f.Requests()), want)
		}
	})
}
