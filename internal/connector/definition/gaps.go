package definition

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Gaps lists every end-user string of en that t leaves in English, by its
// key in the translations format (fields.api_token.help,
// user_guide.sections.token.steps.copy-token, hints.not_vendor...).
// hintExprs and passed are the translated CEL, by id. The connector's name,
// and placeholders and options that are values rather than words, are not
// gaps: they stay as they are.
func Gaps(en English, t linkhub.ConnectorText, hintExprs, passed map[string]string) []string {
	var gaps []string
	gap := func(key, en, tr string) {
		if en != "" && tr == "" {
			gaps = append(gaps, key)
		}
	}
	s := en.Spec
	gap("summary", s.Summary, t.Summary)
	for _, f := range s.Fields {
		ft, at := t.Fields[f.ID], "fields."+f.ID
		gap(at+".label", f.Label, ft.Label)
		gap(at+".help", f.Help, ft.Help)
		if hasWords(f.Placeholder) {
			gap(at+".placeholder", f.Placeholder, ft.Placeholder)
		}
		gap(at+".pattern_message", en.PatternMessages[f.ID], ft.PatternMessage)
		for _, o := range f.Options {
			if hasWords(o.Label) {
				gap(at+".options."+o.Value, o.Label, ft.Options[o.Value])
			}
		}
	}
	gap("user_guide.title", s.UserGuide.Title, t.UserGuide.Title)
	for _, sec := range s.UserGuide.Sections {
		st, at := t.UserGuide.Sections[sec.ID], "user_guide.sections."+sec.ID
		gap(at+".title", sec.Title, st.Title)
		gap(at+".intro", sec.Intro, st.Intro)
		for _, step := range sec.Steps {
			gap(at+".steps."+step.ID, step.Text, st.Steps[step.ID])
		}
		if len(sec.Warnings) > 0 && len(st.Warnings) != len(sec.Warnings) {
			gaps = append(gaps, at+".warnings")
		}
	}
	for _, a := range s.Actions {
		gap("actions."+a.ID+".name", a.Name, t.Actions[a.ID].Name)
		gap("actions."+a.ID+".description", a.Description, t.Actions[a.ID].Description)
	}
	for _, id := range slices.Sorted(maps.Keys(en.Hints)) {
		gap("hints."+id, en.Hints[id], t.Hints[id])
	}
	for _, id := range slices.Sorted(maps.Keys(en.HintExprs)) {
		gap("hint_exprs."+id, en.HintExprs[id], hintExprs[id])
	}
	for _, id := range slices.Sorted(maps.Keys(en.Passed)) {
		gap("passed."+id, en.Passed[id], passed[id])
	}
	for _, m := range s.MetadataLabels {
		gap("show."+m.Value, m.Label, t.Metadata[m.Value])
	}
	return gaps
}

// Gaps lists what the definition leaves in English in the language tag
// (see the function Gaps), and the hints no translation can reach: those of
// error rules without an id.
func (d *Definition) Gaps(tag string) []string {
	tr := d.Translations[tag]
	gaps := Gaps(d.english(), d.Spec().Text[tag], tr.HintExprs, tr.Passed)
	for i, r := range d.Errors {
		if r.ID == "" {
			gaps = append(gaps, fmt.Sprintf("errors[%d] (a hint without an id)", i))
		}
	}
	return gaps
}

var valueLike = regexp.MustCompile(`[0-9./:@_]|^e\.g\.$`)

// hasWords reports whether s is words to translate rather than a value (an
// address, an id, an example): two or more words once parenthesised parts
// and value-like tokens are left out.
func hasWords(s string) bool {
	if i := strings.Index(s, "("); i >= 0 {
		s = s[:i]
	}
	n := 0
	for _, w := range strings.Fields(s) {
		if !valueLike.MatchString(w) {
			n++
		}
	}
	return n >= 2
}
