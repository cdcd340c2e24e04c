package engine

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
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
func (c *Connector) refusal(tag, stage string, a answer, values, metadata map[string]string, secrets ...string) *kit.Failure {
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
		hint := c.say(tag, r.Hint, func(t definition.Translation) string { return t.Hints[r.ID] })
		f := &kit.Failure{Reason: r.Reason, Hint: expandText(hint, values, metadata), HTTPStatus: a.status,
			Snippet: kit.Snippet(a.body, secrets...)}
		if r.HintExpr != "" {
			if h := c.evalText(tag, r.HintExpr, func(t definition.Translation) string { return t.HintExprs[r.ID] }, vars); h != "" {
				f.Hint = kit.Snippet([]byte(h), secrets...) // it may quote the answer: redacted like one
			} else {
				f.Hint = c.hint(tag, r.Reason, "")
			}
		}
		return f
	}
	var f *kit.Failure
	if stage == stageToken {
		f = oauthRefusal(tag, a, c.def.Name, secrets...)
	} else {
		f = kit.StatusFailure(a.status, a.body, c.def.Name, secrets...)
	}
	if stage == stagePermissions && (a.status == 401 || a.status == 403) {
		f.Reason = linkhub.ReasonPermissionMissing
	}
	return c.override(tag, f)
}

// override puts the definition's hint for f's reason in place of the
// generic one.
func (c *Connector) override(tag string, f *kit.Failure) *kit.Failure {
	if h := c.reasonHint(tag, f.Reason); h != "" {
		f.Hint = h
	}
	return f
}

// reasonHint is the definition's own hint for reason in the language tag,
// or "" when it has none.
func (c *Connector) reasonHint(tag, reason string) string {
	return c.say(tag, c.def.Hints[reason], func(t definition.Translation) string { return t.Hints[reason] })
}

// hint returns the definition's hint for reason, else fallback, else the
// generic one, in the language tag.
func (c *Connector) hint(tag, reason, fallback string) string {
	if h := c.reasonHint(tag, reason); h != "" {
		return h
	}
	if fallback != "" {
		return fallback
	}
	// kit's texts for the other reasons name a host, not the vendor.
	if !slices.Contains(genericReasons, reason) {
		return ""
	}
	return kit.Text(tag, reason, c.def.Name)
}

// say returns a text of the definition in the language tag: the
// translation tr picks, else the English en; the pseudo-locale's is made
// from the English.
func (c *Connector) say(tag, en string, tr func(definition.Translation) string) string {
	if en == "" || tag == linkhub.PseudoLocale {
		return pseudo.Text(en)
	}
	if t, ok := c.def.Translations[tag]; ok && tr(t) != "" {
		return tr(t)
	}
	return en
}

// evalText evaluates a CEL text of the definition in the language tag: the
// translated expression tr picks, else the English src. It returns "" when
// the expression fails.
func (c *Connector) evalText(tag, src string, tr func(definition.Translation) string, vars definition.Vars) string {
	if t, ok := c.def.Translations[tag]; ok && tr(t) != "" {
		src = tr(t)
	}
	h, err := c.def.Expr(src).String(vars)
	if err != nil {
		return ""
	}
	if tag == linkhub.PseudoLocale {
		return pseudo.Text(h)
	}
	return h
}

// oauthRefusal reads a token endpoint's refusal: RFC 6749 error codes
// where the vendor sends them, the status otherwise.
func oauthRefusal(tag string, a answer, vendor string, secrets ...string) *kit.Failure {
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
	f.Hint = kit.Text(tag, f.Reason, vendor)
	return f
}

// genericReasons are the reasons the engine itself decides; their hints,
// %s the vendor's name, are kit's shared texts. kit's failures carry their
// own.
var genericReasons = []string{linkhub.ReasonInvalidInput, linkhub.ReasonBadCredentials, linkhub.ReasonUnknownClient,
	linkhub.ReasonScopeNotGranted, linkhub.ReasonNotVendor, linkhub.ReasonUnexpectedResponse,
	linkhub.ReasonPermissionMissing, linkhub.ReasonVendorUnavailable}

// Hints returns every reason code a definition's connector can report with
// the hint it shows; the conformance test holds each to be non-empty.
// Transport failures (address, DNS, TLS, timeout) get kit's hints, which
// name the host.
func Hints(def *definition.Definition) map[string]string {
	c := &Connector{def: def}
	out := map[string]string{}
	for _, reason := range genericReasons {
		out[reason] = c.hint("en", reason, "")
	}
	for _, r := range def.Errors {
		h := r.Hint
		if r.HintExpr != "" {
			h = c.hint("en", r.Reason, "") // shown when the expression fails
		}
		if out[r.Reason] == "" || h == "" {
			out[r.Reason] = h
		}
	}
	return out
}
