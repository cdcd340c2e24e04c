package e2e

import (
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// hostsEnv returns LINKHUB_CONNECTOR_<ID>_HOSTS pointing a definition's
// hosts where overrides say.
func hostsEnv(id string, overrides map[string]string) string {
	var hosts []string
	for k, v := range overrides {
		hosts = append(hosts, k+"="+v)
	}
	return "LINKHUB_CONNECTOR_" + strings.ToUpper(id) + "_HOSTS=" + strings.Join(hosts, ",")
}

// TestJourney_LinkMSGraph links a Microsoft Graph tenant of the US
// Government DoD cloud, picked on the form among the two clouds this
// Linkhub has, and stores the user count it found.
func TestJourney_LinkMSGraph(t *testing.T) {
	f := fake.NewGraph(t, "usgov-dod", "global")
	var servers []*fake.Server
	for cloud, s := range f.Logins {
		servers = append(servers, s, f.APIs[cloud])
	}
	a := catalogLink{connector: "msgraph", name: "Microsoft Graph", servers: servers,
		env: []string{hostsEnv("msgraph", f.HostOverrides())},
		fields: [][2]string{{"tenant_id", f.Domain}, {"client_id", f.Login().ClientID}, {"client_secret", f.Login().ClientSecret},
			{"cloud", "usgov-dod"}},
		actions: []string{"list_users", "list_managed_devices"}, summary: "42"}.run(t).account
	if a.Values["cloud"] != "usgov-dod" || a.Metadata["user_count"] != "42" {
		t.Errorf("got values %v and metadata %v, want the DoD cloud and 42 users", a.Values, a.Metadata)
	}
	if n := f.Logins["global"].TokenRequests(); n != 0 {
		t.Errorf("got %d token requests in the global cloud, want none", n)
	}
}

// TestJourney_LinkDattoRMM links a Datto RMM account on its platform with
// an API key pair and stores the account's name and device count.
func TestJourney_LinkDattoRMM(t *testing.T) {
	f := fake.NewDatto(t, "concord", "merlot")
	var servers []*fake.Server
	for _, s := range f.Platforms {
		servers = append(servers, s)
	}
	a := catalogLink{connector: "dattormm", name: "Datto RMM", servers: servers,
		env:     []string{hostsEnv("dattormm", f.HostOverrides())},
		fields:  [][2]string{{"platform", "concord"}, {"api_key", f.Server().ClientID}, {"api_secret", f.Server().ClientSecret}},
		actions: []string{"list_devices", "list_sites"}, summary: "Acme MSP"}.run(t).account
	if a.Values["platform"] != "concord" || a.Metadata["device_count"] != "250" {
		t.Errorf("got values %v and metadata %v, want the concord platform and 250 devices", a.Values, a.Metadata)
	}
}
