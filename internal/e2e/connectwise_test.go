package e2e

import (
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_LinkConnectWise: the admin creates a ConnectWise PSA profile
// holding the product's own clientId; the user types the site, company and
// keys in the hub (never the clientId) and links; the account is stored
// with the API root companyinfo named.
func TestJourney_LinkConnectWise(t *testing.T) {
	f := fake.NewConnectWise(t)
	l := catalogLink{connector: "connectwise", name: "ConnectWise PSA", servers: []*fake.Server{f.Server},
		shared: map[string]string{"client_id": f.Integration}, actions: []string{"list_companies", "list_tickets"},
		fields: [][2]string{{"site", f.Host()}, {"company_id", f.Company}, {"public_key", f.ClientID}, {"private_key", f.ClientSecret}},
		absent: []string{"client_id"}, summary: "v2025.1.99999"}.run(t)
	if a := l.account; a.Metadata["codebase"] != "v4_6_release/" || a.Values["site"] != f.URL || l.secrets["private_key"].Reveal() != f.ClientSecret {
		t.Fatalf("got account %+v, want a ConnectWise account at the site with its codebase and key", a)
	}
}
