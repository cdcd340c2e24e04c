package e2e

import (
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkNinjaOne links a NinjaOne API client whose user does not
// know its region: two regions are pointed at fakes, only the EU one knows
// the client, and "I don't know" finds it there. The region found and the
// organizations visible are stored, and the region that refused the client
// was asked exactly once.
func TestJourney_LinkNinjaOne(t *testing.T) {
	us, eu := fake.NewNinjaOne(t), fake.NewNinjaOne(t)
	eu.Organizations = 3
	a := catalogLink{connector: "ninjaone", name: "NinjaOne", servers: []*fake.Server{us.Server, eu.Server},
		env:     []string{"LINKHUB_CONNECTOR_NINJAONE_HOSTS=instance.app=" + us.URL + ",instance.eu=" + eu.URL},
		actions: []string{"list_organizations", "list_devices"},
		fields:  [][2]string{{"region", "auto"}, {"client_id", eu.ClientID}, {"client_secret", eu.ClientSecret}},
		summary: "3"}.run(t).account
	if a.Values["region"] != "eu" || a.Metadata["ninjaone_region"] != "eu" || a.Metadata["organization_count"] != "3" {
		t.Errorf("got values %v and metadata %v, want the region eu and 3 organizations", a.Values, a.Metadata)
	}
	if n := us.TokenRequests(); n != 1 {
		t.Errorf("the region that does not know the client got %d token requests, want 1", n)
	}
}
