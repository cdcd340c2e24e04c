package sophos

import (
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.Router = (*Connector)(nil)

// account is what a call needs to know of a Sophos account.
type account struct {
	id, idType string
	// level is LevelTenant, or the partner's or organization's own level.
	level string
	// tenantID and tenantHost are the tenant a LevelTenant account works in
	// and its data-region host.
	tenantID, tenantHost string
}

// accountOf reads an account from its stored metadata. Accounts linked
// before MetaLevel existed are at tenant level when they have a tenant.
func accountOf(m map[string]string) account {
	a := account{id: m[MetaID], idType: m[MetaIDType], level: m[MetaLevel], tenantID: m[MetaTenantID], tenantHost: m[MetaAPIHost]}
	if a.tenantID == "" && a.idType == IDTypeTenant {
		a.tenantID = a.id
	}
	if a.level == "" {
		a.level = a.idType
		if a.tenantID != "" {
			a.level = LevelTenant
		}
	}
	return a
}

// idHeaders are the headers that name a partner or an organization.
var idHeaders = map[string]string{IDTypePartner: "X-Partner-ID", IDTypeOrganization: "X-Organization-ID"}

// Route implements linkhub.Router.
func (c *Connector) Route(metadata map[string]string, actionID, path string) (linkhub.Route, error) {
	return c.route(accountOf(metadata), actionID, path)
}

// route is where a call goes for a: the one definition that the permission
// probe at link time, the actions, the proxy and Token share, so that they
// cannot disagree.
//   - The tenant list (and any /partner/ or /organization/ path) is the
//     partner's or organization's own: the global host, its own path, and
//     X-Partner-ID or X-Organization-ID, whatever tenant was picked.
//   - Other calls at tenant level go to the tenant's data region with
//     X-Tenant-ID; at partner or organization level to the global host
//     with its id header.
func (c *Connector) route(a account, actionID, path string) (linkhub.Route, error) {
	own := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)[0]
	if actionID == ActionListTenants {
		own = a.idType
		path = "/" + a.idType + "/v1/tenants"
	}
	header, isLevel := idHeaders[own]
	switch {
	case a.id == "" || a.idType == "":
		return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "This Sophos Central account has no tenant details. Test the connection again.")
	case actionID == ActionListTenants && a.idType == IDTypeTenant:
		return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "List tenants needs a partner or organization credential, and this one is a tenant's.")
	case isLevel && own != a.idType:
		return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "Sophos Central answers /%s/ paths only to %s credentials, and this one is a%s %s's.",
			own, own, article(a.idType), a.idType)
	case isLevel:
		return linkhub.Route{BaseURL: c.apiURL, Path: path, Headers: map[string]string{header: a.id}}, nil
	case a.level != LevelTenant && actionID != "":
		return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "This action runs in one tenant, and this account is linked at %s level: link it again and pick a tenant.", a.level)
	case a.level != LevelTenant:
		return linkhub.Route{BaseURL: c.apiURL, Path: path, Headers: map[string]string{idHeaders[a.idType]: a.id}}, nil
	case !c.apiHostOK(a.tenantHost):
		return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "This Sophos Central account has no valid data region. Test the connection again.")
	}
	return linkhub.Route{BaseURL: strings.TrimSuffix(a.tenantHost, "/"), Path: path, Headers: map[string]string{"X-Tenant-ID": a.tenantID}}, nil
}

func article(idType string) string {
	if idType == IDTypeOrganization {
		return "n"
	}
	return ""
}
