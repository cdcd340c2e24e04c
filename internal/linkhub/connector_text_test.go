package linkhub

import (
	"reflect"
	"testing"
)

func TestConnectorSpec_Localized(t *testing.T) {
	spec := ConnectorSpec{
		Name:           "Jamf Pro",
		Fields:         []Field{{ID: "url", Label: "Server URL", Help: "Your Jamf address"}, {ID: "region", Label: "Region", Options: []Option{{Value: "eu", Label: "Europe"}}}},
		UserGuide:      Guide{Title: "Link Jamf", Sections: []GuideSection{{ID: "a", Title: "Create", Steps: []GuideStep{{ID: "s1", Text: "Open Settings", Copy: "Linkhub"}, {ID: "s2", Text: "Save"}}, Warnings: []string{"Shown once"}}}},
		Actions:        []Action{{ID: "list", Name: "List computers"}},
		MetadataLabels: []Option{{Value: "version", Label: "Version"}},
		Text: map[string]ConnectorText{"de": {
			Fields:    map[string]FieldText{"url": {Label: "Server-URL"}, "region": {Options: map[string]string{"eu": "Europa"}}},
			UserGuide: GuideText{Sections: map[string]SectionText{"a": {Steps: map[string]string{"s1": "Einstellungen öffnen"}, Warnings: []string{"Nur einmal angezeigt"}}}},
			Actions:   map[string]ActionText{"list": {Name: "Computer auflisten"}},
			Metadata:  map[string]string{"version": "Version"},
		}},
	}
	de := spec.Localized("de")
	for _, c := range []struct{ got, want string }{
		{de.Name, "Jamf Pro"},                     // not translated: English
		{de.Fields[0].Label, "Server-URL"},        // translated
		{de.Fields[0].Help, "Your Jamf address"},  // falls back string by string
		{de.Fields[1].Options[0].Label, "Europa"}, // option label
		{de.UserGuide.Title, "Link Jamf"},
		{de.UserGuide.Sections[0].Steps[0].Text, "Einstellungen öffnen"},
		{de.UserGuide.Sections[0].Steps[0].Copy, "Linkhub"}, // what the user pastes stays
		{de.UserGuide.Sections[0].Steps[1].Text, "Save"},
		{de.UserGuide.Sections[0].Warnings[0], "Nur einmal angezeigt"},
		{de.Actions[0].Name, "Computer auflisten"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if spec.Fields[0].Label != "Server URL" || spec.Fields[1].Options[0].Label != "Europe" || spec.UserGuide.Sections[0].Steps[0].Text != "Open Settings" {
		t.Error("Localized changed the English spec it was called on")
	}
	if fr := spec.Localized("fr"); fr.Fields[0].Label != "Server URL" {
		t.Errorf("a language without text gave %q, want the English", fr.Fields[0].Label)
	}
}

func TestConnectorSpec_LocalizedTables(t *testing.T) {
	en := []GuideTable{
		{Caption: "Scopes to tick", Header: []string{"Scope", "Why"}, Rows: [][]string{{"Hosts: Read", "Testing the link"}, {"Alerts: Read", "Reading alerts"}}},
		{Caption: "Second", Header: []string{"Role"}, Rows: [][]string{{"Auditor"}}},
	}
	spec := ConnectorSpec{
		UserGuide: Guide{Sections: []GuideSection{{ID: "a", Tables: en}}},
		Text: map[string]ConnectorText{"de": {UserGuide: GuideText{Sections: map[string]SectionText{"a": {Tables: []TableText{{
			Caption: "Anzukreuzende Bereiche",
			Header:  []string{"", "Wozu"},                                           // a cell left "" stays English
			Rows:    [][]string{{"Hosts: Read", "Zum Testen der Verbindung"}, {""}}, // kept, translated; a short row
		}}}}}}},
	}
	de := spec.Localized("de").UserGuide.Sections[0].Tables
	want := []GuideTable{
		{Caption: "Anzukreuzende Bereiche", Header: []string{"Scope", "Wozu"}, Rows: [][]string{{"Hosts: Read", "Zum Testen der Verbindung"}, {"Alerts: Read", "Reading alerts"}}},
		en[1], // a table left out stays English
	}
	if !reflect.DeepEqual(de, want) {
		t.Errorf("tables in de:\n got %q\nwant %q", de, want)
	}
	de[0].Rows[1][0] = "changed"
	de[1].Header[0] = "changed"
	if en[0].Rows[1][0] != "Alerts: Read" || en[1].Header[0] != "Role" {
		t.Error("the localized tables share cells with the English spec")
	}
}
