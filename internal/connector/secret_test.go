package connector_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestSecretOnlyToItsTokenEndpoint links one account of every vendor (all
// actions enabled, then a token fetch) and checks, from what every fake
// recorded, that each client secret reached only its own vendor's token
// endpoints and nothing else: no API path, no other vendor.
func TestSecretOnlyToItsTokenEndpoint(t *testing.T) {
	sophos, jamf := fake.NewSophos(t), fake.NewJamf(t)
	ninjaApp, ninjaEU := fake.NewNinjaOne(t), fake.NewNinjaOne(t)
	type vendorFake struct {
		vendor string
		srv    *fake.Server
	}
	fakes := []vendorFake{{"sophos", sophos.Server}, {"jamf", jamf.Server}, {"ninjaone", ninjaApp.Server}, {"ninjaone", ninjaEU.Server}}

	cfg := fake.Config(2*time.Second, sophos.Server.Server, jamf.Server.Server, ninjaApp.Server.Server, ninjaEU.Server.Server)
	cfg.Hosts = connector.Hosts{Definitions: map[string]map[string]string{"sophos": {"id": sophos.URL, "api": sophos.URL},
		"ninjaone": {"instance.app": ninjaApp.URL, "instance.eu": ninjaEU.URL}}}
	reg := connector.NewRegistry(cfg)

	link := func(id string, values map[string]string, sec string) {
		t.Helper()
		c, _ := reg.Get(id)
		var actions []string
		for _, a := range c.Spec().Actions {
			actions = append(actions, a.ID)
		}
		creds := linkhub.Credentials{Values: values, Secrets: map[string]secret.Value{"client_secret": secret.New(sec)}}
		r := c.Test(context.Background(), linkhub.TestInput{Credentials: creds, Actions: actions})
		if f, failed := r.Failed(); failed && f.Reason != linkhub.ReasonPermissionMissing {
			t.Fatalf("%s: got failed stage %+v", id, f)
		}
		creds.Values = r.Values
		if _, err := c.Token(context.Background(), creds, r.Metadata); err != nil {
			t.Fatalf("%s: got token error %v", id, err)
		}
	}
	link("sophos", map[string]string{"client_id": sophos.ClientID}, sophos.ClientSecret)
	link("jamf", map[string]string{"url": jamf.URL, "client_id": jamf.ClientID}, jamf.ClientSecret)
	link("ninjaone", map[string]string{"region": "auto", "client_id": ninjaEU.ClientID}, ninjaEU.ClientSecret)

	for _, owner := range fakes {
		seenAtHome := false
		for _, f := range fakes {
			for _, req := range f.srv.Sightings(owner.srv.ClientSecret) {
				if f.vendor != owner.vendor || !slices.Contains(f.srv.TokenPaths, req.Path) {
					t.Errorf("got %s's secret at %s%s, want it only at %s token endpoints", owner.vendor, req.Host, req.Path, owner.vendor)
				}
				seenAtHome = seenAtHome || f.srv == owner.srv
			}
		}
		if owner.srv != ninjaApp.Server && !seenAtHome {
			t.Errorf("got %s's secret never sent to its own fake; the test would prove nothing", owner.vendor)
		}
	}
	if len(ninjaApp.Sightings(ninjaEU.ClientSecret)) == 0 {
		t.Error("got no auto-region attempt at the app region; want the secret tried there first")
	}
}
