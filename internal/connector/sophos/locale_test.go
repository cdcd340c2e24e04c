package sophos_test

import (
	"context"
	"fmt"
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
