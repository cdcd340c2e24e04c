// Package jamf is the Jamf Pro connector: an API client's id and secret
// against the customer's own Jamf Pro server (10.49 or later).
package jamf

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

const vendor = "Jamf Pro"

// The token paths, newest last: /api/oauth/token is what 10.49+ documents,
// /api/v1/oauth/token is its successor on newer servers.
var tokenPaths = []string{"/api/oauth/token", "/api/v1/oauth/token"}

// Connector is the Jamf Pro connector.
type Connector struct {
	cfg  kit.Config
	hc   *http.Client
	spec linkhub.ConnectorSpec
}

var _ linkhub.Connector = (*Connector)(nil)

// New returns the Jamf Pro connector calling out under cfg.
func New(cfg kit.Config) *Connector {
	return &Connector{cfg: cfg, hc: kit.NewClient(cfg), spec: spec()}
}

// Spec implements linkhub.Connector.
func (c *Connector) Spec() linkhub.ConnectorSpec { return c.spec }

// Test implements linkhub.Connector.
func (c *Connector) Test(ctx context.Context, in linkhub.TestInput) linkhub.Report {
	rec := kit.NewRecorder(ctx)
	step := rec.Begin(linkhub.StageValidate)
	values, errs := kit.ValidateFields(fields, in.Credentials)
	if errs == nil || errs[FieldURL] == "" {
		base, err := NormalizeURL(values[FieldURL], c.cfg.AllowHTTP)
		if err != nil {
			if errs == nil {
				errs = map[string]string{}
			}
			errs[FieldURL] = linkhub.ErrorMessage(err)
		}
		values[FieldURL] = base
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
	base := values[FieldURL]

	step = rec.Begin(linkhub.StageAddress)
	if f := kit.CheckAddress(ctx, c.cfg, base); f != nil {
		step.Fail(f)
		return rec.Report()
	}
	step.Pass(0, kit.TextIn(ctx, "address_ok"), "")

	step = rec.Begin(linkhub.StageToken)
	tok, path, f := c.token(ctx, base, values[FieldClientID], in.Secrets[FieldClientSecret], "")
	if f != nil {
		step.Fail(f)
		return rec.Report()
	}
	rec.SetMetadata(MetaTokenPath, path)
	step.Pass(tok.HTTPStatus, kit.TextIn(ctx, "signed_in_token"), "")

	step = rec.Begin(linkhub.StageVerify)
	version, f := c.version(ctx, base, tok.AccessToken)
	if f != nil {
		step.Fail(f)
		return rec.Report()
	}
	rec.SetMetadata(MetaVersion, version)
	step.Pass(http.StatusOK, "Jamf Pro "+version, "")

	kit.RunProbes(ctx, c.hc, c.cfg, rec.Begin(linkhub.StagePermissions), kit.Probe{
		Vendor: vendor, Actions: actions, Text: c.spec.Text, Enabled: in.Actions, Token: tok.AccessToken,
		Target: func(a linkhub.Action) (string, map[string]string) { return base + a.Path + probeQuery(a.ID), nil },
	})
	return rec.Report()
}

// probeQuery keeps a probe cheap: one item is enough to learn the privilege.
func probeQuery(id string) string {
	if id == ActionListComputers {
		return "?section=GENERAL&page=0&page-size=1"
	}
	return ""
}

// token asks the first token path (preferred first), falling back to the
// other on 404. It returns the path that answered.
func (c *Connector) token(ctx context.Context, base, clientID string, sec secret.Value, preferred string) (kit.TokenResult, string, *kit.Failure) {
	paths := tokenPaths
	if preferred == tokenPaths[1] {
		paths = []string{tokenPaths[1], tokenPaths[0]}
	}
	var f *kit.Failure
	for _, p := range paths {
		var tok kit.TokenResult
		tok, f = kit.RequestToken(ctx, c.hc, c.cfg, kit.TokenRequest{Vendor: vendor, URL: base + p,
			ClientID: clientID, ClientSecret: secret.New(strings.TrimSpace(sec.Reveal()))})
		if f == nil {
			return tok, p, nil
		}
		if f.HTTPStatus != http.StatusNotFound {
			return kit.TokenResult{}, "", f
		}
	}
	if c.speaksJamfProAPI(ctx, base) {
		f.Reason = linkhub.ReasonVendorTooOld
		f.Hint = c.hint(ctx, "jamf_too_old")
	} else {
		f.Reason = linkhub.ReasonNotVendor
		f.Hint = c.hint(ctx, "jamf_not_jamf")
	}
	return kit.TokenResult{}, "", f
}

// speaksJamfProAPI tells an old Jamf Pro from some other server once neither
// token path exists. The signal: the Jamf Pro API, there long before 10.49,
// refuses an unauthenticated GET /api/v1/jamf-pro-version with 401 and its
// own error shape, {"httpStatus":401,"errors":[...]}; another product
// answers 404, a web page, or JSON without httpStatus.
func (c *Connector) speaksJamfProAPI(ctx context.Context, base string) bool {
	resp, f := kit.Do(ctx, c.hc, c.cfg, kit.Call{URL: base + "/api/v1/jamf-pro-version"})
	if f != nil || resp.Status != http.StatusUnauthorized {
		return false
	}
	var body struct {
		HTTPStatus int             `json:"httpStatus"`
		Errors     json.RawMessage `json:"errors"`
	}
	return json.Unmarshal(resp.Body, &body) == nil && body.HTTPStatus == http.StatusUnauthorized && body.Errors != nil
}

// version reads the server version and checks the answer's shape.
func (c *Connector) version(ctx context.Context, base string, tok secret.Value) (string, *kit.Failure) {
	resp, f := kit.Do(ctx, c.hc, c.cfg, kit.Call{URL: base + "/api/v1/jamf-pro-version", Token: tok})
	if f != nil {
		return "", f
	}
	if resp.Status != http.StatusOK {
		return "", kit.StatusFailure(resp.Status, resp.Body, vendor)
	}
	var body struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.Version == "" {
		return "", &kit.Failure{Reason: linkhub.ReasonUnexpectedResponse, HTTPStatus: resp.Status, Snippet: kit.Snippet(resp.Body),
			Hint: c.hint(ctx, "jamf_no_version")}
	}
	return body.Version, nil
}

// hint is the hint id in the user's language.
func (c *Connector) hint(ctx context.Context, id string) string {
	return kit.Hint(ctx, c.spec, hints, id)
}

// Token implements linkhub.Connector. creds.Values[FieldURL] is the stored,
// normalised address.
func (c *Connector) Token(ctx context.Context, creds linkhub.Credentials, metadata map[string]string) (linkhub.Token, error) {
	base, err := NormalizeURL(creds.Values[FieldURL], c.cfg.AllowHTTP)
	if err != nil {
		return linkhub.Token{}, err
	}
	tok, _, f := c.token(ctx, base, strings.TrimSpace(creds.Values[FieldClientID]), creds.Secrets[FieldClientSecret], metadata[MetaTokenPath])
	if f != nil {
		return linkhub.Token{}, f.UserError()
	}
	return linkhub.Token{AccessToken: tok.AccessToken, Expiry: tok.Expiry, BaseURL: base}, nil
}
