// Package sophos is the Sophos Central connector: an API credential (client
// id and secret) of a tenant, a partner or an enterprise organization.
package sophos

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

const vendor = "Sophos Central"

// The real hosts; kit.Hosts overrides them.
const (
	defaultIDURL  = "https://id.sophos.com"
	defaultAPIURL = "https://api.central.sophos.com"
)

// Connector is the Sophos Central connector.
type Connector struct {
	cfg    kit.Config
	hc     *http.Client
	spec   linkhub.ConnectorSpec
	idURL  string // identity service, for tokens
	apiURL string // global API host: whoami, tenant lists
}

var _ linkhub.Connector = (*Connector)(nil)

// New returns the Sophos Central connector calling out under cfg.
func New(cfg kit.Config) *Connector {
	c := &Connector{cfg: cfg, hc: kit.NewClient(cfg), spec: spec(), idURL: defaultIDURL, apiURL: defaultAPIURL}
	if cfg.Hosts.SophosID != "" {
		c.idURL = strings.TrimSuffix(cfg.Hosts.SophosID, "/")
	}
	if cfg.Hosts.SophosAPI != "" {
		c.apiURL = strings.TrimSuffix(cfg.Hosts.SophosAPI, "/")
	}
	return c
}

// Spec implements linkhub.Connector.
func (c *Connector) Spec() linkhub.ConnectorSpec { return c.spec }

// Test implements linkhub.Connector. For a partner or organization
// credential the report's Choices are its tenants.
func (c *Connector) Test(ctx context.Context, in linkhub.TestInput) linkhub.Report {
	rec := kit.NewRecorder(ctx)
	step := rec.Begin(linkhub.StageValidate)
	values, errs := kit.ValidateFields(fields, in.Credentials)
	for k, v := range values {
		rec.SetValue(k, v)
	}
	if errs != nil {
		rec.SetFieldErrors(errs)
		step.Fail(&kit.Failure{Reason: linkhub.ReasonInvalidInput, Hint: kit.TextIn(ctx, "invalid_input")})
		return rec.Report()
	}
	step.Pass(0, kit.TextIn(ctx, "fields_ok"), "")

	// The hosts are Sophos's own, but resolving them still catches a broken
	// resolver or an override pointing somewhere it must not.
	step = rec.Begin(linkhub.StageAddress)
	for _, u := range []string{c.idURL, c.apiURL} {
		if f := kit.CheckAddress(ctx, c.cfg, u); f != nil {
			step.Fail(f)
			return rec.Report()
		}
	}
	step.Pass(0, kit.TextIn(ctx, "address_ok"), "")

	step = rec.Begin(linkhub.StageToken)
	tok, f := c.requestToken(ctx, values[FieldClientID], in.Secrets[FieldClientSecret])
	if f != nil {
		step.Fail(f)
		return rec.Report()
	}
	step.Pass(tok.HTTPStatus, kit.TextIn(ctx, "signed_in_token"), "")

	step = rec.Begin(linkhub.StageVerify)
	var tenants []tenant
	who, f := c.whoami(ctx, tok.AccessToken)
	if f != nil {
		step.Fail(f)
		return rec.Report()
	}
	rec.SetMetadata(MetaID, who.ID)
	rec.SetMetadata(MetaIDType, who.IDType)
	rec.SetMetadata(MetaLevel, who.IDType)
	if who.IDType == IDTypeTenant {
		rec.SetMetadata(MetaAPIHost, who.APIHosts.DataRegion)
		step.Pass(http.StatusOK, c.hint(ctx, "sophos_tenant", who.APIHosts.DataRegion), "")
	} else {
		rec.SetMetadata(MetaAPIHost, c.apiURL)
		var f *kit.Failure
		tenants, f = c.tenants(ctx, tok.AccessToken, who)
		if f != nil {
			step.Fail(f)
			return rec.Report()
		}
		for _, t := range tenants {
			rec.AddChoice(linkhub.Choice{ID: t.ID, Name: t.Name, Detail: t.DataRegion,
				Metadata: map[string]string{MetaLevel: LevelTenant, MetaTenantID: t.ID, MetaAPIHost: t.APIHost}})
		}
		// Beside the tenants: the partner's or organization's own level.
		// whoami accepts no other id types (sophos_no_whoami otherwise).
		rec.AddChoice(linkhub.Choice{ID: who.IDType, Name: c.hint(ctx, "sophos_choice_"+who.IDType),
			Detail:   c.hint(ctx, "sophos_detail_"+who.IDType),
			Metadata: map[string]string{MetaLevel: who.IDType}})
		step.Pass(http.StatusOK, c.hint(ctx, "sophos_"+who.IDType, len(tenants)), "")
	}

	// Probes go where the actions will: tenant actions of a partner or
	// organization in its first tenant, since it has no endpoints itself.
	probed := account{id: who.ID, idType: who.IDType, level: LevelTenant, tenantID: who.ID, tenantHost: who.APIHosts.DataRegion}
	switch {
	case who.IDType != IDTypeTenant && len(tenants) > 0:
		probed.tenantID, probed.tenantHost = tenants[0].ID, tenants[0].APIHost
	case who.IDType != IDTypeTenant:
		probed.level = who.IDType
	}
	kit.RunProbes(ctx, c.hc, c.cfg, rec.Begin(linkhub.StagePermissions), kit.Probe{
		Vendor: vendor, Actions: actions, Text: c.spec.Text, Enabled: in.Actions, Token: tok.AccessToken,
		Unfit: func(a linkhub.Action) string {
			if _, err := c.route(probed, a.ID, a.Path); err != nil {
				return c.unfit(ctx, probed, a, err)
			}
			return ""
		},
		Target: func(a linkhub.Action) (string, map[string]string) {
			r, _ := c.route(probed, a.ID, a.Path) // Unfit checked the error
			return r.BaseURL + r.Path + "?pageSize=1", r.Headers
		},
	})
	return rec.Report()
}

func (c *Connector) requestToken(ctx context.Context, clientID string, sec secret.Value) (kit.TokenResult, *kit.Failure) {
	return kit.RequestToken(ctx, c.hc, c.cfg, kit.TokenRequest{Vendor: vendor, URL: c.idURL + "/api/v2/oauth2/token",
		ClientID: clientID, ClientSecret: secret.New(strings.TrimSpace(sec.Reveal())), Scope: "token"})
}

// apiHostOK reports whether raw is a Sophos API host we may send a token to:
// https on sophos.com, or the configured API host (fakes, staging).
func (c *Connector) apiHostOK(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Path != "" && u.Path != "/" || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if c.cfg.Hosts.SophosAPI != "" {
		o, err := url.Parse(c.cfg.Hosts.SophosAPI)
		return err == nil && strings.EqualFold(o.Host, u.Host)
	}
	return strings.HasSuffix(host, ".sophos.com")
}

// Token implements linkhub.Connector. metadata is what Test stored, with a
// chosen Choice's metadata merged over it. BaseURL and Headers are where the
// account's own calls go (route of a proxy call).
func (c *Connector) Token(ctx context.Context, creds linkhub.Credentials, metadata map[string]string) (linkhub.Token, error) {
	r, err := c.route(accountOf(metadata), "", "/")
	if err != nil {
		return linkhub.Token{}, err
	}
	tok, f := c.requestToken(ctx, strings.TrimSpace(creds.Values[FieldClientID]), creds.Secrets[FieldClientSecret])
	if f != nil {
		return linkhub.Token{}, f.UserError()
	}
	return linkhub.Token{AccessToken: tok.AccessToken, Expiry: tok.Expiry, BaseURL: r.BaseURL, Headers: r.Headers}, nil
}

// unfit words why route refused action in the test, in the user's
// language: the two refusals route gives a test's probe have hints (a
// tenant listing tenants; a tenant action at partner or organization
// level); any other keeps route's English.
func (c *Connector) unfit(ctx context.Context, acc account, action linkhub.Action, err error) string {
	_, levelPath := idHeaders[strings.SplitN(strings.TrimPrefix(action.Path, "/"), "/", 2)[0]]
	switch {
	case action.ID == ActionListTenants && acc.idType == IDTypeTenant:
		return c.hint(ctx, "sophos_unfit_tenant")
	case action.ID != ActionListTenants && !levelPath && acc.level != LevelTenant:
		return c.hint(ctx, "sophos_unfit_"+acc.level)
	}
	return linkhub.ErrorMessage(err)
}

// hint is the hint id in the user's language.
func (c *Connector) hint(ctx context.Context, id string, args ...any) string {
	return kit.Hint(ctx, c.spec, hints, id, args...)
}
