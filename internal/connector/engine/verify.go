package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// verify runs the verification calls in order; each may store metadata
// that later calls use.
func (r *run) verify(ctx context.Context, auth http.Header) bool {
	step := r.rec.Begin(linkhub.StageVerify)
	secrets := revealed(r.creds)
	hint, status := "", 0
	for _, call := range r.def.Verify {
		h := auth.Clone()
		for k, v := range call.Headers {
			h.Set(k, expandText(v, r.values, r.metadata))
		}
		base := r.hosts[call.Host].base(r.values, r.metadata)
		a, f := r.send(ctx, call.Method, base+expand(call.Path, r.values, r.metadata), h, nil)
		if f == nil {
			hint, f = r.judge(call, a, secrets)
		}
		if f != nil {
			step.Fail(f)
			return false
		}
		status = a.status
	}
	step.Pass(status, hint, "")
	return true
}

// judge checks one verification answer and stores its metadata.
func (r *run) judge(call definition.Call, a answer, secrets []string) (string, *kit.Failure) {
	if slices.Contains(call.Empty, a.status) {
		return fmt.Sprintf("%s accepted the credentials; there is nothing to list yet.", r.def.Name), nil
	}
	expect := call.Expect
	if len(expect) == 0 {
		expect = []int{http.StatusOK}
	}
	if !slices.Contains(expect, a.status) {
		return "", r.refusal(stageVerify, a, r.values, r.metadata, secrets...)
	}
	vars := a.vars(r.values, r.metadata)
	if call.Check != nil {
		if ok, err := r.def.Expr(call.Check.Expr).Bool(vars); err != nil || !ok {
			reason := cmp.Or(call.Check.Reason, linkhub.ReasonUnexpectedResponse)
			return "", &kit.Failure{Reason: reason, HTTPStatus: a.status,
				Snippet: kit.Snippet(a.body, secrets...), Hint: call.Check.Message}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(call.Store)) {
		s := call.Store[k]
		var v string
		switch {
		case s.JSON != "":
			v = jsonString(gjson.GetBytes(a.body, s.JSON))
		case s.Header != "":
			v = a.headers.Get(s.Header)
		default:
			v, _ = r.def.Expr(s.Expr).String(vars) // a value that cannot be computed is not stored
		}
		// Metadata is shown and stored in the clear: a value holding a
		// secret, or shaped like one, is not kept. Any other value is kept
		// as the vendor sent it; the registry makes its text storable.
		if v = strings.TrimSpace(v); v != "" && !kit.HoldsSecret(v, secrets...) {
			r.metadata[k] = v
			vars.Metadata = r.metadata
		}
	}
	if call.Passed != "" {
		if h, err := r.def.Expr(call.Passed).String(vars); err == nil && h != "" {
			return kit.Snippet([]byte(h), secrets...), nil
		}
	}
	return fmt.Sprintf("%s answered the test call.", r.def.Name), nil
}

// probe runs the permission stage: one cheap read per enabled action, each
// refusal explained by the definition's rules; refusals that say a
// permission is missing are gathered into one failure naming them all.
func (r *run) probe(ctx context.Context, auth http.Header, enabled []string) {
	step := r.rec.Begin(linkhub.StagePermissions)
	secrets := revealed(r.creds)
	var missing []string
	var last *kit.Failure
	probed, status := 0, 0
	for _, act := range r.def.Actions {
		if !slices.Contains(enabled, act.ID) {
			continue
		}
		path := act.Probe
		if path == "" {
			if act.Method != http.MethodGet {
				continue // never run a write to test a permission
			}
			path = act.Path
		}
		probed++
		base := r.hosts[act.Host].base(r.values, r.metadata)
		method, header, body := http.MethodGet, auth.Clone(), io.Reader(nil)
		if act.ProbeBody != "" {
			method, body = http.MethodPost, strings.NewReader(act.ProbeBody)
			header.Set("Content-Type", "application/json")
		}
		a, f := r.send(ctx, method, base+expand(path, r.values, r.metadata), header, body)
		if f != nil {
			step.Fail(f)
			return
		}
		status = a.status
		if a.status >= 200 && a.status < 300 || slices.Contains(act.ProbeEmpty, a.status) {
			continue
		}
		f = r.refusal(stagePermissions, a, r.values, r.metadata, secrets...)
		if f.Reason != linkhub.ReasonPermissionMissing {
			step.Fail(f)
			return
		}
		missing = append(missing, fmt.Sprintf("%s (needs %s)", act.Name, act.Permission))
		last = f
	}
	switch {
	case probed == 0:
		step.Skip("No actions are enabled on this profile, so there is nothing to check.")
	case len(missing) > 0:
		last.Hint = "The credentials may not run these actions: " + strings.Join(missing, "; ") + ". " + last.Hint
		step.Fail(last)
	default:
		step.Pass(status, fmt.Sprintf("All %d enabled actions are allowed.", probed), "")
	}
}

// validateFields checks the form: kit's base checks, then each field's
// pattern and URL rule. A region this deployment lacks is not among the
// spec's options (see offered), so kit's check refuses it; the message
// then says why.
func validateFields(c *Connector, creds linkhub.Credentials) (map[string]string, map[string]string) {
	def, patterns, hosts, cfg := c.def, c.patterns, c.hosts, c.cfg
	values, errs := kit.ValidateFields(c.spec.Fields, creds)
	if errs == nil {
		errs = map[string]string{}
	}
	for _, f := range def.Fields {
		v, ok := values[f.ID]
		if f.Kind == string(linkhub.KindSecret) && f.Pattern != nil && errs[f.ID] == "" {
			if sec := strings.TrimSpace(creds.Secrets[f.ID].Reveal()); sec != "" && !patterns[f.ID].MatchString(sec) {
				errs[f.ID] = f.Pattern.Message
			}
		}
		if !ok || errs[f.ID] != "" {
			continue
		}
		if f.URL != nil {
			u, msg := normaliseURL(v, f.URL, cfg)
			if msg != "" {
				errs[f.ID] = msg
				continue
			}
			values[f.ID] = u
		}
		if f.Pattern != nil && !patterns[f.ID].MatchString(values[f.ID]) {
			errs[f.ID] = f.Pattern.Message
		}
	}
	for _, h := range hosts {
		id := h.def.RegionField
		v := values[id]
		if id != "" && slices.ContainsFunc(h.def.Regions, func(r definition.Region) bool { return r.ID == v }) && !h.has(v) {
			errs[id] = "This region is not available here. Pick another one."
		}
	}
	if len(errs) == 0 {
		return values, nil
	}
	return values, errs
}

// jsonString is a JSON value as text; a string is decoded as encoding/json
// does, each invalid UTF-8 byte becoming U+FFFD, so what is stored is what
// every other reader of the answer would see.
func jsonString(r gjson.Result) string {
	var str string
	if r.Type == gjson.String && json.Unmarshal([]byte(r.Raw), &str) == nil {
		return str
	}
	return r.String()
}
