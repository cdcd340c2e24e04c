package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Stages an error rule can name.
const (
	stageToken       = "token"
	stageVerify      = "verify"
	stagePermissions = "permissions"
)

// refusal explains an answer that is not a success: the definition's first
// matching rule, else what every vendor shares. secrets are redacted from
// the snippet.
func (c *Connector) refusal(stage string, a answer, values, metadata map[string]string, secrets ...string) *kit.Failure {
	vars := a.vars(values, metadata)
	for _, r := range c.def.Errors {
		if r.Stage != "" && r.Stage != stage || len(r.Status) > 0 && !slices.Contains(r.Status, a.status) {
			continue
		}
		if r.When != "" {
			ok, err := c.def.Expr(r.When).Bool(vars)
			if err != nil || !ok { // a rule that cannot judge this answer does not apply
				continue
			}
		}
		f := &kit.Failure{Reason: r.Reason, Hint: expandText(r.Hint, values, metadata), HTTPStatus: a.status,
			Snippet: kit.Snippet(a.body, secrets...)}
		if r.HintExpr != "" {
			if h, err := c.def.Expr(r.HintExpr).String(vars); err == nil && h != "" {
				f.Hint = kit.Snippet([]byte(h), secrets...) // it may quote the answer: redacted like one
			} else {
				f.Hint = c.hint(r.Reason, "")
			}
		}
		return f
	}
	var f *kit.Failure
	if stage == stageToken {
		f = oauthRefusal(a, c.def.Name, secrets...)
	} else {
		f = kit.StatusFailure(a.status, a.body, c.def.Name, secrets...)
	}
	if stage == stagePermissions && (a.status == 401 || a.status == 403) {
		f.Reason = linkhub.ReasonPermissionMissing
	}
	return c.override(f)
}

// override puts the definition's hint for f's reason in place of the
// generic one.
func (c *Connector) override(f *kit.Failure) *kit.Failure {
	if h := c.def.Hints[f.Reason]; h != "" {
		f.Hint = h
	}
	return f
}

// hint returns the definition's hint for reason, else fallback, else the
// generic one.
func (c *Connector) hint(reason, fallback string) string {
	if h := c.def.Hints[reason]; h != "" {
		return h
	}
	if fallback != "" {
		return fallback
	}
	// Not every hint names the vendor: Sprintf would append %!(EXTRA ...).
	if h := genericHints[reason]; !strings.Contains(h, "%s") {
		return h
	}
	return fmt.Sprintf(genericHints[reason], c.def.Name)
}

// oauthRefusal reads a token endpoint's refusal: RFC 6749 error codes
// where the vendor sends them, the status otherwise.
func oauthRefusal(a answer, vendor string, secrets ...string) *kit.Failure {
	var body struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(a.body, &body)
	f := &kit.Failure{HTTPStatus: a.status, Snippet: kit.Snippet(a.body, secrets...)}
	switch code := strings.ToLower(body.Error); {
	case code == "invalid_scope":
		f.Reason = linkhub.ReasonScopeNotGranted
	case code == "unauthorized_client":
		f.Reason = linkhub.ReasonUnknownClient
	case code != "" && a.status >= 400 && a.status < 500, a.status == 401:
		f.Reason = linkhub.ReasonBadCredentials
	default:
		return kit.StatusFailure(a.status, a.body, vendor, secrets...)
	}
	f.Hint = fmt.Sprintf(genericHints[f.Reason], vendor)
	return f
}

// genericHints are the hints of reasons the engine itself decides, %s the
// vendor's name. kit's failures carry their own.
var genericHints = map[string]string{
	linkhub.ReasonInvalidInput:       "Some fields need fixing; see the messages next to them.",
	linkhub.ReasonBadCredentials:     "%s refused the credentials. Check them; a secret is shown only once, so create a new one if in doubt.",
	linkhub.ReasonUnknownClient:      "%s does not know this client, or it is disabled. Check the client ID, or create a new API client.",
	linkhub.ReasonScopeNotGranted:    "%s accepted the client but not the permissions asked for. Grant the scopes listed in the guide.",
	linkhub.ReasonNotVendor:          "The address answered, but not like %s. Check the address.",
	linkhub.ReasonUnexpectedResponse: "%s answered in a way Linkhub does not expect.",
	linkhub.ReasonPermissionMissing:  "%s says the credentials lack a permission this call needs.",
	linkhub.ReasonVendorUnavailable:  "%s is busy or unavailable right now. Try again in a few minutes.",
}

// Hints returns every reason code a definition's connector can report with
// the hint it shows; the conformance test holds each to be non-empty.
// Transport failures (address, DNS, TLS, timeout) get kit's hints, which
// name the host.
func Hints(def *definition.Definition) map[string]string {
	c := &Connector{def: def}
	out := map[string]string{}
	for reason := range genericHints {
		out[reason] = c.hint(reason, "")
	}
	for _, r := range def.Errors {
		h := r.Hint
		if r.HintExpr != "" {
			h = c.hint(r.Reason, "") // shown when the expression fails
		}
		if out[r.Reason] == "" || h == "" {
			out[r.Reason] = h
		}
	}
	if t := def.Auth.Token; t != nil && t.NotFound != nil {
		for _, r := range t.NotFound.Rules {
			out[r.Reason] = r.Hint
		}
	}
	return out
}
