package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// linkSophos links the fake's credential through the hub under a profile
// with both actions enabled, and picks choice: a tenant id, or the id type
// for partner/organization level.
func (a *apiClient) linkSophos(choice string) *linkhub.Account {
	a.t.Helper()
	a.MustProfile(a.t, "sophos", "Sophos", "list_endpoints", "list_tenants")
	action, _ := a.formOf(a.t, a.MustOpen(a.t, a.MustToken(a.t, map[string]any{"connector": "sophos"})))
	resp, doc := a.post(a.t, action, url.Values{"client_id": {a.sophos.ClientID}, "client_secret": {a.sophos.ClientSecret}})
	choices := doc.Find(`[data-testid="choices"]`)
	if resp.StatusCode != http.StatusOK || choices.Length() != 1 {
		a.t.Fatalf("test: got %d without choices: %s", resp.StatusCode, doc.Find(`[data-testid="failure"]`).Text())
	}
	resp, doc = a.post(a.t, choices.AttrOr("action", ""), url.Values{"choice": {choice}})
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		a.t.Fatalf("choose %q: got %d, want the success screen", choice, resp.StatusCode)
	}
	accounts := a.allAccounts(a.t)
	if len(accounts) != 1 {
		a.t.Fatalf("got %d accounts, want 1", len(accounts))
	}
	return accounts[0]
}

// TestAPI_SophosActionsByLevel: the actions of a Sophos partner or
// organization account send the path and header its id type needs (the
// tenant list with X-Partner-ID or X-Organization-ID on the global host,
// endpoints with X-Tenant-ID), whether the user picked a tenant or linked at
// partner or organization level; the level is on the account's metadata.
func TestAPI_SophosActionsByLevel(t *testing.T) {
	for _, tc := range []struct {
		name, idType string
		pickTenant   bool
	}{
		{"PartnerTenant", "partner", true},
		{"PartnerLevel", "partner", false},
		{"OrganizationTenant", "organization", true},
		{"OrganizationLevel", "organization", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPIClient(t)
			if tc.idType == "partner" {
				a.sophos.AsPartner()
			} else {
				a.sophos.AsOrganization()
			}
			choice, level := tc.idType, tc.idType
			if tc.pickTenant {
				choice, level = a.sophos.Tenants[1].ID, "tenant"
			}
			acc := a.linkSophos(choice)

			status, got := a.json(http.MethodGet, "/api/v1/accounts/"+acc.ID, "")
			if meta, _ := got["metadata"].(map[string]any); status != http.StatusOK || meta["level"] != level {
				t.Fatalf("got %d with metadata %v, want %s=%s", status, got["metadata"], "level", level)
			}
			resp, body := a.do(http.MethodPost, "/api/v1/accounts/"+acc.ID+"/actions/"+"list_tenants", "")
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), a.sophos.Tenants[0].Name) {
				t.Fatalf("list_tenants: got %d %s, want 200 with the tenants", resp.StatusCode, body)
			}
			resp, body = a.do(http.MethodPost, "/api/v1/accounts/"+acc.ID+"/actions/"+"list_endpoints", "")
			if tc.pickTenant && (resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "LAPTOP-01")) {
				t.Fatalf("list_endpoints in a tenant: got %d %s, want 200 with its endpoints", resp.StatusCode, body)
			}
			if !tc.pickTenant && (resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "pick a tenant")) {
				t.Fatalf("list_endpoints at %s level: got %d %s, want 400 saying to pick a tenant", level, resp.StatusCode, body)
			}
			for _, r := range a.sophos.Requests() {
				if r.Path == "/endpoint/v1/endpoints" && strings.Contains(r.Raw, "X-Partner-Id") {
					t.Fatalf("an endpoint call carried X-Partner-ID: %q", r.Raw)
				}
			}
		})
	}
}
