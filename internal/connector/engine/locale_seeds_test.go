package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// The seed vendors' locale tests, from when they were Go packages: their
// definitions' translations blocks carry the same texts by the same ids.

// TestJamf_Locale: a test run in German words the sign-in's refusal (a
// wrong secret), kit's timeout hint, Jamf Pro's own hints, its stage
// messages and its action names in German; the pseudo-locale gets the
// English made pseudo; the spec carries the translations.
func TestJamf_Locale(t *testing.T) {
	de := linkhub.WithLocale(context.Background(), "de")
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustJamf(t)
		s := jamfMustFail(t, c.Test(de, jamfInput(f.URL, f.ClientID, "nope")), linkhub.StageToken, linkhub.ReasonBadCredentials)
		if want := "Jamf Pro hat die Client-ID oder den geheimen Clientschlüssel abgelehnt."; !strings.HasPrefix(s.Hint, want) {
			t.Fatalf("got %q, want it to start %q", s.Hint, want)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		f := fake.NewJamf(t)
		f.SetSlow(-1)
		c := jamfNew(t, fake.Config(200*time.Millisecond, f.Server.Server))
		s := jamfMustFail(t, c.Test(de, jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonTimeout)
		if !strings.Contains(s.Hint, "hat nicht innerhalb von 200ms geantwortet") {
			t.Fatalf("got %q, want the German timeout hint", s.Hint)
		}
	})
	t.Run("OlderThan1049", func(t *testing.T) {
		c, f := MustJamf(t)
		f.NoOAuth = true
		s := jamfMustFail(t, c.Test(de, jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonVendorTooOld)
		if want := c.Spec().Text["de"].Hints["jamf_too_old"]; want == "" || s.Hint != want {
			t.Fatalf("got %q, want %q", s.Hint, want)
		}
		s = jamfMustFail(t, c.Test(linkhub.WithLocale(context.Background(), linkhub.PseudoLocale), jamfGoodInput(f)), linkhub.StageToken, linkhub.ReasonVendorTooOld)
		if want := pseudo.Text(builtin(t, "jamf").Auth.Token.NotFound.Rules[0].Hint); s.Hint != want {
			t.Fatalf("en-XA: got %q, want %q", s.Hint, want)
		}
	})
	t.Run("StagesAndActions", func(t *testing.T) {
		c, f := MustJamf(t)
		f.Privileges = []string{"Read Departments"}
		r := c.Test(de, jamfGoodInput(f, "list_computers", "list_departments"))
		if s := jamfStage(t, r, linkhub.StageValidate); s.Hint != "Alle Felder sehen korrekt aus." {
			t.Fatalf("validate: got %q", s.Hint)
		}
		if s := jamfStage(t, r, linkhub.StageToken); s.Hint != "Der API-Client hat sich angemeldet und ein Zugriffstoken erhalten." {
			t.Fatalf("token: got %q", s.Hint)
		}
		// The engine words a missing permission as every definition's
		// (the Go package used kit's probe wording): the German action name
		// with the permission it needs, in a German sentence.
		s := jamfMustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing)
		if !strings.Contains(s.Hint, "Computer auflisten (erfordert Read Computers)") || !strings.HasPrefix(s.Hint, "Diese Aktionen dürfen") {
			t.Fatalf("permissions: got %q, want the German hint with the German action name", s.Hint)
		}
		if strings.Contains(s.Hint, "List computers") {
			t.Fatalf("permissions: got %q, with the English action name", s.Hint)
		}
	})
	t.Run("Address", func(t *testing.T) {
		c, _ := MustJamf(t)
		r := c.Test(linkhub.WithLocale(context.Background(), "fr"), jamfInput("jamf", "id", "secret"))
		want := "Saisissez le nom complet du serveur, par exemple jamf.jamfcloud.com."
		if got := r.FieldErrors["url"]; got != want {
			t.Fatalf("got %q, want the definition's own url message in French with the name typed", got)
		}
		// The hub's check before any test words it the same.
		in := jamfInput("jamf", "id", "secret").Credentials
		if got := c.CheckInput(linkhub.WithLocale(context.Background(), "fr"), in)["url"]; got != want {
			t.Fatalf("CheckInput: got %q, want %q", got, want)
		}
		// A generic address word is kit's, in the user's language too.
		if got := c.CheckInput(linkhub.WithLocale(context.Background(), "de"), jamfInput("jamf.example.com:", "id", "secret").Credentials)["url"]; got != "Nach dem Doppelpunkt fehlt der Port." {
			t.Fatalf("CheckInput: got %q, want kit's German text", got)
		}
	})
	if g := jamfNew(t, fake.Config(time.Second)).Spec().Localized("ja").UserGuide.Title; g != "Jamf Pro を連携する" {
		t.Errorf("Localized(ja): got guide title %q", g)
	}
}

// TestSophos_Locale: a partner's test run in German offers the partner
// level and reports the tenants in German, whole sentences per level.
func TestSophos_Locale(t *testing.T) {
	c, f := MustSophos(t)
	f.AsPartner()
	r := c.Test(linkhub.WithLocale(context.Background(), "de"), sophosInput(f.ClientID, f.ClientSecret, "list_tenants"))
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	if lv := r.Choices[len(r.Choices)-1]; lv.Name != "Alle Mandanten: auf Partnerebene verknüpfen" || lv.ID != "partner" {
		t.Fatalf("got partner choice %+v, want its German name", lv)
	}
	want := fmt.Sprintf("Partner-Zugangsdaten mit %d Mandanten: Wählen Sie einen aus, oder verknüpfen Sie auf Partnerebene.", len(f.Tenants))
	if s := stage(r, linkhub.StageVerify); s.Hint != want {
		t.Fatalf("verify: got %q, want %q", s.Hint, want)
	}
}

// TestSophos_LocaleUnfit: why a tenant credential cannot list tenants
// reaches the user in their language; the admin's hint stays English.
func TestSophos_LocaleUnfit(t *testing.T) {
	c, f := MustSophos(t)
	r := c.Test(linkhub.WithLocale(context.Background(), "fr"), sophosInput(f.ClientID, f.ClientSecret, "list_tenants"))
	s := stage(r, linkhub.StagePermissions)
	if s.Name != linkhub.StagePermissions {
		t.Fatal("no permissions stage")
	}
	if !strings.HasPrefix(s.Hint, "Lister les tenants nécessite des identifiants de partenaire") || !strings.Contains(s.Hint, "demandez à la personne qui vous a envoyé ce lien") {
		t.Fatalf("got %q, want why and whom to ask, in French", s.Hint)
	}
	if !strings.Contains(s.AdminHint, "List tenants") {
		t.Fatalf("admin hint: got %q, want English", s.AdminHint)
	}
}

// TestNinjaOne_Locale: a test run in Japanese words NinjaOne's own stage
// messages in Japanese; a deployment offering only some regions still
// gets their translated labels.
func TestNinjaOne_Locale(t *testing.T) {
	c, _, eu := MustNinjaOne(t)
	r := c.Test(linkhub.WithLocale(context.Background(), "ja"), ninjaInput("eu", eu.ClientID, eu.ClientSecret))
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	if s := stage(r, linkhub.StageToken); s.Hint != "eu リージョンにサインインしました。" {
		t.Errorf("token: got %q", s.Hint)
	}
	if s := stage(r, linkhub.StageVerify); s.Hint != "表示できる組織は 2 件です。" {
		t.Errorf("verify: got %q", s.Hint)
	}
	spec := c.Spec().Localized("de")
	for _, f := range spec.Fields {
		if f.ID == "region" && (len(f.Options) != 3 || f.Options[2].Label != "Europa (eu.ninjarmm.com)") {
			t.Errorf("region options: got %+v, want auto, app and eu in German", f.Options)
		}
	}
}
