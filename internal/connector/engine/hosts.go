package engine

import (
	"net/url"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// host is a definition's host after the deployment's overrides.
type host struct {
	def     definition.Host
	url     string              // fixed URL
	regions []definition.Region // in the definition's order
	// overridden are the hosts (host:port) of the deployment's overrides:
	// with any, a metadata host may point only at them.
	overridden []string
}

// resolveHosts applies overrides (LINKHUB_CONNECTOR_<ID>_HOSTS): "name" replaces
// a fixed host, "name.region" a region's URL. Once any region of a host is
// overridden only the overridden regions exist, so a test or a staging
// deployment never reaches a real region by accident.
func resolveHosts(def *definition.Definition, overrides map[string]string) map[string]*host {
	out := map[string]*host{}
	var overridden []string
	for _, u := range overrides {
		if p, err := url.Parse(u); err == nil && p.Host != "" {
			overridden = append(overridden, p.Host)
		}
	}
	for name, h := range def.Hosts {
		r := &host{def: h, url: h.URL, regions: h.Regions}
		if u, ok := overrides[name]; ok {
			r.url = strings.TrimSuffix(u, "/")
		}
		var own []definition.Region
		for _, reg := range h.Regions {
			if u, ok := overrides[name+"."+reg.ID]; ok {
				own = append(own, definition.Region{ID: reg.ID, URL: strings.TrimSuffix(u, "/")})
			}
		}
		if own != nil {
			r.regions = own
		}
		if h.Metadata != "" {
			r.overridden = overridden
		}
		out[name] = r
	}
	return out
}

// OverrideKeys returns the keys LINKHUB_CONNECTOR_<ID>_HOSTS accepts for def.
func OverrideKeys(def *definition.Definition) []string {
	var keys []string
	for name, h := range def.Hosts {
		switch {
		case h.URL != "":
			keys = append(keys, name)
		case h.RegionField != "":
			for _, r := range h.Regions {
				keys = append(keys, name+"."+r.ID)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// region returns the region a host uses for values and metadata: the
// discovered one, else the field's, else the default.
func (h *host) region(values, metadata map[string]string) string {
	if d := h.def.Discover; d != nil && metadata[d.Metadata] != "" {
		return metadata[d.Metadata]
	}
	if te := h.def.TryEach; te != nil && h.has(metadata[te.Metadata]) {
		return metadata[te.Metadata]
	}
	if v := values[h.def.RegionField]; h.has(v) {
		return v
	}
	// "I don't know" starts at the default region, or at the first this
	// deployment has when the overrides left the default out.
	if h.has(h.def.DefaultRegion) || len(h.regions) == 0 {
		return h.def.DefaultRegion
	}
	return h.regions[0].ID
}

// offered narrows each region field's options to the regions this
// deployment has, so a region the overrides left out is not offered (it
// would fail only at submit). An option that names no region of the
// definition, like "auto", stays.
func offered(fields []linkhub.Field, hosts map[string]*host) []linkhub.Field {
	out := slices.Clone(fields)
	for _, h := range hosts {
		if h.def.RegionField == "" {
			continue
		}
		for i := range out {
			if out[i].ID != h.def.RegionField {
				continue
			}
			out[i].Options = slices.DeleteFunc(slices.Clone(out[i].Options), func(o linkhub.Option) bool {
				known := slices.ContainsFunc(h.def.Regions, func(r definition.Region) bool { return r.ID == o.Value })
				return known && !h.has(o.Value)
			})
		}
	}
	return out
}

// candidates returns the regions a try-each host signs in at, in order:
// the one known, else every region this deployment has.
func (h *host) candidates(values, metadata map[string]string) []string {
	if reg := metadata[h.def.TryEach.Metadata]; h.has(reg) {
		return []string{reg}
	}
	if reg := values[h.def.RegionField]; h.has(reg) {
		return []string{reg}
	}
	ids := make([]string, len(h.regions))
	for i, r := range h.regions {
		ids[i] = r.ID
	}
	return ids
}

// bases returns every base URL the test may call on the host: one, or each
// candidate region's for a try-each host whose region is not known yet.
func (h *host) bases(values, metadata map[string]string) []string {
	if h.def.TryEach == nil {
		return []string{h.base(values, metadata)}
	}
	var out []string
	for _, reg := range h.candidates(values, metadata) {
		out = append(out, h.base(values, map[string]string{h.def.TryEach.Metadata: reg}))
	}
	return out
}

func (h *host) has(region string) bool {
	return slices.ContainsFunc(h.regions, func(r definition.Region) bool { return r.ID == region })
}

func (h *host) regionURL(region string) string {
	for _, r := range h.regions {
		if r.ID == region {
			return r.URL
		}
	}
	return ""
}

// base returns the host's base URL for values and metadata; "" when it has
// none (a region not available here).
func (h *host) base(values, metadata map[string]string) string {
	var u string
	switch {
	case h.def.Field != "":
		u = values[h.def.Field]
	case h.def.RegionField != "":
		u = h.regionURL(h.region(values, metadata))
	case h.def.Metadata != "":
		if u = strings.TrimSuffix(metadata[h.def.Metadata], "/"); !h.allowed(u) {
			return ""
		}
	default:
		u = h.url
	}
	if u == "" || h.def.Path == "" {
		return u
	}
	// A value may hold slashes (an API root like v4_6_release/) but never
	// a query, a fragment or anything else that leaves the path.
	return u + definition.Placeholder.ReplaceAllStringFunc(h.def.Path, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := values[name]
		if !ok {
			v = metadata[name]
		}
		return strings.ReplaceAll(url.PathEscape(v), "%2F", "/")
	})
}
