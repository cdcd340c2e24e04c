package definition_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/definition"
)

// TestParse_GrantProblems checks the token request's extras: the password
// grant's fields, a scope per region, the lifetime and the permissions
// claim, each mistake reported on its field.
func TestParse_GrantProblems(t *testing.T) {
	for _, tt := range []struct {
		name, file, old, new, field, msg string
	}{
		{"PasswordNotSecret", "dattormm.yaml", "password: api_secret", "password: api_key", "auth.token.password", `no secret field has the id "api_key"`},
		{"UsernameSecret", "dattormm.yaml", "username: api_key", "username: api_secret", "auth.token.username", `no field that is not a secret has the id "api_secret"`},
		{"PasswordOtherGrant", "dattormm.yaml", "username: api_key", "username: api_key\n    grant_type: client_credentials", "auth.token.grant_type", "is a password grant"},
		{"PasswordWithoutPublicClient", "dattormm.yaml", "public_client: {id: public-client, secret: public}", "", "auth.token", "missing properties 'client_id', 'client_secret'"},
		{"PasswordGrantWrongType", "dattormm.yaml", "type: oauth2_password", "type: oauth2_client_credentials", "auth.token.username", "needs auth type oauth2_password"},
		{"PasswordTypeWithoutGrant", "msgraph.yaml", "type: oauth2_client_credentials", "type: oauth2_password", "auth.token", "needs username, password and public_client"},
		{"BadLifetime", "dattormm.yaml", "lifetime: 100h", "lifetime: 1s", "auth.token.lifetime", "at least a minute"},
		{"ScopeMissingForRegion", "msgraph.yaml", "      china: https://microsoftgraph.chinacloudapi.cn/.default\n", "", "auth.token.scopes", `region "china" of host "login" has no scope`},
		{"ScopeForUnknownRegion", "msgraph.yaml", "      china: https://microsoftgraph.chinacloudapi.cn/.default\n",
			"      china: https://microsoftgraph.chinacloudapi.cn/.default\n      mars: https://graph.mars/.default\n", "auth.token.scopes.mars", `"mars" is not a region of host "login"`},
		{"ScopeAndScopes", "msgraph.yaml", "    scopes:\n", "    scope: https://graph.microsoft.com/.default\n    scopes:\n", "auth.token.scopes", "not both"},
		{"GrantedByWithoutClaim", "msgraph.yaml", "    permissions_claim: roles\n", "", "verify[0].granted_by", "set auth.token.permissions_claim"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := mustRead(t, tt.file)
			if !strings.Contains(base, tt.old) {
				t.Fatalf("%q not in %s", tt.old, tt.file)
			}
			d, err := definition.Parse(tt.file, []byte(strings.Replace(base, tt.old, tt.new, 1)))
			var ps definition.Problems
			if d != nil || !errors.As(err, &ps) {
				t.Fatalf("got %v, %v, want Problems", d, err)
			}
			if ps[0].Field != tt.field || !strings.Contains(ps[0].Message, tt.msg) {
				t.Fatalf("got %q, want field %s holding %q (all: %v)", ps[0].String(), tt.field, tt.msg, err)
			}
		})
	}
}
