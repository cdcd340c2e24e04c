package pseudo

import "github.com/linkhub/linkhub/internal/linkhub"

// Spec returns s with every string an end user reads in the pseudo-locale:
// name, summary, category, fields, the user guide, actions and metadata
// labels. Copy values (what the user pastes at the vendor), the rows of guide
// tables (the vendor's role and privilege names), ids, logos and the admin
// guide stay as they are.
func Spec(s linkhub.ConnectorSpec) linkhub.ConnectorSpec {
	out := s
	out.Name, out.Summary, out.Category = Text(s.Name), Text(s.Summary), Text(s.Category)
	out.Fields = make([]linkhub.Field, len(s.Fields))
	for i, f := range s.Fields {
		f.Label, f.Help, f.Placeholder = Text(f.Label), Text(f.Help), Text(f.Placeholder)
		f.Options = options(f.Options)
		out.Fields[i] = f
	}
	out.UserGuide = guide(s.UserGuide)
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

func guide(g linkhub.Guide) linkhub.Guide {
	out := linkhub.Guide{Title: Text(g.Title), Sections: make([]linkhub.GuideSection, len(g.Sections))}
	for i, sec := range g.Sections {
		sec.Title, sec.Intro = Text(sec.Title), Text(sec.Intro)
		sec.Steps = append([]linkhub.GuideStep(nil), sec.Steps...)
		for j := range sec.Steps {
			sec.Steps[j].Text = Text(sec.Steps[j].Text)
		}
		sec.Warnings = texts(sec.Warnings)
		// Rows hold the vendor's own names (roles, privileges, scopes), as
		// its console shows them: they stay.
		tables := make([]linkhub.GuideTable, len(sec.Tables))
		for j, tb := range sec.Tables {
			tables[j] = linkhub.GuideTable{Caption: Text(tb.Caption), Header: texts(tb.Header), Rows: tb.Rows}
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
