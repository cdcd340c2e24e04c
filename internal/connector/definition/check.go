package definition

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
)

// Placeholder is a {name} substitution in a path, header or parameter.
var Placeholder = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// Placeholders returns the names in s's {name} substitutions.
func Placeholders(s string) []string {
	var out []string
	for _, m := range Placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// semantic checks what the schema cannot: references between the parts,
// regular expressions and CEL expressions that compile.
func (p *parser) semantic(d *Definition) {
	fields := map[string]Field{}
	for i, f := range d.Fields {
		at := fmt.Sprintf("/fields/%d", i)
		if _, dup := fields[f.ID]; dup {
			p.add(at+"/id", "another field already has the id %q", f.ID)
		}
		fields[f.ID] = f
		p.checkField(d, at, f)
	}
	p.checkAuth(d, fields)
	p.checkGrant(d, fields)
	meta := metadataKeys(d)
	for _, name := range slices.Sorted(maps.Keys(d.Hosts)) {
		p.checkHost(d, "/hosts/"+name, d.Hosts[name], fields)
	}
	ids := map[string]bool{}
	for i, c := range d.Verify {
		at := fmt.Sprintf("/verify/%d", i)
		if ids[c.ID] {
			p.add(at+"/id", "another call already has the id %q", c.ID)
		}
		ids[c.ID] = true
		p.checkHostRef(d, at+"/host", c.Host)
		p.checkSubst(at+"/path", c.Path, fields, meta)
		for _, k := range slices.Sorted(maps.Keys(c.Headers)) {
			p.checkSubst(at+"/headers/"+k, c.Headers[k], fields, meta)
		}
		if c.Check != nil {
			p.compile(d, at+"/check/expr", c.Check.Expr, cel.BoolType)
		}
		for _, k := range slices.Sorted(maps.Keys(c.Store)) {
			if e := c.Store[k].Expr; e != "" {
				p.compile(d, at+"/store/"+k+"/expr", e, cel.StringType)
			}
		}
		if c.Passed != "" {
			p.compile(d, at+"/passed", c.Passed, cel.StringType)
		}
		if c.When != "" {
			p.compile(d, at+"/when", c.When, cel.BoolType)
		}
		if ch := c.Choices; ch != nil {
			p.checkChoices(d, at+"/choices", ch)
		}
	}
	if rs := d.Routes; rs != nil {
		for i, df := range rs.Defaults {
			p.compile(d, fmt.Sprintf("/routes/defaults/%d/expr", i), df.Expr, cel.StringType)
		}
		for i, r := range rs.Rules {
			at := fmt.Sprintf("/routes/rules/%d", i)
			p.compile(d, at+"/when", r.When, cel.BoolType)
			for k, src := range map[string]string{"error": r.Error, "path": r.Path} {
				if src != "" {
					p.compile(d, at+"/"+k, src, cel.StringType)
				}
			}
			for _, k := range slices.Sorted(maps.Keys(r.Headers)) {
				p.compile(d, at+"/headers/"+k, r.Headers[k], cel.StringType)
			}
			if r.Host != "" {
				p.checkHostRef(d, at+"/host", r.Host)
			}
		}
	}
	ids = map[string]bool{}
	for i, a := range d.Actions {
		at := fmt.Sprintf("/actions/%d", i)
		if ids[a.ID] {
			p.add(at+"/id", "another action already has the id %q", a.ID)
		}
		ids[a.ID] = true
		p.checkHostRef(d, at+"/host", a.Host)
		// Actions run through the proxy, which knows one base URL per
		// account and sends paths as written.
		if a.Host != d.Actions[0].Host {
			p.add(at+"/host", "every action must use the same host as the first (%q)", d.Actions[0].Host)
		}
		// {name} in an action's path is the caller's params.name (the proxy
		// fills it), so the permission stage needs a probe without them.
		if len(Placeholders(a.Path)) > 0 && a.Probe == "" {
			p.add(at+"/probe", "an action whose path takes parameters needs a probe path without them")
		}
		p.checkSubst(at+"/probe", a.Probe, fields, meta)
		// A POST probe is a search the author names on purpose, never the
		// action itself.
		if a.ProbeBody != "" && (a.Probe == "" || !json.Valid([]byte(a.ProbeBody))) {
			p.add(at+"/probe_body", "a probe body needs a probe path and must be JSON")
		}
	}
	for i, r := range d.Errors {
		at := fmt.Sprintf("/errors/%d", i)
		if r.When != "" {
			p.compile(d, at+"/when", r.When, cel.BoolType)
		}
		if r.HintExpr != "" {
			p.compile(d, at+"/hint_expr", r.HintExpr, cel.StringType)
		}
	}
	for i, id := range d.Identity {
		if _, isField := fields[id]; !isField && !meta[id] {
			p.add(fmt.Sprintf("/identity/%d", i), "%q is neither a field nor stored metadata", id)
		}
	}
	for i, s := range d.Show {
		if !meta[s.Key] {
			p.add(fmt.Sprintf("/show/%d/key", i), "no verification call or discovery stores metadata %q", s.Key)
		}
	}
	p.checkErrorIDs(d)
	p.checkTranslations(d.Translations, d.english(), func(at, src string) { p.compile(d, at, src, cel.StringType) })
}

func (p *parser) checkChoices(d *Definition, at string, ch *Choices) {
	if ch.Check != nil {
		p.compile(d, at+"/check/expr", ch.Check.Expr, cel.BoolType)
	}
	texts := map[string]string{"id": ch.ID, "name": ch.Name, "detail": ch.Detail}
	for k, src := range ch.Metadata {
		texts["metadata/"+k] = src
	}
	for i, c := range ch.Then {
		for k, src := range map[string]string{"id": c.ID, "name": c.Name, "detail": c.Detail} {
			texts[fmt.Sprintf("then/%d/%s", i, k)] = src
		}
		for k, src := range c.Metadata {
			texts[fmt.Sprintf("then/%d/metadata/%s", i, k)] = src
		}
	}
	for _, k := range slices.Sorted(maps.Keys(texts)) {
		if texts[k] != "" {
			p.compile(d, at+"/"+k, texts[k], cel.StringType)
		}
	}
}

func (p *parser) checkField(d *Definition, at string, f Field) {
	if !slices.Contains(stepIDs(d.UserGuide), f.GuideStep) {
		p.add(at+"/guide_step", "the user guide has no step with the id %q", f.GuideStep)
	}
	if f.Pattern != nil {
		if _, err := regexp.Compile(f.Pattern.Regex); err != nil {
			p.add(at+"/pattern/regex", "not a valid regular expression: %v", err)
		}
	}
	if f.URL != nil && f.Kind != "url" {
		p.add(at+"/url", "only a field of kind url can have URL rules")
	}
	if (f.Kind == "select") != (len(f.Options) > 0) {
		p.add(at+"/options", "a select field needs options, and only a select field has them")
	}
}

func (p *parser) checkAuth(d *Definition, fields map[string]Field) {
	ref := func(at, id string, secret bool) {
		f, ok := fields[id]
		switch {
		case id == "":
		case !ok:
			p.add(at, "no field has the id %q", id)
		case secret && f.Kind != "secret":
			p.add(at, "field %q must be of kind secret", id)
		case !secret && f.Kind == "secret":
			p.add(at, "field %q is a secret; this value is sent in the clear", id)
		}
	}
	a := d.Auth
	switch a.Type {
	case AuthClientCredentials, AuthPassword:
		ref("/auth/token/client_id", a.Token.ClientID, false)
		ref("/auth/token/client_secret", a.Token.ClientSecret, true)
		p.checkHostRef(d, "/auth/token/host", a.Token.Host)
		for i, path := range a.Token.Paths {
			p.checkSubst(fmt.Sprintf("/auth/token/paths/%d", i), path, fields, nil)
		}
		for _, k := range slices.Sorted(maps.Keys(a.Token.Params)) {
			p.checkSubst("/auth/token/params/"+k, a.Token.Params[k], fields, nil)
		}
		p.checkSubst("/auth/token/passed", a.Token.Passed, fields, metadataKeys(d))
		if nf := a.Token.NotFound; nf != nil {
			for i, r := range nf.Rules {
				at := fmt.Sprintf("/auth/token/not_found/rules/%d", i)
				if r.When != "" {
					p.compile(d, at+"/when", r.When, cel.BoolType)
				}
				// The last rule is the verdict when no other holds.
				if last := i == len(nf.Rules)-1; last != (r.When == "") {
					p.add(at+"/when", "only the last rule, and it always, has no condition")
				}
			}
		}
	case AuthAPIKey:
		ref("/auth/secret", a.Secret, true)
		secrets := 0
		for _, name := range Placeholders(a.Value) {
			if f, ok := fields[name]; !ok {
				p.add("/auth/value", "no field has the id %q", name)
			} else if f.Kind == "secret" {
				secrets++
			}
		}
		if a.Value != "" && secrets == 0 {
			p.add("/auth/value", "the value holds no secret field, so it proves nothing")
		}
	case AuthBasic:
		ref("/auth/username", a.Username, false)
		ref("/auth/password", a.Password, true)
		p.checkSubst("/auth/username_value", a.UsernameValue, fields, nil)
	}
	for _, k := range slices.Sorted(maps.Keys(a.Headers)) {
		p.checkSubst("/auth/headers/"+k, a.Headers[k], fields, nil)
	}
	if a.Type != AuthClientCredentials && a.Type != AuthPassword && a.Token != nil {
		p.add("/auth/token", "only auth types %s and %s have a token request", AuthClientCredentials, AuthPassword)
	}
}

func (p *parser) checkHost(d *Definition, at string, h Host, fields map[string]Field) {
	p.checkSubst(at+"/path", h.Path, fields, metadataKeys(d))
	if h.Metadata != "" && !metadataKeys(d)[h.Metadata] {
		p.add(at+"/metadata", "no verification call, choice or discovery stores metadata %q", h.Metadata)
	}
	if h.Field != "" {
		if f, ok := fields[h.Field]; !ok || f.Kind != "url" {
			p.add(at+"/field", "no field of kind url has the id %q", h.Field)
		}
	}
	if h.RegionField == "" {
		if h.Discover != nil || h.DefaultRegion != "" || h.TryEach != nil {
			p.add(at, "discovery and a default region need region_field and regions")
		}
		return
	}
	if h.TryEach != nil && (d.Auth.Type != AuthClientCredentials || d.Hosts[d.Auth.Token.Host].RegionField != h.RegionField) {
		p.add(at+"/try_each", "trying each region asks each region's token endpoint; the token host must use the same region field")
	}
	f, ok := fields[h.RegionField]
	if !ok || f.Kind != "select" {
		p.add(at+"/region_field", "no select field has the id %q", h.RegionField)
		return
	}
	regions := map[string]bool{}
	for _, r := range h.Regions {
		regions[r.ID] = true
	}
	if h.DefaultRegion != "" && !regions[h.DefaultRegion] {
		p.add(at+"/default_region", "%q is not one of the host's regions", h.DefaultRegion)
	}
	for _, o := range f.Options {
		if !regions[o.Value] && h.DefaultRegion == "" && h.TryEach == nil {
			p.add(at+"/region_field", "option %q of field %q is not a region; add it or set default_region", o.Value, f.ID)
		}
	}
	if h.Discover != nil && d.Auth.Token == nil {
		p.add(at+"/discover", "discovery reads the token answer; auth type %s has none", d.Auth.Type)
	}
	if h.Discover != nil && h.Discover.When != "" {
		p.compile(d, at+"/discover/when", h.Discover.When, cel.BoolType)
	}
}

func (p *parser) checkHostRef(d *Definition, at, name string) {
	if _, ok := d.Hosts[name]; !ok {
		p.add(at, "no host is named %q (hosts: %s)", name, strings.Join(slices.Sorted(maps.Keys(d.Hosts)), ", "))
	}
}

// checkSubst checks that every {name} in s is a non-secret field or a
// metadata key (meta nil: fields only).
func (p *parser) checkSubst(at, s string, fields map[string]Field, meta map[string]bool) {
	for _, name := range Placeholders(s) {
		f, isField := fields[name]
		switch {
		case isField && f.Kind == "secret":
			p.add(at, "{%s} is a secret field; secrets never go into addresses or headers", name)
		case !isField && !meta[name]:
			p.add(at, "{%s} is neither a field nor stored metadata", name)
		}
	}
}

func (p *parser) compile(d *Definition, at, src string, want *cel.Type) {
	if p.lazy {
		d.exprs[src] = &Expr{src: src, want: want}
		return
	}
	e, err := compileExpr(src, want)
	if err != nil {
		p.add(at, "%s", strings.ReplaceAll(err.Error(), "\n", " "))
		return
	}
	d.exprs[src] = e
}

// metadataKeys are the keys the test can store: discovered regions and
// values stored by verification calls.
func metadataKeys(d *Definition) map[string]bool {
	keys := map[string]bool{}
	for _, h := range d.Hosts {
		if h.Discover != nil {
			keys[h.Discover.Metadata] = true
		}
	}
	for _, h := range d.Hosts {
		if h.TryEach != nil {
			keys[h.TryEach.Metadata] = true
		}
	}
	if t := d.Auth.Token; t != nil {
		for _, k := range []string{t.PathMetadata, t.ScopeMetadata} {
			if k != "" {
				keys[k] = true
			}
		}
	}
	for _, c := range d.Verify {
		for k := range c.Store {
			keys[k] = true
		}
		if ch := c.Choices; ch != nil {
			for k := range ch.Metadata {
				keys[k] = true
			}
			for _, t := range ch.Then {
				for k := range t.Metadata {
					keys[k] = true
				}
			}
		}
	}
	if d.Routes != nil {
		for _, df := range d.Routes.Defaults {
			keys[df.Key] = true
		}
	}
	return keys
}

func stepIDs(g Guide) []string {
	var ids []string
	for _, s := range g.Sections {
		for _, st := range s.Steps {
			ids = append(ids, st.ID)
		}
	}
	return ids
}
