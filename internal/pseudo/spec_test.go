package pseudo

import (
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestSpec_Tables: the pseudo-locale accents a guide table's caption,
// header and the cells a translation translates, and keeps the cells the
// translations mark as the vendor's names (they repeat the English); the
// rows of a table nothing translates stay, as before.
func TestSpec_Tables(t *testing.T) {
	table := func() linkhub.GuideTable {
		return linkhub.GuideTable{Caption: "Scopes to tick", Header: []string{"Scope", "Why"},
			Rows: [][]string{{"Hosts: Read", "Testing the link"}, {"Alerts: Read", "Reading alerts"}}}
	}
	spec := linkhub.ConnectorSpec{
		UserGuide: linkhub.Guide{Sections: []linkhub.GuideSection{
			{ID: "create", Tables: []linkhub.GuideTable{table()}},
			{ID: "other", Tables: []linkhub.GuideTable{table()}},
		}},
		Text: map[string]linkhub.ConnectorText{"de": {UserGuide: linkhub.GuideText{Sections: map[string]linkhub.SectionText{
			"create": {Tables: []linkhub.TableText{{Rows: [][]string{{"Hosts: Read", "Zum Testen"}, {"Alerts: Read", ""}}}}},
		}}}},
	}
	got := Spec(spec).UserGuide.Sections
	tb := got[0].Tables[0]
	for _, c := range []struct{ got, want string }{
		{tb.Caption, Text("Scopes to tick")},
		{tb.Header[1], Text("Why")},
		{tb.Rows[0][0], "Hosts: Read"}, // kept: the vendor's name
		{tb.Rows[0][1], Text("Testing the link")},
		{tb.Rows[1][0], "Alerts: Read"},
		{tb.Rows[1][1], Text("Reading alerts")}, // not translated yet, but words
		{got[1].Tables[0].Rows[0][1], "Testing the link"},
		{got[1].Tables[0].Header[0], Text("Scope")},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if spec.UserGuide.Sections[0].Tables[0].Rows[0][1] != "Testing the link" {
		t.Error("Spec changed the English spec's table")
	}
}
