package engine

import (
	"cmp"
	"context"
	"io"
	"maps"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
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
		if f := r.lacking(call.GrantedBy); f != nil { // the token says so: no call needed
			step.Fail(f)
			return false
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
		return kit.Text(r.tag, "nothing_yet", r.def.Name), nil
	}
	expect := call.Expect
	if len(expect) == 0 {
		expect = []int{http.StatusOK}
	}
	if !slices.Contains(expect, a.status) {
		return "", r.refusal(r.tag, stageVerify, a, r.values, r.metadata, secrets...)
	}
	vars := a.vars(r.values, r.metadata)
	if call.Check != nil {
		if ok, err := r.def.Expr(call.Check.Expr).Bool(vars); err != nil || !ok {
			reason := cmp.Or(call.Check.Reason, linkhub.ReasonUnexpectedResponse)
			// A check's message has no id of its own: another language
			// gets the definition's hint for the check's reason.
			hint := r.say(r.tag, call.Check.Message, func(t definition.Translation) string { return t.Hints[reason] })
			return "", &kit.Failure{Reason: reason, HTTPStatus: a.status,
				Snippet: kit.Snippet(a.body, secrets...), Hint: hint}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(call.Store)) {
		s := call.Store[k]
		var v string
		switch {
		case s.JSON != "":
			v = gjson.GetBytes(a.body, s.JSON).String()
		case s.Header != "":
			v = a.headers.Get(s.Header)
		default:
			v, _ = r.def.Expr(s.Expr).String(vars) // a value that cannot be computed is not stored
		}
		// Metadata is shown and stored in the clear: a value holding a
		// secret, or shaped like one, is not kept.
		if v = strings.TrimSpace(v); v != "" && kit.Snippet([]byte(v), secrets...) == v {
			r.metadata[k] = v
			vars.Metadata = r.metadata
		}
	}
	if call.Passed != "" {
		if h := r.evalText(r.tag, call.Passed, func(t definition.Translation) string { return t.Passed[call.ID] }, vars); h != "" {
			return kit.Snippet([]byte(h), secrets...), nil
		}
	}
	return kit.Text(r.tag, "test_call_ok", r.def.Name), nil
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
		if f := r.lacking(actionGrants(act.GrantedBy, act.Permission)); f != nil {
			f.Hint = r.hint(r.tag, linkhub.ReasonPermissionMissing, "") // the stage's hint names the permissions
			name := r.say(r.tag, act.Name, func(t definition.Translation) string { return t.Actions[act.ID].Name })
			missing, last = append(missing, kit.Text(r.tag, "action_needs", name, act.Permission)), f
			continue
		}
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
		f = r.refusal(r.tag, stagePermissions, a, r.values, r.metadata, secrets...)
		if f.Reason != linkhub.ReasonPermissionMissing {
			step.Fail(f)
			return
		}
		name := r.say(r.tag, act.Name, func(t definition.Translation) string { return t.Actions[act.ID].Name })
		missing = append(missing, kit.Text(r.tag, "action_needs", name, act.Permission))
		last = f
	}
	switch {
	case probed == 0:
		step.Skip(kit.Text(r.tag, "probe_none"))
	case len(missing) > 0:
		last.Hint = kit.Text(r.tag, "actions_missing", strings.Join(missing, "; "), last.Hint)
		step.Fail(last)
	default:
		step.Pass(status, kit.Text(r.tag, "probe_all", probed), "")
	}
}

// validateFields checks the form: kit's base checks, then each field's
// pattern and URL rule. A region this deployment lacks is not among the
// spec's options (see offered), so kit's check refuses it; the message
// then says why.
func validateFields(c *Connector, creds linkhub.Credentials, tag string) (map[string]string, map[string]string) {
	def, patterns, hosts, cfg := c.def, c.patterns, c.hosts, c.cfg
	values, errs := kit.ValidateFields(c.spec.Fields, creds)
	if errs == nil {
		errs = map[string]string{}
	}
	for _, f := range def.Fields {
		v, ok := values[f.ID]
		var patternMessage string
		if f.Pattern != nil {
			patternMessage = c.say(tag, f.Pattern.Message, func(t definition.Translation) string { return t.Fields[f.ID].PatternMessage })
		}
		if f.Kind == string(linkhub.KindSecret) && f.Pattern != nil && errs[f.ID] == "" {
			if sec := strings.TrimSpace(creds.Secrets[f.ID].Reveal()); sec != "" && !patterns[f.ID].MatchString(sec) {
				errs[f.ID] = patternMessage
			}
		}
		if !ok || errs[f.ID] != "" {
			continue
		}
		if f.URL != nil {
			u, msg := normaliseURL(v, f.URL, cfg, tag)
			if msg != "" {
				errs[f.ID] = msg
				continue
			}
			values[f.ID] = u
		}
		if f.Pattern != nil && !patterns[f.ID].MatchString(values[f.ID]) {
			errs[f.ID] = patternMessage
		}
	}
	for _, h := range hosts {
		id := h.def.RegionField
		v := values[id]
		if id != "" && slices.ContainsFunc(h.def.Regions, func(r definition.Region) bool { return r.ID == v }) && !h.has(v) {
			errs[id] = kit.Text(tag, "region_unavailable")
		}
	}
	if len(errs) == 0 {
		return values, nil
	}
	return values, errs
}

// normaliseURL reads a pasted address in any usual form (acme.okta.com,
// https://acme-admin.okta.com/admin/dashboard) as https://host[:port].
// Other ports than the rule's pass only for IP addresses the deployment's
// policy opens on every port (development and tests: the fakes' loopback).
func normaliseURL(v string, rule *definition.URLRule, cfg kit.Config, tag string) (string, string) {
	if !strings.Contains(v, "://") {
		v = "https://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" {
		return "", kit.Text(tag, "url_example")
	}
	if u.Scheme != "https" {
		return "", kit.Text(tag, "address_not_https")
	}
	if u.User != nil {
		return "", kit.Text(tag, "address_has_user")
	}
	host := strings.ToLower(u.Hostname())
	if _, err := netip.ParseAddr(host); err != nil && rule.StripSuffix != "" {
		first, rest, _ := strings.Cut(host, ".")
		host = strings.TrimSuffix(first, rule.StripSuffix) + "." + rest
		host = strings.TrimSuffix(host, ".")
	}
	ports := rule.Ports
	if len(ports) == 0 {
		ports = []int{443}
	}
	port := 443
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return "", kit.Text(tag, "url_not_number")
		}
		port = n
	}
	ip, ipErr := netip.ParseAddr(host)
	open := ipErr == nil && (cfg.AllowPrivate || len(cfg.AllowCIDRs) > 0) && cfg.Permit(netip.AddrPortFrom(ip, 1)) == nil
	if !slices.Contains(ports, port) && !open {
		return "", kit.Text(tag, "url_only_port", joinInts(ports))
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != 443 {
		host += ":" + strconv.Itoa(port)
	}
	return "https://" + host, ""
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, " or ")
}
