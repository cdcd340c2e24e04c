package e2e

import (
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkHaloPSA links a HaloPSA instance, its address typed as
// people paste it, and stores the customers count it found.
func TestJourney_LinkHaloPSA(t *testing.T) {
	f := fake.NewHaloPSA(t)
	a := catalogLink{connector: "halopsa", name: "HaloPSA", servers: []*fake.Server{f.Server},
		fields:  [][2]string{{"halo_url", " " + f.Host() + "/ "}, {"client_id", f.ClientID}, {"client_secret", f.ClientSecret}},
		actions: []string{"list_tickets"}, summary: "838"}.run(t).account
	if a.Values["halo_url"] != f.URL || a.Metadata["client_count"] != "838" {
		t.Errorf("got values %v and metadata %v, want the tidied address and 838 customers", a.Values, a.Metadata)
	}
}

// TestJourney_LinkZoom links a Zoom account through a Server-to-Server
// OAuth app, both Zoom hosts pointed at the fake, and stores the user count.
func TestJourney_LinkZoom(t *testing.T) {
	f := fake.NewZoom(t)
	a := catalogLink{connector: "zoom", name: "Zoom", servers: []*fake.Server{f.OAuth, f.API},
		env:     []string{"LINKHUB_CONNECTOR_ZOOM_HOSTS=oauth=" + f.OAuth.URL + ",api=" + f.API.URL},
		fields:  [][2]string{{"account_id", f.AccountID}, {"client_id", f.OAuth.ClientID}, {"client_secret", f.OAuth.ClientSecret}},
		actions: []string{"list_users"}, summary: "42"}.run(t).account
	if a.Metadata["user_count"] != "42" {
		t.Errorf("got metadata %v, want 42 active users", a.Metadata)
	}
}

// TestJourney_LinkDefender links a Defender for Endpoint tenant by its
// domain, the data location picked, login and API hosts pointed at the fake.
func TestJourney_LinkDefender(t *testing.T) {
	f := fake.NewDefender(t)
	var hosts []string
	for k, v := range f.HostOverrides() {
		hosts = append(hosts, k+"="+v)
	}
	a := catalogLink{connector: "defender", name: "Defender", servers: []*fake.Server{f.Login, f.API},
		env: []string{"LINKHUB_CONNECTOR_DEFENDER_HOSTS=" + strings.Join(hosts, ",")},
		fields: [][2]string{{"tenant_id", f.Domain}, {"client_id", f.Login.ClientID}, {"client_secret", f.Login.ClientSecret},
			{"region", "eu"}},
		actions: []string{"list_machines", "list_alerts"}, summary: "yes"}.run(t).account
	if a.Values["region"] != "eu" || a.Metadata["machines_seen"] != "yes" {
		t.Errorf("got values %v and metadata %v, want the eu location and machines seen", a.Values, a.Metadata)
	}
}
