package e2e

import (
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkSentinelOne links a SentinelOne console typed as people
// paste it (no scheme, a page's path): the console address and the site
// count are stored.
func TestJourney_LinkSentinelOne(t *testing.T) {
	f := fake.NewSentinelOne(t)
	acc := catalogLink{servers: []*fake.Server{f.Server}, connector: "sentinelone", name: "SentinelOne",
		actions: []string{"list_agents", "list_threats"},
		fields:  [][2]string{{"console_url", f.Host() + "/dashboard"}, {"api_token", f.ClientSecret}},
	}.run(t).account
	if acc.Values["console_url"] != f.URL || acc.Metadata["sentinelone_sites"] != "1" || acc.Metadata["sentinelone_site"] != f.Site {
		t.Errorf("got values %v and metadata %v, want the console %s and its one site", acc.Values, acc.Metadata, f.URL)
	}
	if len(f.Sightings("ApiToken "+f.ClientSecret)) < 3 {
		t.Errorf("the fake saw the token in fewer than 3 requests (sites and two probes)")
	}
}

// TestJourney_LinkKandji links a Kandji tenant by the API URL its token
// page shows: the URL, tidied, and the region are stored.
func TestJourney_LinkKandji(t *testing.T) {
	f := fake.NewKandji(t)
	acc := catalogLink{servers: []*fake.Server{f.Server}, connector: "kandji", name: "Kandji",
		actions: []string{"list_devices", "prism_apps"},
		fields:  [][2]string{{"api_url", f.Host() + "/"}, {"api_token", f.ClientSecret}},
	}.run(t).account
	if acc.Values["api_url"] != f.URL || acc.Metadata["kandji_region"] != "us" {
		t.Errorf("got values %v and metadata %v, want the API URL %s and the region us", acc.Values, acc.Metadata, f.URL)
	}
	if len(f.Sightings("Bearer "+f.ClientSecret)) < 3 {
		t.Errorf("the fake saw the token in fewer than 3 requests (devices and two probes)")
	}
}

// TestJourney_LinkAutomox links an Automox organization chosen by its ID,
// the fixed console host pointed at the fake as an operator would for
// staging: the organization found is stored.
func TestJourney_LinkAutomox(t *testing.T) {
	f := fake.NewAutomox(t)
	acc := catalogLink{servers: []*fake.Server{f.Server}, connector: "automox", name: "Automox",
		env:     []string{"LINKHUB_CONNECTOR_AUTOMOX_HOSTS=api=" + f.URL},
		actions: []string{"list_devices", "list_policies"},
		fields:  [][2]string{{"api_key", f.ClientSecret}, {"org_id", "5678"}},
	}.run(t).account
	if acc.Values["org_id"] != "5678" || acc.Metadata["automox_org"] != "Acme Lab" || acc.Metadata["automox_org_id"] != "5678" {
		t.Errorf("got values %v and metadata %v, want organization 5678 Acme Lab", acc.Values, acc.Metadata)
	}
	if len(f.Sightings("o=5678&limit=1")) < 2 {
		t.Errorf("the fake saw fewer than 2 probes of organization 5678")
	}
}
