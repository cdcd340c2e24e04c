package definition

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"cel.dev/cel-go/cel"
	"go.yaml.in/yaml/v3"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Translation is a connector's end-user text in one language, keyed by the
// ids the English already has (docs/connectors.md, "translations").
// Whatever is left out falls back to English.
type Translation struct {
	Name      string                       `yaml:"name"`
	Summary   string                       `yaml:"summary"`
	Fields    map[string]FieldTranslation  `yaml:"fields"`
	UserGuide GuideTranslation             `yaml:"user_guide"`
	Actions   map[string]ActionTranslation `yaml:"actions"`
	// Hints are by reason code (the definition's hints) or by error rule id
	// (a rule's hint).
	Hints map[string]string `yaml:"hints"`
	// HintExprs and Passed are CEL, by error rule id and verify call id.
	HintExprs map[string]string `yaml:"hint_exprs"`
	Passed    map[string]string `yaml:"passed"`
	Show      map[string]string `yaml:"show"` // by metadata key
}

// FieldTranslation is a field's text in one language.
type FieldTranslation struct {
	Label          string            `yaml:"label"`
	Help           string            `yaml:"help"`
	Placeholder    string            `yaml:"placeholder"`
	PatternMessage string            `yaml:"pattern_message"`
	Options        map[string]string `yaml:"options"`
}

// GuideTranslation is the user guide in one language.
type GuideTranslation struct {
	Title    string                        `yaml:"title"`
	Sections map[string]SectionTranslation `yaml:"sections"`
}

// SectionTranslation is a guide section in one language.
type SectionTranslation struct {
	Title    string            `yaml:"title"`
	Intro    string            `yaml:"intro"`
	Steps    map[string]string `yaml:"steps"`
	Warnings []string          `yaml:"warnings"`
}

// ActionTranslation is an action's name and description in one language.
type ActionTranslation struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

func connectorText(tr map[string]Translation) map[string]linkhub.ConnectorText {
	if len(tr) == 0 {
		return nil
	}
	out := make(map[string]linkhub.ConnectorText, len(tr))
	for tag, t := range tr {
		ct := linkhub.ConnectorText{Name: t.Name, Summary: t.Summary, Hints: t.Hints, Metadata: t.Show,
			UserGuide: linkhub.GuideText{Title: t.UserGuide.Title}}
		if len(t.Fields) > 0 {
			ct.Fields = map[string]linkhub.FieldText{}
			for id, f := range t.Fields {
				ct.Fields[id] = linkhub.FieldText(f)
			}
		}
		if len(t.UserGuide.Sections) > 0 {
			ct.UserGuide.Sections = map[string]linkhub.SectionText{}
			for id, s := range t.UserGuide.Sections {
				ct.UserGuide.Sections[id] = linkhub.SectionText(s)
			}
		}
		if len(t.Actions) > 0 {
			ct.Actions = map[string]linkhub.ActionText{}
			for id, a := range t.Actions {
				ct.Actions[id] = linkhub.ActionText(a)
			}
		}
		out[tag] = ct
	}
	return out
}

// English is the text translations are checked against: a connector's spec
// and what the spec does not hold. Only the Go connectors fill it by hand;
// a definition's comes from the definition.
type English struct {
	Spec linkhub.ConnectorSpec
	// Hints are the English hints by id: reason codes and a connector's own
	// hint ids (a definition's error rule ids).
	Hints map[string]string
	// PatternMessages are the fields' validation messages by field id.
	PatternMessages map[string]string
	// HintExprs and Passed are the English CEL a translation may replace:
	// by error rule id and by verify call id.
	HintExprs map[string]string
	Passed    map[string]string
}

func (d *Definition) english() English {
	en := English{Spec: d.Spec(), Hints: maps.Clone(d.Hints), PatternMessages: map[string]string{},
		HintExprs: map[string]string{}, Passed: map[string]string{}}
	if en.Hints == nil {
		en.Hints = map[string]string{}
	}
	for _, f := range d.Fields {
		if f.Pattern != nil {
			en.PatternMessages[f.ID] = f.Pattern.Message
		}
	}
	for _, r := range d.Errors {
		switch {
		case r.ID == "":
		case r.HintExpr != "":
			en.HintExprs[r.ID] = r.HintExpr
		default:
			en.Hints[r.ID] = r.Hint
		}
	}
	for _, c := range d.Verify {
		if c.Passed != "" {
			en.Passed[c.ID] = c.Passed
		}
		// A check's message has no id: it is translated as the hint of its
		// reason, which the engine uses for that check alone when the
		// definition has no English hint for the reason.
		if c.Check != nil {
			reason := cmp.Or(c.Check.Reason, linkhub.ReasonUnexpectedResponse)
			if _, ok := en.Hints[reason]; !ok {
				en.Hints[reason] = c.Check.Message
			}
		}
	}
	return en
}

// ParseTranslations reads a Go connector's translations: a file holding only
// a translations block, in the format and with the checks of a definition's.
// The error, when not nil, is Problems.
func ParseTranslations(file string, data []byte, en English) (map[string]linkhub.ConnectorText, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) == 0 {
		return nil, Problems{{File: file, Line: 1, Message: "not a YAML mapping with a translations block"}}
	}
	p := &parser{file: file, lines: map[string]int{}}
	p.index(root.Content[0], "")
	if p.schemaCheck(root.Content[0], translationsSchema()); len(p.problems) > 0 {
		return nil, p.sorted()
	}
	var doc struct {
		Translations map[string]Translation `yaml:"translations"`
	}
	if err := root.Content[0].Decode(&doc); err != nil {
		p.add("", "cannot be read: %v", err)
		return nil, p.sorted()
	}
	p.checkTranslations(doc.Translations, en, func(at, src string) {
		_, err := compileExpr(src, cel.StringType)
		if err != nil {
			p.add(at, "%s", strings.ReplaceAll(err.Error(), "\n", " "))
		}
	})
	if len(p.problems) > 0 {
		return nil, p.sorted()
	}
	return connectorText(doc.Translations), nil
}

// isReason reports whether id is one of linkhub's reason codes.
func isReason(id string) bool {
	return slices.Contains([]string{linkhub.ReasonInvalidInput, linkhub.ReasonAddressNotAllowed, linkhub.ReasonDNSNotFound,
		linkhub.ReasonConnectionRefused, linkhub.ReasonTLSInvalid, linkhub.ReasonTimeout, linkhub.ReasonBadCredentials,
		linkhub.ReasonUnknownClient, linkhub.ReasonScopeNotGranted, linkhub.ReasonNotVendor, linkhub.ReasonVendorUnavailable,
		linkhub.ReasonUnexpectedResponse, linkhub.ReasonPermissionMissing, linkhub.ReasonVendorTooOld,
		linkhub.ReasonSchemeMismatch}, id)
}

// MustParseTranslations is ParseTranslations for a file a Go connector
// embeds: a problem there is a bug, which the connector's tests catch, so it
// panics.
func MustParseTranslations(file string, data []byte, en English) map[string]linkhub.ConnectorText {
	text, err := ParseTranslations(file, data, en)
	if err != nil {
		panic(err)
	}
	return text
}

// checkErrorIDs checks the error rules' optional ids: unique, and never a
// reason code, so that a hints key names one thing.
func (p *parser) checkErrorIDs(d *Definition) {
	ids := map[string]bool{}
	for i, r := range d.Errors {
		at := fmt.Sprintf("/errors/%d/id", i)
		switch {
		case r.ID == "":
		case isReason(r.ID):
			p.add(at, "%q is a reason code; name the rule after what it recognises, like okta_invalid_token", r.ID)
		case ids[r.ID]:
			p.add(at, "another error rule already has the id %q", r.ID)
		}
		ids[r.ID] = true
	}
}

// checkTranslations checks every language's text against the English: the
// language is a hub language, each key names something the English has,
// warnings are as many, placeholders and verbs are the same, and CEL compiles
// (compile reports what does not).
func (p *parser) checkTranslations(tr map[string]Translation, en English, compile func(at, src string)) {
	for _, tag := range slices.Sorted(maps.Keys(tr)) {
		at := "/translations/" + tag
		switch {
		case tag == "en":
			p.add(at, "English is the definition itself; translations hold the other languages (%s)", strings.Join(linkhub.Locales[1:], ", "))
			continue
		case tag == linkhub.PseudoLocale:
			p.add(at, "%s is generated from the English, never written", tag)
			continue
		case !slices.Contains(linkhub.Locales, tag):
			p.add(at, "%q is not a hub language (%s)", tag, strings.Join(linkhub.Locales[1:], ", "))
			continue
		}
		p.checkTranslation(at, tr[tag], en, compile)
	}
}

func (p *parser) checkTranslation(at string, t Translation, en English, compile func(at, src string)) {
	s := en.Spec
	p.same(at+"/name", s.Name, t.Name)
	p.same(at+"/summary", s.Summary, t.Summary)
	fields := map[string]linkhub.Field{}
	for _, f := range s.Fields {
		fields[f.ID] = f
	}
	for _, id := range slices.Sorted(maps.Keys(t.Fields)) {
		fat, ft := at+"/fields/"+id, t.Fields[id]
		f, ok := fields[id]
		if !ok {
			p.add(fat, "the connector has no field with the id %q", id)
			continue
		}
		p.same(fat+"/label", f.Label, ft.Label)
		p.same(fat+"/help", f.Help, ft.Help)
		p.same(fat+"/placeholder", f.Placeholder, ft.Placeholder)
		p.same(fat+"/pattern_message", en.PatternMessages[id], ft.PatternMessage)
		sameTexts(p, fat+"/options", ft.Options, f.Options, optionText, fmt.Sprintf("field %q has no option with the value", id))
	}
	p.same(at+"/user_guide/title", s.UserGuide.Title, t.UserGuide.Title)
	for _, id := range slices.Sorted(maps.Keys(t.UserGuide.Sections)) {
		sat, st := at+"/user_guide/sections/"+id, t.UserGuide.Sections[id]
		i := slices.IndexFunc(s.UserGuide.Sections, func(g linkhub.GuideSection) bool { return g.ID == id })
		if i < 0 {
			p.add(sat, "the user guide has no section with the id %q", id)
			continue
		}
		sec := s.UserGuide.Sections[i]
		p.same(sat+"/title", sec.Title, st.Title)
		p.same(sat+"/intro", sec.Intro, st.Intro)
		sameTexts(p, sat+"/steps", st.Steps, sec.Steps, func(g linkhub.GuideStep) (string, string) { return g.ID, g.Text },
			fmt.Sprintf("section %q has no step with the id", id))
		if st.Warnings != nil && len(st.Warnings) != len(sec.Warnings) {
			p.add(sat+"/warnings", "has %d warnings, the English has %d: translate each, in the same order", len(st.Warnings), len(sec.Warnings))
		} else {
			for k, w := range st.Warnings {
				p.same(fmt.Sprintf("%s/warnings/%d", sat, k), sec.Warnings[k], w)
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(t.Actions)) {
		aat, a := at+"/actions/"+id, t.Actions[id]
		i := slices.IndexFunc(s.Actions, func(x linkhub.Action) bool { return x.ID == id })
		if i < 0 {
			p.add(aat, "the connector has no action with the id %q", id)
			continue
		}
		p.same(aat+"/name", s.Actions[i].Name, a.Name)
		p.same(aat+"/description", s.Actions[i].Description, a.Description)
	}
	for _, id := range slices.Sorted(maps.Keys(t.Hints)) {
		hat := at + "/hints/" + id
		switch enHint, ok := en.Hints[id]; {
		case ok:
			p.same(hat, enHint, t.Hints[id])
		case en.HintExprs[id] != "":
			p.add(hat, "error rule %q computes its hint with hint_expr; translate it under hint_exprs", id)
		case isReason(id):
			p.add(hat, "the connector has no hint for reason %q; the hub's own hint for it is translated already", id)
		default:
			p.add(hat, "no error rule has the id %q, and it is no reason code", id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(t.HintExprs)) {
		if en.HintExprs[id] == "" {
			p.add(at+"/hint_exprs/"+id, "no error rule with a hint_expr has the id %q", id)
			continue
		}
		compile(at+"/hint_exprs/"+id, t.HintExprs[id])
	}
	for _, id := range slices.Sorted(maps.Keys(t.Passed)) {
		if en.Passed[id] == "" {
			p.add(at+"/passed/"+id, "no verify call with a passed expression has the id %q", id)
			continue
		}
		compile(at+"/passed/"+id, t.Passed[id])
	}
	sameTexts(p, at+"/show", t.Show, s.MetadataLabels, optionText, "the connector shows no metadata")
}

func optionText(o linkhub.Option) (string, string) { return o.Value, o.Label }

// sameTexts checks translations by id against the English of items (text
// gives an item's id and English); a key no item has is reported after
// missing.
func sameTexts[T any](p *parser, at string, tr map[string]string, items []T, text func(T) (string, string), missing string) {
	en := map[string]string{}
	for _, it := range items {
		id, s := text(it)
		en[id] = s
	}
	for _, id := range slices.Sorted(maps.Keys(tr)) {
		if _, ok := en[id]; !ok {
			p.add(at+"/"+id, "%s %q", missing, id)
			continue
		}
		p.same(at+"/"+id, en[id], tr[id])
	}
}

// same checks a translated string against its English: there is English to
// translate, and the {field} placeholders and % verbs are the same.
func (p *parser) same(at, en, tr string) {
	if tr == "" {
		return
	}
	if en == "" {
		p.add(at, "the English has no such text to translate")
		return
	}
	if err := SamePlaceholders(en, tr); err != nil {
		p.add(at, "%v", err)
	}
}

// verb is a fmt verb as the connectors' English uses them.
var verb = regexp.MustCompile(`%[-+#0]*[0-9]*(?:\.[0-9]+)?[vTtbcdoOqxXUeEfFgGsp%]`)

// SamePlaceholders reports how tr's {field} placeholders and % verbs differ
// from en's, in any order; nil when they are the same.
func SamePlaceholders(en, tr string) error {
	var diffs []string
	if a, b := sortedCopy(Placeholders(en)), sortedCopy(Placeholders(tr)); !slices.Equal(a, b) {
		diffs = append(diffs, fmt.Sprintf("placeholders %s differ from the English %s", braces(b), braces(a)))
	}
	// Verbs stay in order: Sprintf fills them by position.
	if a, b := verb.FindAllString(en, -1), verb.FindAllString(tr, -1); !slices.Equal(a, b) {
		diffs = append(diffs, fmt.Sprintf("verbs %q differ from the English %q", b, a))
	}
	if len(diffs) == 0 {
		return nil
	}
	return errors.New(strings.Join(diffs, "; "))
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func braces(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return "{" + strings.Join(names, "}, {") + "}"
}
