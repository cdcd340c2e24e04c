package sophos

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// whoami is Sophos's answer to "whose credential is this?".
type whoami struct {
	ID       string `json:"id"`
	IDType   string `json:"idType"`
	APIHosts struct {
		Global     string `json:"global"`
		DataRegion string `json:"dataRegion"` // tenants only
	} `json:"apiHosts"`
}

// tenant is one tenant of a partner or organization.
type tenant struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	DataRegion string `json:"dataRegion"`
	APIHost    string `json:"apiHost"`
}

// maxTenantPages bounds the tenant listing; 20 pages of 100 is more than a
// picker can show.
const maxTenantPages = 20

func (c *Connector) whoami(ctx context.Context, tok secret.Value) (whoami, *kit.Failure) {
	resp, f := kit.Do(ctx, c.hc, c.cfg, kit.Call{URL: c.apiURL + "/whoami/v1", Token: tok})
	if f != nil {
		return whoami{}, f
	}
	if resp.Status != http.StatusOK {
		return whoami{}, kit.StatusFailure(resp.Status, resp.Body, vendor)
	}
	var w whoami
	err := json.Unmarshal(resp.Body, &w)
	ok := err == nil && w.ID != "" &&
		(w.IDType == IDTypeTenant && c.apiHostOK(w.APIHosts.DataRegion) ||
			w.IDType == IDTypePartner || w.IDType == IDTypeOrganization)
	if !ok {
		return whoami{}, unexpected(resp, c.hint(ctx, "sophos_no_whoami"))
	}
	return w, nil
}

// tenants lists a partner's or organization's tenants, page by page, where
// the List tenants action goes.
func (c *Connector) tenants(ctx context.Context, tok secret.Value, w whoami) ([]tenant, *kit.Failure) {
	r, err := c.route(account{id: w.ID, idType: w.IDType, level: w.IDType}, ActionListTenants, "")
	if err != nil { // whoami said partner or organization: cannot happen
		return nil, &kit.Failure{Reason: linkhub.ReasonUnexpectedResponse, Hint: linkhub.ErrorMessage(err)}
	}
	var out []tenant
	for page := 1; page <= maxTenantPages; page++ {
		resp, f := kit.Do(ctx, c.hc, c.cfg, kit.Call{
			URL:   fmt.Sprintf("%s%s?pageTotal=true&pageSize=100&page=%d", r.BaseURL, r.Path, page),
			Token: tok, Headers: r.Headers})
		if f != nil {
			return nil, f
		}
		if resp.Status != http.StatusOK {
			return nil, kit.StatusFailure(resp.Status, resp.Body, vendor)
		}
		var body struct {
			Items []tenant `json:"items"`
			Pages struct {
				Current int `json:"current"`
				Total   int `json:"total"`
			} `json:"pages"`
		}
		if err := json.Unmarshal(resp.Body, &body); err != nil || body.Items == nil {
			return nil, unexpected(resp, c.hint(ctx, "sophos_no_tenants"))
		}
		for _, t := range body.Items {
			if t.ID == "" || !c.apiHostOK(t.APIHost) {
				return nil, unexpected(resp, c.hint(ctx, "sophos_bad_tenant"))
			}
			out = append(out, t)
		}
		if body.Pages.Total <= page {
			break
		}
	}
	return out, nil
}

func unexpected(resp kit.Response, hint string) *kit.Failure {
	return &kit.Failure{Reason: linkhub.ReasonUnexpectedResponse, HTTPStatus: resp.Status, Snippet: kit.Snippet(resp.Body), Hint: hint}
}
