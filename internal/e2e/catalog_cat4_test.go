package e2e

import (
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkCrowdStrike links a CrowdStrike Falcon API client whose
// user does not know its cloud: every cloud is pointed at the fake, the
// token answer's X-CS-Region names the home cloud, and the cloud found and
// the host count are stored.
func TestJourney_LinkCrowdStrike(t *testing.T) {
	f := fake.NewCrowdStrike(t)
	var servers []*fake.Server
	var hosts []string
	for r, s := range f.Regions {
		servers = append(servers, s)
		hosts = append(hosts, "api."+r+"="+s.URL)
	}
	a := catalogLink{connector: "crowdstrike", name: "CrowdStrike Falcon", servers: servers,
		env:     []string{"LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS=" + strings.Join(hosts, ",")},
		actions: []string{"list_hosts", "list_alerts"},
		fields:  [][2]string{{"cloud", "auto"}, {"client_id", f.ClientID}, {"client_secret", f.ClientSecret}},
		summary: "42"}.run(t).account
	if a.Values["cloud"] != "us-2" || a.Metadata["crowdstrike_cloud"] != "us-2" || a.Metadata["host_count"] != "42" {
		t.Errorf("got values %v and metadata %v, want the home cloud us-2 and 42 hosts", a.Values, a.Metadata)
	}
	// The first token comes from the default cloud, which names us-2;
	// everything after goes to us-2.
	if a, b := f.Regions["us-1"].TokenRequests(), f.Regions["us-2"].TokenRequests(); a != 1 || b != 1 {
		t.Errorf("got %d token requests at us-1 and %d at us-2, want one each", a, b)
	}
	hostQueries := 0
	for _, r := range f.Regions["us-2"].Requests() {
		if r.Path == "/devices/queries/devices/v1" {
			hostQueries++
		}
	}
	if hostQueries < 2 {
		t.Errorf("the home cloud saw %d host queries, want the verification and the probe", hostQueries)
	}
}

// TestJourney_LinkOkta links an Okta org by the admin console's address as
// people paste it: the org address, tidied, the token's owner and the rate
// limit Okta reported are stored.
func TestJourney_LinkOkta(t *testing.T) {
	f := fake.NewOkta(t)
	a := catalogLink{connector: "okta", name: "Okta", servers: []*fake.Server{f.Server},
		actions: []string{"list_users", "system_log"},
		fields:  [][2]string{{"okta_domain", f.Host() + "/admin/dashboard"}, {"api_token", f.ClientSecret}},
		summary: f.Login}.run(t).account
	if a.Values["okta_domain"] != f.URL || a.Metadata["okta_user"] != f.Login || a.Metadata["okta_rate_limit"] != "600" {
		t.Errorf("got values %v and metadata %v, want the org %s, its owner %s and the limit 600", a.Values, a.Metadata, f.URL, f.Login)
	}
	if n := len(f.Sightings("SSWS " + f.ClientSecret)); n != 3 {
		t.Errorf("got the SSWS header in %d requests, want 3 (users/me and two probes)", n)
	}
}
