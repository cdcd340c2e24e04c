package pseudo

import "github.com/linkhub/linkhub/internal/linkhub"

// Spec returns s with every string an end user reads in the pseudo-locale:
// name, summary, category, fields, the user guide, actions and metadata
// labels. Copy values (what the user pastes at the vendor), the table cells
// that name the vendor's roles, privileges and scopes, ids, logos and the
// admin guide stay as they are.
func Spec(s linkhub.ConnectorSpec) linkhub.ConnectorSpec {
	out := s
	out.Name, out.Summary, out.Category = Text(s.Name), Text(s.Summary), Text(s.Category)
	out.Fields = make([]linkhub.Field, len(s.Fields))
	for i, f := range s.Fields {
		f.Label, f.Help, f.Placeholder = Text(f.Label), Text(f.Help), Text(f.Placeholder)
		f.Options = options(f.Options)
		out.Fields[i] = f
	}
	out.UserGuide = guide(s.UserGuide, keptCells(s))
	out.Actions = make([]linkhub.Action, len(s.Actions))
	for i, a := range s.Actions {
		a.Name, a.Description = Text(a.Name), Text(a.Description)
		out.Actions[i] = a
	}
	out.MetadataLabels = options(s.MetadataLabels)
	return out
}

func options(in []linkhub.Option) []linkhub.Option {
	if in == nil {
		return nil
	}
	out := make([]linkhub.Option, len(in))
	for i, o := range in {
		out[i] = linkhub.Option{Value: o.Value, Label: Text(o.Label)}
	}
	return out
}

func guide(g linkhub.Guide, kept map[string]func(t, r, c int) bool) linkhub.Guide {
	out := linkhub.Guide{Title: Text(g.Title), Sections: make([]linkhub.GuideSection, len(g.Sections))}
	for i, sec := range g.Sections {
		sec.Title, sec.Intro = Text(sec.Title), Text(sec.Intro)
		sec.Steps = append([]linkhub.GuideStep(nil), sec.Steps...)
		for j := range sec.Steps {
			sec.Steps[j].Text = Text(sec.Steps[j].Text)
		}
		sec.Warnings = texts(sec.Warnings)
		// Cells naming the vendor's own roles, privileges and scopes, as its
		// console shows them, stay; the others are words to translate.
		keep := kept[sec.ID]
		tables := make([]linkhub.GuideTable, len(sec.Tables))
		for j, tb := range sec.Tables {
			rows := make([][]string, len(tb.Rows))
			for r, row := range tb.Rows {
				rows[r] = make([]string, len(row))
				for c, cell := range row {
					if rows[r][c] = cell; keep == nil || !keep(j, r, c) {
						rows[r][c] = Text(cell)
					}
				}
			}
			tables[j] = linkhub.GuideTable{Caption: Text(tb.Caption), Header: texts(tb.Header), Rows: rows}
		}
		sec.Tables = tables
		out.Sections[i] = sec
	}
	return out
}

func texts(in []string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = Text(s)
	}
	return out
}

// keptCells tells, by user guide section, which table cells are the vendor's
// names: those a translation marks as kept by repeating the English. A
// section none of whose tables is translated keeps all its rows, as the
// vendor's names are what rows mostly hold and nothing marks the others.
func keptCells(s linkhub.ConnectorSpec) map[string]func(t, r, c int) bool {
	out := map[string]func(t, r, c int) bool{}
	for _, sec := range s.UserGuide.Sections {
		if len(sec.Tables) == 0 {
			continue
		}
		translated, kept := false, map[[3]int]bool{}
		for _, ct := range s.Text {
			for t, tt := range ct.UserGuide.Sections[sec.ID].Tables {
				for r, row := range tt.Rows {
					for c, cell := range row {
						if cell == "" || t >= len(sec.Tables) || r >= len(sec.Tables[t].Rows) || c >= len(sec.Tables[t].Rows[r]) {
							continue
						}
						translated = true
						if cell == sec.Tables[t].Rows[r][c] {
							kept[[3]int{t, r, c}] = true
						}
					}
				}
			}
		}
		if !translated {
			out[sec.ID] = func(int, int, int) bool { return true }
			continue
		}
		out[sec.ID] = func(t, r, c int) bool { return kept[[3]int{t, r, c}] }
	}
	return out
}
