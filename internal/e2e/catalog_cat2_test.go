package e2e

import (
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkHuntress links a Huntress account by its API key and
// secret, the fixed API host pointed at the fake.
func TestJourney_LinkHuntress(t *testing.T) {
	f := fake.NewHuntress(t)
	a := catalogLink{connector: "huntress", name: "huntress (e2e)", servers: []*fake.Server{f.Server},
		env:     []string{"LINKHUB_CONNECTOR_HUNTRESS_HOSTS=api=" + f.URL},
		actions: []string{"list_agents"},
		fields:  [][2]string{{"api_key", f.ClientID}, {"api_secret", f.ClientSecret}}}.run(t).account
	if a.Metadata["huntress_account"] != f.Name {
		t.Errorf("got metadata %v, want huntress_account=%s", a.Metadata, f.Name)
	}
}

// TestJourney_LinkTenable links Tenable Vulnerability Management by its two
// keys on the default platform, pointed at the fake.
func TestJourney_LinkTenable(t *testing.T) {
	f := fake.NewTenable(t)
	a := catalogLink{connector: "tenable", name: "tenable (e2e)", servers: []*fake.Server{f.Server},
		env:     []string{"LINKHUB_CONNECTOR_TENABLE_HOSTS=api.cloud=" + f.URL},
		actions: []string{"list_assets", "list_users"},
		fields:  [][2]string{{"access_key", f.ClientID}, {"secret_key", f.ClientSecret}}}.run(t).account
	if a.Metadata["tenable_container"] != f.Container {
		t.Errorf("got metadata %v, want tenable_container=%s", a.Metadata, f.Container)
	}
}

// TestJourney_LinkRapid7 links the Rapid7 Insight platform by its API key in
// the one region this deployment points at the fake, with an InsightVM
// search probed by a POST.
func TestJourney_LinkRapid7(t *testing.T) {
	f := fake.NewRapid7(t)
	a := catalogLink{connector: "rapid7", name: "rapid7 (e2e)", servers: []*fake.Server{f.Server},
		env:     []string{"LINKHUB_CONNECTOR_RAPID7_HOSTS=api.us2=" + f.URL},
		actions: []string{"search_assets", "list_investigations"},
		fields:  [][2]string{{"region", "us2"}, {"api_key", f.ClientSecret}}}.run(t).account
	if a.Metadata["rapid7_region"] != "us2" {
		t.Errorf("got metadata %v, want rapid7_region=us2", a.Metadata)
	}
}
