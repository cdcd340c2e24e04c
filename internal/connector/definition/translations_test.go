package definition_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// oktaWith returns okta.yaml without its own translations and with block
// appended as its translations.
func oktaWith(t *testing.T, block string) string {
	t.Helper()
	base := mustRead(t, "okta.yaml")
	if i := strings.Index(base, "\ntranslations:"); i >= 0 {
		base = base[:i+1]
	}
	return base + "\ntranslations:\n" + block
}

// wantProblem parses text as okta.yaml and wants it refused, first for
// field at line, with a message holding msg.
func wantProblem(t *testing.T, text string, line int, field, msg string) {
	t.Helper()
	d, err := definition.Parse("okta.yaml", []byte(text))
	var ps definition.Problems
	if d != nil || !errors.As(err, &ps) {
		t.Fatalf("got %v, %v, want Problems", d, err)
	}
	want := "okta.yaml:" + strconv.Itoa(line) + ": " + field + ": "
	if !strings.HasPrefix(ps[0].String(), want) || !strings.Contains(ps[0].Message, msg) {
		t.Fatalf("got %q, want %q... holding %q (all: %v)", ps[0].String(), want, msg, err)
	}
}

// TestParse_TranslationProblems checks that each kind of mistake in a
// translations block is reported at its file, line and field, and the
// definition is refused.
func TestParse_TranslationProblems(t *testing.T) {
	for _, tt := range []struct {
		name, block, marker, field, msg string
	}{
		{"UnknownLanguage", "  pt:\n    summary: Identidade\n", "  pt:", "translations.pt", `"pt" is not a hub language`},
		{"English", "  en:\n    summary: Identity\n", "  en:", "translations.en", "English is the definition itself"},
		{"PseudoLocale", "  en-XA:\n    summary: Identity\n", "  en-XA:", "translations.en-XA", "generated from the English"},
		{"UnknownField", "  de:\n    fields:\n      domain: {label: Domäne}\n", "      domain:", "translations.de.fields.domain", `no field with the id "domain"`},
		{"NoPlaceholderInEnglish", "  de:\n    fields:\n      api_token: {placeholder: Token}\n", "      api_token:", "translations.de.fields.api_token.placeholder", "no such text"},
		{"UnknownSection", "  de:\n    user_guide:\n      sections:\n        tokens: {title: Token}\n", "        tokens:", "translations.de.user_guide.sections.tokens", `no section with the id "tokens"`},
		{"UnknownStep", "  de:\n    user_guide:\n      sections:\n        token:\n          steps:\n            paste-token: Einfügen\n", "            paste-token:", "translations.de.user_guide.sections.token.steps.paste-token", `no step with the id "paste-token"`},
		{"UnknownAction", "  fr:\n    actions:\n      list_devices: {name: Lister}\n", "      list_devices:", "translations.fr.actions.list_devices", `no action with the id "list_devices"`},
		{"UnknownShow", "  fr:\n    show:\n      okta_org: Org\n", "      okta_org:", "translations.fr.show.okta_org", `shows no metadata "okta_org"`},
		{"UnknownHintID", "  es:\n    hints:\n      okta_bad_token: Token\n", "      okta_bad_token:", "translations.es.hints.okta_bad_token", `no error rule has the id "okta_bad_token"`},
		{"ReasonWithoutHint", "  es:\n    hints:\n      timeout: Tiempo\n", "      timeout:", "translations.es.hints.timeout", `no hint for reason "timeout"`},
		{"HintOfExprRule", "  es:\n    hints:\n      okta_rate_limited: Límite\n", "      okta_rate_limited:", "translations.es.hints.okta_rate_limited", "translate it under hint_exprs"},
		{"UnknownHintExpr", "  it:\n    hint_exprs:\n      okta_invalid_token: '\"x\"'\n", "      okta_invalid_token:", "translations.it.hint_exprs.okta_invalid_token", "no error rule with a hint_expr"},
		{"UnknownPassed", "  it:\n    passed:\n      users: '\"x\"'\n", "      users:", "translations.it.passed.users", "no verify call with a passed expression"},
		{"WarningsCount", "  nl:\n    user_guide:\n      sections:\n        token:\n          warnings: [Een, Twee]\n", "          warnings:", "translations.nl.user_guide.sections.token.warnings", "has 2 warnings, the English has 1"},
		{"PlaceholderDiffers", "  de:\n    summary: 'Identität {okta_domain}'\n", "    summary:", "translations.de.summary", "placeholders {okta_domain} differ from the English (none)"},
		{"VerbDiffers", "  de:\n    hints:\n      okta_invalid_token: 'Okta lehnt %s ab.'\n", "      okta_invalid_token:", "translations.de.hints.okta_invalid_token", `verbs ["%s"] differ from the English []`},
		{"PassedNotString", "  ja:\n    passed:\n      me: 'status == 200'\n", "      me:", "translations.ja.passed.me", "gives bool, want string"},
		{"HintExprSyntax", "  ja:\n    hint_exprs:\n      okta_rate_limited: '\"Okta\" +'\n", "      okta_rate_limited:", "translations.ja.hint_exprs.okta_rate_limited", "Syntax error"},
		{"UnknownKeyInSchema", "  de:\n    title: Okta\n", "    title:", "translations.de.title", "additional properties 'title' not allowed"},
		{"EmptyString", "  de:\n    summary: ''\n", "    summary:", "translations.de.summary", "minLength"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := oktaWith(t, tt.block)
			wantProblem(t, text, lineOf(t, text, "\n"+tt.marker)+1, tt.field, tt.msg)
		})
	}
}

// TestParse_ErrorRuleIDs checks the optional ids of error rules: lower
// snake case, unique, and never a reason code.
func TestParse_ErrorRuleIDs(t *testing.T) {
	base := mustRead(t, "okta.yaml")
	for _, tt := range []struct{ name, old, new, field, msg string }{
		{"NotSnakeCase", "id: okta_invalid_token", "id: Okta-Invalid", "errors[0].id", "does not match pattern"},
		{"ReasonCode", "id: okta_invalid_token", "id: bad_credentials", "errors[0].id", `"bad_credentials" is a reason code`},
		{"Duplicate", "id: okta_missing_privilege", "id: okta_invalid_token", "errors[1].id", `another error rule already has the id "okta_invalid_token"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("%q not in okta.yaml", tt.old)
			}
			text := strings.Replace(base, tt.old, tt.new, 1)
			line := lineOf(t, text, tt.new)
			if tt.name == "Duplicate" {
				line = strings.Count(text[:strings.LastIndex(text, tt.new)], "\n") + 1
			}
			wantProblem(t, text, line, tt.field, tt.msg)
		})
	}
}

// TestParse_Translations checks that a valid block reaches the spec, and
// Localized uses it with English for what it leaves out.
func TestParse_Translations(t *testing.T) {
	text := oktaWith(t, `  de:
    fields:
      api_token:
        label: API-Token
        pattern_message: Ein Okta-API-Token beginnt mit 00.
    user_guide:
      sections:
        token:
          steps:
            copy-token: Kopieren Sie den Token-Wert sofort in dieses Formular.
          warnings: [Der Token wird nur einmal angezeigt.]
    actions:
      list_users: {name: Benutzer auflisten}
    hints:
      okta_invalid_token: Okta hat den API-Token abgelehnt.
      not_vendor: Die Adresse antwortet, aber nicht wie Okta.
    hint_exprs:
      okta_rate_limited: '"Das Rate-Limit von Okta ist aufgebraucht."'
    passed:
      me: '"Bei Okta angemeldet als " + metadata["okta_user"] + "."'
    show:
      okta_user: Okta-Dienstkonto
`)
	d, err := definition.Parse("okta.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if d.Translations["de"].HintExprs["okta_rate_limited"] == "" || d.Expr(d.Translations["de"].Passed["me"]) == nil {
		t.Fatal("the translated CEL was not compiled")
	}
	de := d.Spec().Localized("de")
	if de.Fields[1].Label != "API-Token" || de.Fields[0].Label != "Okta domain" {
		t.Errorf("fields: got %q, %q, want the German label and the English fallback", de.Fields[1].Label, de.Fields[0].Label)
	}
	if sec := de.UserGuide.Sections[1]; sec.Steps[2].Text != "Kopieren Sie den Token-Wert sofort in dieses Formular." || sec.Steps[0].Text == "" || sec.Warnings[0] != "Der Token wird nur einmal angezeigt." {
		t.Errorf("guide: got %+v", sec)
	}
	if de.Actions[0].Name != "Benutzer auflisten" || de.Actions[1].Name != "List groups" || de.MetadataLabels[0].Label != "Okta-Dienstkonto" {
		t.Errorf("actions, metadata: got %+v, %+v", de.Actions, de.MetadataLabels)
	}
	if h := d.Spec().Text["de"].Hints; h["okta_invalid_token"] == "" || h["not_vendor"] == "" {
		t.Errorf("hints: got %v", h)
	}
	gaps := d.Gaps("de")
	if !slices.Contains(gaps, "fields.okta_domain.label") || !slices.Contains(gaps, "user_guide.sections.account.warnings") ||
		slices.Contains(gaps, "fields.api_token.label") || slices.Contains(gaps, "passed.me") || slices.Contains(gaps, "fields.okta_domain.placeholder") {
		t.Errorf("gaps: got %v, want what the block leaves out, and no example value", gaps)
	}
	if fr := d.Spec().Localized("fr"); fr.Fields[1].Label != "API token" {
		t.Errorf("a language without translations: got %q, want English", fr.Fields[1].Label)
	}
}

// TestParseTranslations checks a Go connector's translations file against
// the English it is given.
func TestParseTranslations(t *testing.T) {
	en := definition.English{
		Spec: linkhub.ConnectorSpec{ID: "jamf", Name: "Jamf Pro",
			Fields: []linkhub.Field{{ID: "client_id", Label: "Client ID", Help: "From the API client."}}},
		Hints:           map[string]string{"jamf_too_old": "Jamf Pro %s has no API clients."},
		PatternMessages: map[string]string{"client_id": "A client ID is a UUID."},
	}
	good := "translations:\n  de:\n    fields:\n      client_id: {label: Client-ID, pattern_message: Eine Client-ID ist eine UUID.}\n    hints:\n      jamf_too_old: Jamf Pro %s hat keine API-Clients.\n"
	text, err := definition.ParseTranslations("translations.yaml", []byte(good), en)
	if err != nil {
		t.Fatal(err)
	}
	if text["de"].Fields["client_id"].PatternMessage != "Eine Client-ID ist eine UUID." || text["de"].Hints["jamf_too_old"] == "" {
		t.Fatalf("got %+v", text["de"])
	}
	for _, tt := range []struct{ name, doc, want string }{
		{"Verb", strings.Replace(good, "Jamf Pro %s hat", "Jamf Pro hat", 1), `translations.yaml:6: translations.de.hints.jamf_too_old: verbs [] differ from the English ["%s"]`},
		{"OtherKey", "name: Jamf\n" + good, "translations.yaml:1: name: additional properties 'name' not allowed"},
		{"Language", strings.Replace(good, "  de:", "  xx:", 1), `translations.yaml:2: translations.xx: "xx" is not a hub language`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := definition.ParseTranslations("translations.yaml", []byte(tt.doc), en)
			var ps definition.Problems
			if !errors.As(err, &ps) || !strings.HasPrefix(ps[0].String(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
		})
	}
}
