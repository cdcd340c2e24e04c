package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/proxy"
)

// TestAPI_SophosActionsByLevel: the actions of a Sophos partner or
// organization account go to the vendor on the route the Sophos connector
// gives for the level on the account's metadata (the tenant list with
// X-Partner-ID or X-Organization-ID, endpoints with X-Tenant-ID), whether
// the user picked a tenant or linked at partner or organization level; at
// that level endpoints are a 400 saying to pick a tenant, and the vendor is
// not called. The routes and the level a link records are the connector's
// (internal/connector/engine TestSophos_Route, TestSophos_ActionsByLevel).
func TestAPI_SophosActionsByLevel(t *testing.T) {
	t.Parallel()
	const tenantHost = "https://api-eu01.central.sophos.com"
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
			t.Parallel()
			acc := apiMockAccount()
			acc.ConnectorID, acc.Values = "sophos", map[string]string{"client_id": "sophos-client"}
			acc.Metadata = map[string]string{"sophos_id": "id-1", "id_type": tc.idType, "level": tc.idType}
			if tc.pickTenant {
				acc.Metadata["level"], acc.Metadata["tenant_id"], acc.Metadata["api_host"] = "tenant", "t-1", tenantHost
			}
			e := apiMockEnv(t)
			apiFindAccount(e, acc)
			e.profiles.FindProfileByIDFn = func(_ context.Context, id string) (*linkhub.Profile, error) {
				return &linkhub.Profile{ID: id, ConnectorID: "sophos", Name: "Sophos", Enabled: true,
					Actions: []string{"list_endpoints", "list_tenants"}}, nil
			}
			e.vendor.ActionRequestFn = proxy.ActionRequest
			var got []linkhub.VendorRequest
			e.vendor.ForwardFn = func(_ context.Context, a *linkhub.Account, r linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
				got = append(got, r)
				return apiVendorJSON(http.StatusOK, `{"items":[]}`)
			}

			status, out := e.api(http.MethodGet, "/api/v1/accounts/"+acc.ID, "")
			if meta, _ := out["metadata"].(map[string]any); status != http.StatusOK || meta["level"] != acc.Metadata["level"] {
				t.Fatalf("got %d with metadata %v, want level=%s", status, out["metadata"], acc.Metadata["level"])
			}
			header := map[string]string{"partner": "X-Partner-ID", "organization": "X-Organization-ID"}[tc.idType]
			if status, out := e.api(http.MethodPost, "/api/v1/accounts/"+acc.ID+"/actions/list_tenants", ""); status != http.StatusOK {
				t.Fatalf("list_tenants: got %d %v, want 200", status, out)
			}
			if len(got) != 1 || got[0].Route == nil || got[0].Path != "/"+tc.idType+"/v1/tenants" || got[0].Route.Path != got[0].Path ||
				got[0].Route.Headers[header] != "id-1" {
				t.Fatalf("list_tenants: the vendor got %+v, want the %s tenant list with %s", got, tc.idType, header)
			}
			resp, body := apiSend(e, http.MethodPost, "/api/v1/accounts/"+acc.ID+"/actions/list_endpoints", "")
			if tc.pickTenant {
				r := got[len(got)-1]
				if resp.StatusCode != http.StatusOK || len(got) != 2 || r.Path != "/endpoint/v1/endpoints" || r.Route == nil ||
					r.Route.BaseURL != tenantHost || r.Route.Headers["X-Tenant-ID"] != "t-1" || r.Route.Headers[header] != "" {
					t.Fatalf("list_endpoints in a tenant: got %d %s, the vendor got %+v, want the tenant's route", resp.StatusCode, body, r)
				}
			} else if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "pick a tenant") || len(got) != 1 {
				t.Fatalf("list_endpoints at %s level: got %d %s after %d vendor calls, want 400 saying to pick a tenant", tc.idType,
					resp.StatusCode, body, len(got))
			}
		})
	}
}
