package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// verify runs the verification calls in order; each may store metadata
// that later calls use.
func (r *run) verify(ctx context.Context, auth http.Header) bool {
	step := r.rec.Begin(linkhub.StageVerify)
	secrets := revealed(r.creds)
	hint, status := "", 0
	for _, call := range r.def.Verify {
		if call.When != "" {
			vars := definition.Vars{Values: r.values, Metadata: r.metadata, Hosts: r.fixedHosts()}
			if ok, err := r.def.Expr(call.When).Bool(vars); err != nil || !ok {
				continue
			}
		}
		h := auth.Clone()
		for k, v := range call.Headers {
			h.Set(k, expandText(v, r.values, r.metadata))
		}
		if f := r.lacking(call.GrantedBy); f != nil { // the token says so: no call needed
			step.Fail(f)
			return false
		}
		target := r.hosts[call.Host].base(r.values, r.metadata) + expand(call.Path, r.values, r.metadata)
		for page := 1; ; page++ {
			u := target
			if pg := call.Pages; pg != nil {
				u += map[bool]string{true: "&", false: "?"}[strings.Contains(u, "?")] + pg.Param + "=" + strconv.Itoa(page)
			}
			a, f := r.send(ctx, call.Method, u, h.Clone(), nil)
			if f == nil {
				hint, f = r.judge(call, a, secrets)
			}
			if f != nil {
				step.Fail(f)
				return false
			}
			status = a.status
			if pg := call.Pages; pg == nil || page >= pg.Max || gjson.GetBytes(a.body, pg.Total).Int() <= int64(page) {
				break
			}
		}
		if ch := call.Choices; ch != nil {
			if f := r.fixedChoices(call.ID, ch); f != nil {
				step.Fail(f)
				return false
			}
		}
	}
	for _, ch := range r.choices {
		r.rec.AddChoice(ch)
	}
	step.Pass(status, hint, "")
	return true
}

// listChoices turns the items of one answer into choices.
func (r *run) listChoices(ch *definition.Choices, a answer, vars definition.Vars, secrets []string) *kit.Failure {
	unexpected := func(msg, reason string) *kit.Failure {
		return &kit.Failure{Reason: cmp.Or(reason, linkhub.ReasonUnexpectedResponse), HTTPStatus: a.status,
			Snippet: kit.Snippet(a.body, secrets...), Hint: msg}
	}
	items := gjson.GetBytes(a.body, ch.Items)
	if !items.IsArray() {
		return unexpected(cmp.Or(r.checkMessage(ch.Check), r.hint(r.tag, linkhub.ReasonUnexpectedResponse, "")), checkReason(ch.Check))
	}
	for _, it := range items.Array() {
		vars.Item, vars.Count = it.Value(), len(r.choices)
		c, ok := r.choice(ch.ID, ch.Name, ch.Detail, ch.Metadata, vars)
		if ch.Check != nil {
			if pass, err := r.def.Expr(ch.Check.Expr).Bool(vars); err != nil || !pass {
				ok = false
			}
		}
		if !ok {
			return unexpected(cmp.Or(r.checkMessage(ch.Check), r.hint(r.tag, linkhub.ReasonUnexpectedResponse, "")), checkReason(ch.Check))
		}
		r.choices = append(r.choices, c)
	}
	return nil
}

// fixedChoices adds the choices that follow the listed items, e.g. "link
// at partner level".
func (r *run) fixedChoices(callID string, ch *definition.Choices) *kit.Failure {
	vars := definition.Vars{Values: r.values, Metadata: r.metadata, Hosts: r.fixedHosts(), Count: len(r.choices)}
	tr := r.def.Translations[r.tag].Choices[callID]
	for i, t := range ch.Then {
		name, detail := t.Name, t.Detail
		if i < len(tr) {
			name, detail = cmp.Or(tr[i].Name, name), cmp.Or(tr[i].Detail, detail)
		}
		c, ok := r.choice(t.ID, name, detail, t.Metadata, vars)
		if ok && r.tag == linkhub.PseudoLocale {
			c.Name, c.Detail = pseudo.Text(c.Name), pseudo.Text(c.Detail)
		}
		if !ok {
			return &kit.Failure{Reason: linkhub.ReasonUnexpectedResponse, Hint: r.hint(r.tag, linkhub.ReasonUnexpectedResponse, "")}
		}
		r.choices = append(r.choices, c)
	}
	return nil
}

// choice computes one choice; ok is false when a text cannot be computed,
// or a metadata value a metadata host reads is not an address it allows.
func (r *run) choice(id, name, detail string, meta map[string]string, vars definition.Vars) (linkhub.Choice, bool) {
	text := func(src string) (string, bool) {
		if src == "" {
			return "", true
		}
		v, err := r.def.Expr(src).String(vars)
		return v, err == nil
	}
	c := linkhub.Choice{Metadata: map[string]string{}}
	var ok1, ok2, ok3 bool
	c.ID, ok1 = text(id)
	c.Name, ok2 = text(name)
	c.Detail, ok3 = text(detail)
	if !ok1 || !ok2 || !ok3 || c.ID == "" {
		return c, false
	}
	for k, src := range meta {
		v, ok := text(src)
		if !ok || !r.hostAllows(k, v) {
			return c, false
		}
		c.Metadata[k] = v
	}
	return c, true
}

// hostKey reports whether the metadata key holds an address a host of the
// definition is taken from.
func (c *Connector) hostKey(key string) bool {
	for _, h := range c.hosts {
		if h.def.Metadata == key {
			return true
		}
	}
	return false
}

// hostAllows reports whether v may be stored as metadata key: a metadata
// host reading key must allow it as an address.
func (c *Connector) hostAllows(key, v string) bool {
	for _, h := range c.hosts {
		if h.def.Metadata == key && !h.allowed(strings.TrimSuffix(v, "/")) {
			return false
		}
	}
	return true
}

// checkMessage is a check's message in the user's language: translated by
// the check's id, or, without one, as the hint of the check's reason.
func (r *run) checkMessage(c *definition.Check) string {
	if c == nil {
		return ""
	}
	key := cmp.Or(c.ID, c.Reason, linkhub.ReasonUnexpectedResponse)
	return r.say(r.tag, c.Message, func(t definition.Translation) string { return t.Hints[key] })
}

func checkReason(c *definition.Check) string {
	if c == nil {
		return ""
	}
	return c.Reason
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
			return "", &kit.Failure{Reason: reason, HTTPStatus: a.status,
				Snippet: kit.Snippet(a.body, secrets...), Hint: r.checkMessage(call.Check)}
		}
	}
	vars.Hosts = r.fixedHosts()
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
		// as the vendor sent it (the registry makes its text storable),
		// but for an address Linkhub calls, which loses stray spaces; a
		// blank value is not kept.
		t := strings.TrimSpace(v)
		if r.hostKey(k) {
			v = t
		}
		if t != "" && !r.hostAllows(k, t) {
			// An address the vendor named that Linkhub may not call.
			return "", &kit.Failure{Reason: cmp.Or(checkReason(call.Check), linkhub.ReasonUnexpectedResponse), HTTPStatus: a.status,
				Snippet: kit.Snippet(a.body, secrets...), Hint: cmp.Or(r.checkMessage(call.Check), r.hint(r.tag, linkhub.ReasonUnexpectedResponse, ""))}
		}
		if t != "" && !kit.HoldsSecret(v, secrets...) {
			r.metadata[k] = v
			vars.Metadata = r.metadata
		}
	}
	if call.Choices != nil {
		if f := r.listChoices(call.Choices, a, vars, secrets); f != nil {
			return "", f
		}
		vars.Item, vars.Count = nil, len(r.choices)
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
	type perm struct{ action, permission string } // the action's name in the user's language
	var needs []perm
	var unfit, names []string // names: of the failing actions, in English for the admin
	var last *kit.Failure
	probed, status := 0, 0
	// Routed calls are probed where the actions will go: as if the first
	// choice were picked (a partner's first tenant), since a partner has no
	// endpoints of its own.
	meta := maps.Clone(r.metadata)
	if len(r.choices) > 0 {
		maps.Copy(meta, r.choices[0].Metadata)
	}
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
			needs, names, last = append(needs, perm{name, act.Permission}), append(names, act.Name), f
			continue
		}
		base := r.hosts[act.Host].base(r.values, r.metadata)
		method, header, body := http.MethodGet, auth.Clone(), io.Reader(nil)
		if r.def.Routes != nil {
			p, query, _ := strings.Cut(path, "?")
			rt, err := r.route(r.tag, meta, act.ID, p)
			if err != nil { // no role changes that: the credential is of the wrong kind
				unfit, names = append(unfit, linkhub.ErrorMessage(err)), append(names, act.Name)
				continue
			}
			base, path = rt.BaseURL, rt.Path+strings.TrimSuffix("?"+query, "?")
			for k, v := range rt.Headers {
				header.Set(k, v)
			}
		}
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
		needs, names = append(needs, perm{name, act.Permission}), append(names, act.Name)
		last = f
	}
	switch {
	case probed == 0:
		step.Skip(kit.Text(r.tag, "probe_none"))
	case r.def.Routes != nil && len(needs)+len(unfit) > 0:
		// A routed connector has actions some credentials can never run
		// (a tenant's cannot list tenants): kit's wording says whom to ask,
		// and tells the admin which actions to turn off.
		var snippet string
		if last != nil {
			status, snippet = last.HTTPStatus, last.Snippet
		}
		list := make([]string, len(needs))
		for i, n := range needs {
			list[i] = kit.Text(r.tag, "probe_needs", n.action, n.permission)
		}
		step.Fail(kit.ProbeFailure(r.tag, r.def.Name, list, unfit, names, status, snippet))
	case len(needs) > 0:
		list := make([]string, len(needs))
		for i, n := range needs {
			list[i] = kit.Text(r.tag, "action_needs", n.action, n.permission)
		}
		last.Hint = kit.Text(r.tag, "actions_missing", strings.Join(list, "; "), last.Hint)
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
			own := map[string]string{}
			for check, m := range f.URL.Messages {
				own[check] = c.say(tag, m, func(t definition.Translation) string { return t.Fields[f.ID].URLMessages[check] })
			}
			u, msg := normaliseURL(v, f.URL, cfg, tag, own)
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
