package engine

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Connect returns the connector of def calling out under cfg: a
// linkhub.Router too when the definition routes its calls per account.
func Connect(def *definition.Definition, cfg kit.Config) linkhub.Connector {
	c := New(def, cfg)
	if def.Routes != nil {
		return Routed{c}
	}
	return c
}

// Routed is a connector whose definition routes each call (Sophos: a
// tenant's data region with X-Tenant-ID, or the global host with the
// partner's or organization's id header).
type Routed struct{ *Connector }

var _ linkhub.Router = Routed{}

// Route implements linkhub.Router.
func (r Routed) Route(metadata map[string]string, actionID, path string) (linkhub.Route, error) {
	return r.route("en", metadata, actionID, path)
}

// route is where one call goes for an account with metadata: the one rule
// list that the permission probes, the actions, the proxy and Token share,
// so that they cannot disagree. A refusal is worded in the language tag.
func (c *Connector) route(tag string, metadata map[string]string, actionID, path string) (linkhub.Route, error) {
	rs := c.def.Routes
	meta := maps.Clone(metadata)
	if meta == nil {
		meta = map[string]string{}
	}
	vars := definition.Vars{Metadata: meta, Hosts: c.fixedHosts(), Action: actionID, Path: path}
	for _, d := range rs.Defaults {
		if meta[d.Key] == "" {
			if v, err := c.def.Expr(d.Expr).String(vars); err == nil {
				meta[d.Key] = v
			}
		}
	}
	for _, rule := range rs.Rules {
		if ok, err := c.def.Expr(rule.When).Bool(vars); err != nil || !ok {
			continue
		}
		if rule.Error != "" {
			msg := c.evalText(tag, rule.Error, func(t definition.Translation) string { return t.HintExprs[rule.ID] }, vars)
			if msg == "" {
				msg = "This " + c.def.Name + " account cannot make this call."
			}
			return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "%s", msg)
		}
		base := c.hosts[rule.Host].base(nil, meta)
		if base == "" && rule.HostError != "" {
			msg := c.say(tag, rule.HostError, func(t definition.Translation) string { return t.Hints[rule.ID] })
			return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "%s", msg)
		}
		if base == "" {
			return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "This %s account has no known address. Test the connection again.", c.def.Name)
		}
		rt := linkhub.Route{BaseURL: base, Path: path, Headers: map[string]string{}}
		if rule.Path != "" {
			if p, err := c.def.Expr(rule.Path).String(vars); err == nil && strings.HasPrefix(p, "/") {
				rt.Path = p
			}
		}
		for _, k := range slices.Sorted(maps.Keys(rule.Headers)) {
			if v, err := c.def.Expr(rule.Headers[k]).String(vars); err == nil && v != "" {
				rt.Headers[k] = v
			}
		}
		return rt, nil
	}
	return linkhub.Route{}, linkhub.Errorf(linkhub.EINVALID, "This %s account cannot make this call.", c.def.Name)
}

// fixedHosts are the deployment's base URLs of the definition's fixed
// hosts, for expressions (hosts.api).
func (c *Connector) fixedHosts() map[string]string {
	out := map[string]string{}
	for name, h := range c.hosts {
		if h.url != "" {
			out[name] = h.url
		}
	}
	return out
}

// allowed reports whether u, a base URL the vendor named, may be called for
// a metadata host: an https origin on one of the host's domains, or on a
// host the deployment's overrides name (fakes, staging).
func (h *host) allowed(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || p.User != nil || p.Path != "" && p.Path != "/" || p.RawQuery != "" || p.Fragment != "" || p.Hostname() == "" {
		return false
	}
	if len(h.overridden) > 0 {
		return slices.ContainsFunc(h.overridden, func(o string) bool { return strings.EqualFold(o, p.Host) })
	}
	name := strings.ToLower(p.Hostname())
	return slices.ContainsFunc(h.def.Domains, func(d string) bool { return strings.HasSuffix(name, d) })
}
