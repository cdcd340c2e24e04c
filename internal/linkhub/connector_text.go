package linkhub

// ConnectorText is a connector's end-user text in one language. An empty
// string, or a key left out, falls back to the English of the spec, string by
// string. Keys are the ids the spec already has (field, section, step,
// action, reason code, metadata key), so a translation cannot drift onto the
// wrong string when the English is reordered. The admin guide is not here:
// the admin console is English.
type ConnectorText struct {
	Name      string
	Summary   string
	Fields    map[string]FieldText  // by field id
	UserGuide GuideText             // the end-user guide
	Actions   map[string]ActionText // by action id
	// Hints are the end-user hints by reason code (or by a connector's own
	// hint id); a connector picks its hint in LocaleFrom(ctx).
	Hints map[string]string
	// Metadata labels what the hub shows after linking, by metadata key.
	Metadata map[string]string
}

// FieldText is a field's text in one language.
type FieldText struct {
	Label       string
	Help        string
	Placeholder string
	// PatternMessage replaces the field's validation message.
	PatternMessage string
	Options        map[string]string // option labels by option value
}

// GuideText is a guide's text in one language.
type GuideText struct {
	Title    string
	Sections map[string]SectionText // by section id
}

// SectionText is a guide section's text in one language. Warnings replace the
// English warnings only when there are as many of them.
type SectionText struct {
	Title    string
	Intro    string
	Steps    map[string]string // step text by step id
	Warnings []string
	// Tables are the section's tables in order, each of the English table's
	// shape; a table left out (or the zero TableText) and a cell left "" stay
	// English, cell by cell.
	Tables []TableText
}

// TableText is a guide table's text in one language. A cell that names a
// vendor's role or scope as its (English-only) console shows it repeats the
// English: it is kept, not missing.
type TableText struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// ActionText is an action's name and description in one language.
type ActionText struct {
	Name        string
	Description string
}

// Localized returns the spec with its end-user text in the language tag names,
// English where the spec has no translation of a string. Copy values (what a
// user pastes at the vendor) stay as they are.
func (s ConnectorSpec) Localized(tag string) ConnectorSpec {
	t, ok := s.Text[tag]
	if !ok {
		return s
	}
	or := func(tr, en string) string {
		if tr != "" {
			return tr
		}
		return en
	}
	out := s
	out.Name = or(t.Name, s.Name)
	out.Summary = or(t.Summary, s.Summary)
	out.Fields = make([]Field, len(s.Fields))
	for i, f := range s.Fields {
		ft := t.Fields[f.ID]
		f.Label, f.Help, f.Placeholder = or(ft.Label, f.Label), or(ft.Help, f.Help), or(ft.Placeholder, f.Placeholder)
		f.Options = append([]Option(nil), f.Options...)
		for j, o := range f.Options {
			f.Options[j].Label = or(ft.Options[o.Value], o.Label)
		}
		out.Fields[i] = f
	}
	out.UserGuide = localizeGuide(s.UserGuide, t.UserGuide, or)
	out.Actions = make([]Action, len(s.Actions))
	for i, a := range s.Actions {
		at := t.Actions[a.ID]
		a.Name, a.Description = or(at.Name, a.Name), or(at.Description, a.Description)
		out.Actions[i] = a
	}
	out.MetadataLabels = make([]Option, len(s.MetadataLabels))
	for i, m := range s.MetadataLabels {
		out.MetadataLabels[i] = Option{Value: m.Value, Label: or(t.Metadata[m.Value], m.Label)}
	}
	return out
}

func localizeGuide(g Guide, t GuideText, or func(string, string) string) Guide {
	out := Guide{Title: or(t.Title, g.Title), Sections: make([]GuideSection, len(g.Sections))}
	for i, sec := range g.Sections {
		st := t.Sections[sec.ID]
		sec.Title, sec.Intro = or(st.Title, sec.Title), or(st.Intro, sec.Intro)
		sec.Steps = append([]GuideStep(nil), sec.Steps...)
		for j, step := range sec.Steps {
			sec.Steps[j].Text = or(st.Steps[step.ID], step.Text)
		}
		if len(st.Warnings) == len(sec.Warnings) {
			sec.Warnings = st.Warnings
		}
		sec.Tables = localizeTables(sec.Tables, st.Tables, or)
		out.Sections[i] = sec
	}
	return out
}

// localizeTables returns copies of tables with each translated cell in
// place; a cell or table the translation leaves out stays English.
func localizeTables(tables []GuideTable, t []TableText, or func(string, string) string) []GuideTable {
	if tables == nil {
		return nil
	}
	cell := func(cells []string, j int) string {
		if j < len(cells) {
			return cells[j]
		}
		return ""
	}
	out := make([]GuideTable, len(tables))
	for i, tb := range tables {
		var tt TableText
		if i < len(t) {
			tt = t[i]
		}
		lt := GuideTable{Caption: or(tt.Caption, tb.Caption), Header: make([]string, len(tb.Header)), Rows: make([][]string, len(tb.Rows))}
		for j, h := range tb.Header {
			lt.Header[j] = or(cell(tt.Header, j), h)
		}
		for r, row := range tb.Rows {
			var trow []string
			if r < len(tt.Rows) {
				trow = tt.Rows[r]
			}
			lt.Rows[r] = make([]string, len(row))
			for j, c := range row {
				lt.Rows[r][j] = or(cell(trow, j), c)
			}
		}
		out[i] = lt
	}
	return out
}
