package definition_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/definition"
)

// TestParse_SeedProblems checks the rules of the parts the seed vendors
// brought (identity, not_found, metadata hosts, choices, routes): each
// mistake is reported at its field and line, and nothing is returned.
func TestParse_SeedProblems(t *testing.T) {
	for _, tt := range []struct {
		name, file, old, new, field, msg string
	}{
		{"IdentityUnknown", "jamf.yaml", "identity: [url]", "identity: [address]", "identity[0]", `"address" is neither a field nor stored metadata`},
		{"NotFoundVerdictLast", "jamf.yaml", "          reason: not_vendor\n", "          when: status == 404\n          reason: not_vendor\n",
			"auth.token.not_found.rules[1].when", "only the last rule, and it always, has no condition"},
		{"NotFoundUnknownReason", "jamf.yaml", "reason: vendor_too_old", "reason: too_old", "auth.token.not_found.rules[0].reason", "value must be one of"},
		{"MetadataHostUnknownKey", "sophos.yaml", "{metadata: api_host, domains", "{metadata: tenant_host, domains", "hosts.tenant.metadata",
			`stores metadata "tenant_host"`},
		{"MetadataHostNoDomains", "sophos.yaml", "{metadata: api_host, domains: [.sophos.com]}", "{metadata: api_host}", "hosts.tenant", "missing property 'domains'"},
		{"ChoiceUnknownVariable", "sophos.yaml", "      id: item.id\n", "      id: items.id\n", "verify[1].choices.id", "undeclared reference to 'items'"},
		{"RouteWhenNotBool", "sophos.yaml", "    - when: action == \"list_tenants\"\n", "    - when: action\n", "routes.rules[2].when", "want bool"},
		{"RouteUnknownHost", "sophos.yaml", "      host: tenant\n", "      host: tenants\n", "routes.rules[7].host", `no host is named "tenants"`},
		{"PagesTooMany", "sophos.yaml", "max: 20}", "max: 500}", "verify[1].pages.max", "maximum"},
		{"TryEachWithoutRegions", "ninjaone.yaml", "    region_field: region\n", "    field: region\n", "hosts.instance", "need region_field and regions"},
		// The ids that name the seeds' texts in translations, and the keys
		// those translations use.
		{"TextIDReason", "sophos.yaml", "      id: sophos_no_tenants\n", "      id: not_vendor\n", "verify[1].check.id", "is a reason code"},
		{"TextIDTwice", "jamf.yaml", "      id: jamf_no_version\n", "      id: jamf_too_old\n", "verify[0].check.id", `already has the id "jamf_too_old"`},
		{"TranslatedURLMessageUnknown", "jamf.yaml", "          empty: Geben Sie", "          ports: Geben Sie", "translations.de.fields.url.url_messages.ports",
			`no url message for "ports"`},
		{"TranslatedTokenPassedPlaceholder", "ninjaone.yaml", "In der Region {ninjaone_region} angemeldet.", "In der Region {region} angemeldet.",
			"translations.de.token_passed", "placeholders"},
		{"TranslatedChoicesCount", "sophos.yaml", "      partner_tenants:\n      - name: '\"Alle Mandanten: auf Partnerebene verknüpfen\"'\n",
			"      partner_tenants:\n      - name: '\"Alle\"'\n      - name: '\"Alle Mandanten: auf Partnerebene verknüpfen\"'\n",
			"translations.de.choices.partner_tenants", "has 2 choices, the English has 1"},
		{"TranslatedRouteErrorNotCEL", "sophos.yaml", "      sophos_no_details: '\"Zu diesem", "      sophos_no_details: '1 + \"Zu diesem",
			"translations.de.hint_exprs.sophos_no_details", "no matching overload"},
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
			for _, p := range ps {
				if p.Field == tt.field && strings.Contains(p.Message, tt.msg) && p.Line > 0 {
					return
				}
			}
			t.Fatalf("got %v, want a problem at %s holding %q with its line", err, tt.field, tt.msg)
		})
	}
}
