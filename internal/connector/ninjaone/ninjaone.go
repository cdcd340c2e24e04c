// Package ninjaone is the NinjaOne connector: an API Services client
// application's id and secret in one of NinjaOne's regional instances.
package ninjaone

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

const vendor = "NinjaOne"

// baseScope is what every link asks for; "control" is added only for actions
// that need it, so a client without it still links.
const baseScope = "monitoring management"

// Connector is the NinjaOne connector.
type Connector struct {
	cfg       kit.Config
	hc        *http.Client
	spec      linkhub.ConnectorSpec
	instances map[string]string // region id -> instance URL
	order     []string          // region ids in the order auto tries them
}

var _ linkhub.Connector = (*Connector)(nil)

// New returns the NinjaOne connector calling out under cfg. When
// cfg.Hosts.NinjaOne is set, only its regions exist: the form offers only
// them, and "I don't know" tries only them.
func New(cfg kit.Config) *Connector {
	c := &Connector{cfg: cfg, hc: kit.NewClient(cfg), instances: map[string]string{}}
	for _, r := range regions {
		u := r.url
		if cfg.Hosts.NinjaOne != nil {
			u = strings.TrimSuffix(cfg.Hosts.NinjaOne[r.id], "/")
		}
		if u != "" {
			c.instances[r.id] = u
			c.order = append(c.order, r.id)
		}
	}
	c.spec = spec(c.order)
	return c
}

// Spec implements linkhub.Connector.
func (c *Connector) Spec() linkhub.ConnectorSpec { return c.spec }

// Test implements linkhub.Connector. With region "auto" the report's
// Values carry the region that accepted the credentials.
func (c *Connector) Test(ctx context.Context, in linkhub.TestInput) linkhub.Report {
	rec := kit.NewRecorder(ctx)
	step := rec.Begin(linkhub.StageValidate)
	values, errs := kit.ValidateFields(fields, in.Credentials)
	if r := values[FieldRegion]; errs == nil && r != RegionAuto && c.instances[r] == "" {
		errs = map[string]string{FieldRegion: "This region is not available here. Pick another one."}
	}
	for k, v := range values {
		rec.SetValue(k, v)
	}
	if errs != nil {
		rec.SetFieldErrors(errs)
		step.Fail(&kit.Failure{Reason: linkhub.ReasonInvalidInput, Hint: kit.TextIn(ctx, "invalid_input")})
		return rec.Report()
	}
	step.Pass(0, kit.TextIn(ctx, "fields_ok"), "")

	candidates := []string{values[FieldRegion]}
	if candidates[0] == RegionAuto {
		candidates = c.order
	}
	step = rec.Begin(linkhub.StageAddress)
	for _, r := range candidates {
		if f := kit.CheckAddress(ctx, c.cfg, c.instances[r]); f != nil {
			step.Fail(f)
			return rec.Report()
		}
	}
	step.Pass(0, kit.TextIn(ctx, "address_ok"), "")

	scope := scopeFor(in.Actions)
	step = rec.Begin(linkhub.StageToken)
	region, tok, f := c.firstAccepting(ctx, candidates, values[FieldClientID], in.Secrets[FieldClientSecret], scope)
	if f != nil {
		step.Fail(f)
		return rec.Report()
	}
	rec.SetValue(FieldRegion, region)
	rec.SetMetadata(MetaRegion, region)
	rec.SetMetadata(MetaScope, scope)
	step.Pass(tok.HTTPStatus, c.hint(ctx, "ninjaone_region", region), "")

	base := c.instances[region]
	step = rec.Begin(linkhub.StageVerify)
	resp, f := kit.Do(ctx, c.hc, c.cfg, kit.Call{URL: base + "/v2/organizations", Token: tok.AccessToken})
	if f == nil && resp.Status != http.StatusOK {
		f = kit.StatusFailure(resp.Status, resp.Body, vendor)
	}
	var orgs []json.RawMessage
	if f == nil && (json.Unmarshal(resp.Body, &orgs) != nil || orgs == nil) {
		f = &kit.Failure{Reason: linkhub.ReasonUnexpectedResponse, HTTPStatus: resp.Status, Snippet: kit.Snippet(resp.Body),
			Hint: c.hint(ctx, "ninjaone_no_orgs")}
	}
	if f != nil {
		step.Fail(f)
		return rec.Report()
	}
	rec.SetMetadata(MetaOrganizationCount, strconv.Itoa(len(orgs)))
	step.Pass(resp.Status, c.hint(ctx, "ninjaone_orgs", len(orgs)), "")

	kit.RunProbes(ctx, c.hc, c.cfg, rec.Begin(linkhub.StagePermissions), kit.Probe{
		Vendor: vendor, Actions: actions, Text: c.spec.Text, Enabled: in.Actions, Token: tok.AccessToken,
		Target: func(a linkhub.Action) (string, map[string]string) { return base + a.Path + "?pageSize=1", nil },
	})
	return rec.Report()
}

// firstAccepting asks each region's token endpoint in turn and returns the
// first that issues a token. A region that refuses the credentials, or is
// down, does not stop the search; a refused scope does, because only the
// region that knows the client checks scopes.
func (c *Connector) firstAccepting(ctx context.Context, candidates []string, clientID string, sec secret.Value, scope string) (string, kit.TokenResult, *kit.Failure) {
	var refused, other *kit.Failure
	for _, r := range candidates {
		tok, f := kit.RequestToken(ctx, c.hc, c.cfg, kit.TokenRequest{Vendor: vendor, URL: c.instances[r] + "/ws/oauth/token",
			ClientID: clientID, ClientSecret: secret.New(strings.TrimSpace(sec.Reveal())), Scope: scope})
		switch {
		case f == nil:
			return r, tok, nil
		case f.Reason == linkhub.ReasonScopeNotGranted:
			return "", kit.TokenResult{}, f
		case f.Reason == linkhub.ReasonBadCredentials || f.Reason == linkhub.ReasonUnknownClient:
			refused = cmp.Or(refused, f)
		default:
			other = cmp.Or(other, f)
		}
	}
	if other != nil { // an outage may hide the region that knows the client
		return "", kit.TokenResult{}, other
	}
	if len(candidates) > 1 {
		refused.Hint = c.hint(ctx, "ninjaone_no_region")
	}
	return "", kit.TokenResult{}, refused
}

// hint is the hint id in the user's language.
func (c *Connector) hint(ctx context.Context, id string, args ...any) string {
	return kit.Hint(ctx, c.spec, hints, id, args...)
}

// scopeFor returns the scopes to ask for the enabled actions.
func scopeFor(enabled []string) string {
	for _, a := range actions {
		if slices.Contains(enabled, a.ID) && a.Privilege == "control" {
			return baseScope + " control"
		}
	}
	return baseScope
}

// Token implements linkhub.Connector.
func (c *Connector) Token(ctx context.Context, creds linkhub.Credentials, metadata map[string]string) (linkhub.Token, error) {
	region := metadata[MetaRegion]
	if region == "" {
		region = creds.Values[FieldRegion]
	}
	base := c.instances[region]
	if base == "" {
		return linkhub.Token{}, linkhub.Errorf(linkhub.EINVALID, "This NinjaOne account has no known region. Test the connection again.")
	}
	scope := metadata[MetaScope]
	if scope == "" {
		scope = baseScope
	}
	_, tok, f := c.firstAccepting(ctx, []string{region}, strings.TrimSpace(creds.Values[FieldClientID]), creds.Secrets[FieldClientSecret], scope)
	if f != nil {
		return linkhub.Token{}, f.UserError()
	}
	return linkhub.Token{AccessToken: tok.AccessToken, Expiry: tok.Expiry, BaseURL: base}, nil
}
