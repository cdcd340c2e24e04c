package engine

import (
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// grants are the permissions a token's claim lists; nil when the definition
// reads no claim or the token is not a JWT Linkhub can read, and then the
// calls themselves find a missing permission.
type grants []string

// granted reads the definition's permissions claim from tok. The signature
// is not checked: Linkhub is not the token's audience, it only reads what
// the vendor says it granted, and the vendor checks the token on each call.
// A token without the claim grants nothing (Microsoft issues one to an app
// with no consented permission).
func (c *Connector) granted(tok secret.Value) grants {
	name := c.def.Auth.Token.PermissionsClaim
	if name == "" {
		return nil
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(tok.Reveal(), claims); err != nil {
		return nil
	}
	out := grants{}
	switch v := claims[name].(type) {
	case []any:
		for _, p := range v {
			if s, ok := p.(string); ok {
				out = append(out, s)
			}
		}
	case string: // some issuers send one permission, or a space-separated list
		out = append(out, strings.Fields(v)...)
	}
	return out
}

// allows reports whether g holds any of need; a nil g (unknown) or no need
// allows, so the vendor's own answer decides.
func (g grants) allows(need []string) bool {
	return g == nil || len(need) == 0 || slices.ContainsFunc(need, func(p string) bool { return slices.Contains(g, p) })
}

// snippet shows the claim for the IT team: permission names, never the token.
func (g grants) snippet(claim string) string {
	if len(g) == 0 {
		return claim + ": (none)"
	}
	return claim + ": " + strings.Join(g, ", ")
}

// lacking is the failure of a call whose permission the token's claim does
// not list, found before the call is made.
func (r *run) lacking(need []string) *kit.Failure {
	if r.grants.allows(need) {
		return nil
	}
	fact := kit.Text(r.tag, "claim_none", r.def.Name, strings.Join(need, " or "))
	if len(need) == 1 {
		fact = kit.Text(r.tag, "claim_lacks", r.def.Name, need[0])
	}
	return &kit.Failure{Reason: linkhub.ReasonPermissionMissing, Hint: fact + " " + r.hint(r.tag, linkhub.ReasonPermissionMissing, ""),
		Snippet: r.grants.snippet(r.def.Auth.Token.PermissionsClaim)}
}

// actionGrants is what allows act: its granted_by, else its permission.
func actionGrants(granted []string, permission string) []string {
	if len(granted) > 0 {
		return granted
	}
	return []string{permission}
}
