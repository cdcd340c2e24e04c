package definition

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// checkGrant checks the token request's extras: the password grant, the
// scope per region, the documented lifetime and the permissions claim.
func (p *parser) checkGrant(d *Definition, fields map[string]Field) {
	t := d.Auth.Token
	if t == nil {
		p.checkGrantedBy(d, "")
		return
	}
	// The type says which grant; the keys must match it.
	switch password := d.Auth.Type == AuthPassword; {
	case password && t.Username == "":
		p.add("/auth/token", "auth type %s needs username, password and public_client", AuthPassword)
	case !password && t.Username != "":
		p.add("/auth/token/username", "a password grant needs auth type %s", AuthPassword)
	}
	if t.Username != "" {
		if f, ok := fields[t.Username]; !ok || f.Kind == "secret" {
			p.add("/auth/token/username", "no field that is not a secret has the id %q", t.Username)
		}
		if f, ok := fields[t.Password]; !ok || f.Kind != "secret" {
			p.add("/auth/token/password", "no secret field has the id %q", t.Password)
		}
		// The public client signs in by Basic; the grant is the password one.
		if t.GrantType != nil && *t.GrantType != "password" {
			p.add("/auth/token/grant_type", "a request with username and password is a password grant; leave grant_type out or set it to password")
		}
		if t.ClientAuth != "" {
			p.add("/auth/token/client_auth", "a password grant authenticates its public client by HTTP Basic; leave client_auth out")
		}
	}
	if len(t.Scopes) > 0 {
		p.checkScopes(d, t)
	}
	if t.Lifetime != "" {
		if life, err := time.ParseDuration(t.Lifetime); err != nil || life < time.Minute {
			p.add("/auth/token/lifetime", "must be a duration of at least a minute, like 100h or 3600s")
		}
	}
	p.checkGrantedBy(d, t.PermissionsClaim)
}

// checkScopes holds a scope per region to the token host's regions: one
// for each, and none for a region the host lacks.
func (p *parser) checkScopes(d *Definition, t *Token) {
	h, ok := d.Hosts[t.Host]
	if !ok {
		return // checkAuth reported it
	}
	if t.Scope != "" {
		p.add("/auth/token/scopes", "give scope or scopes, not both")
	}
	if h.RegionField == "" {
		p.add("/auth/token/scopes", "a scope per region needs a token host with regions; host %q has none", t.Host)
		return
	}
	regions := map[string]bool{}
	for _, r := range h.Regions {
		regions[r.ID] = true
		if t.Scopes[r.ID] == "" {
			p.add("/auth/token/scopes", "region %q of host %q has no scope", r.ID, t.Host)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(t.Scopes)) {
		if !regions[k] {
			p.add("/auth/token/scopes/"+k, "%q is not a region of host %q", k, t.Host)
		}
	}
}

// checkGrantedBy allows granted_by only where a permissions claim is read.
func (p *parser) checkGrantedBy(d *Definition, claim string) {
	if claim != "" {
		return
	}
	const msg = "granted_by is checked against the token's permissions claim; set auth.token.permissions_claim"
	for i, c := range d.Verify {
		if len(c.GrantedBy) > 0 {
			p.add(fmt.Sprintf("/verify/%d/granted_by", i), msg)
		}
	}
	for i, a := range d.Actions {
		if len(a.GrantedBy) > 0 {
			p.add(fmt.Sprintf("/actions/%d/granted_by", i), msg)
		}
	}
}
