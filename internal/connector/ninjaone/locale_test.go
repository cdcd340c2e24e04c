package ninjaone_test

import (
	"context"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/ninjaone"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestConnector_Locale: a test run in Japanese words NinjaOne's own stage
// messages in Japanese; a deployment offering only some regions still
// gets their translated labels.
func TestConnector_Locale(t *testing.T) {
	c, _, eu := MustNinjaOne(t)
	r := c.Test(linkhub.WithLocale(context.Background(), "ja"), input("eu", eu.ClientID, eu.ClientSecret))
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	for _, s := range r.Stages {
		switch {
		case s.Name == linkhub.StageToken && s.Hint != "eu リージョンにサインインしました。":
			t.Errorf("token: got %q", s.Hint)
		case s.Name == linkhub.StageVerify && s.Hint != "表示できる組織は 2 件です。":
			t.Errorf("verify: got %q", s.Hint)
		}
	}
	spec := c.Spec().Localized("de")
	for _, f := range spec.Fields {
		if f.ID == ninjaone.FieldRegion && (len(f.Options) != 3 || f.Options[2].Label != "Europa (eu.ninjarmm.com)") {
			t.Errorf("region options: got %+v, want auto, app and eu in German", f.Options)
		}
	}
}
