package sophos_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/sophos"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestConnector_Locale: a partner's test run in German offers the partner
// level and reports the tenants in German, whole sentences per level.
func TestConnector_Locale(t *testing.T) {
	c, f := MustSophos(t)
	f.AsPartner()
	r := c.Test(linkhub.WithLocale(context.Background(), "de"), input(f.ClientID, f.ClientSecret, sophos.ActionListTenants))
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	if lv := r.Choices[len(r.Choices)-1]; lv.Name != "Alle Mandanten: auf Partnerebene verknüpfen" || lv.ID != "partner" {
		t.Fatalf("got partner choice %+v, want its German name", lv)
	}
	want := fmt.Sprintf("Partner-Zugangsdaten mit %d Mandanten: Wählen Sie einen aus, oder verknüpfen Sie auf Partnerebene.", len(f.Tenants))
	for _, s := range r.Stages {
		if s.Name == linkhub.StageVerify && s.Hint != want {
			t.Fatalf("verify: got %q, want %q", s.Hint, want)
		}
	}
}

// TestConnector_LocaleUnfit: why a tenant credential cannot list tenants
// reaches the user in their language; the admin's hint stays English.
func TestConnector_LocaleUnfit(t *testing.T) {
	c, f := MustSophos(t)
	r := c.Test(linkhub.WithLocale(context.Background(), "fr"), input(f.ClientID, f.ClientSecret, sophos.ActionListTenants))
	for _, s := range r.Stages {
		if s.Name != linkhub.StagePermissions {
			continue
		}
		if !strings.HasPrefix(s.Hint, "Lister les tenants nécessite des identifiants de partenaire") || !strings.Contains(s.Hint, "demandez à la personne qui vous a envoyé ce lien") {
			t.Fatalf("got %q, want why and whom to ask, in French", s.Hint)
		}
		if !strings.Contains(s.AdminHint, "List tenants") {
			t.Fatalf("admin hint: got %q, want English", s.AdminHint)
		}
		return
	}
	t.Fatal("no permissions stage")
}
