package e2e

import (
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkMeraki: Linkhub's Meraki definition pointed at a fake
// global region by LINKHUB_CONNECTOR_MERAKI_HOSTS; the admin creates a
// Meraki profile with two actions in the console; the user picks the
// region in the hub, pastes the API key and links; the account is stored
// with the organization the test found.
func TestJourney_LinkMeraki(t *testing.T) {
	f := fake.NewMeraki(t)
	l := catalogLink{connector: "meraki", name: "Cisco Meraki", servers: []*fake.Server{f.Server},
		env:     []string{"LINKHUB_CONNECTOR_MERAKI_HOSTS=api.global=" + f.URL},
		actions: []string{"list_devices", "list_networks"},
		fields:  [][2]string{{"region", "global"}, {"api_key", f.ClientSecret}}, summary: "DevNet Sandbox"}.run(t)
	if a := l.account; a.Metadata["meraki_org_id"] != "549236" || l.secrets["api_key"].Reveal() != f.ClientSecret {
		t.Fatalf("got account %+v, want a Meraki account of organization 549236 with the key", a)
	}
}
