package views_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

func mustRender(t *testing.T, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return doc, html
}

func TestHubForm_EveryConnector(t *testing.T) {
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		spec := c.Spec()
		t.Run(spec.ID, func(t *testing.T) {
			var fields []views.HubField
			for _, f := range spec.Fields {
				if f.Scope == linkhub.ScopeAccount {
					fields = append(fields, views.HubField{Field: f})
				}
			}
			doc, _ := mustRender(t, views.HubForm(views.HubFormView{
				HubFrame: views.HubFrame{Handle: "h1", Text: views.English},
				Profile:  views.HubProfile{ID: "p1", Name: spec.Name, Logo: spec.Logo},
				Fields:   fields, Guide: spec.UserGuide,
			}))
			for _, f := range fields {
				in := doc.Find("#f-" + f.ID)
				if in.Length() != 1 {
					t.Errorf("field %s: got %d inputs, want 1", f.ID, in.Length())
				}
				if doc.Find(`label[for="f-`+f.ID+`"]`).Length() != 1 {
					t.Errorf("field %s has no label", f.ID)
				}
				if typ, _ := in.Attr("type"); f.Secret && typ != "password" {
					t.Errorf("secret field %s: got type %q, want password", f.ID, typ)
				}
			}
			if n := doc.Find(`[data-testid="guide"] ol li`).Length(); n == 0 {
				t.Error("guide has no steps")
			}
			if action, _ := doc.Find(`[data-testid="hub-form"]`).Attr("action"); action != "/hub/h1/profiles/p1/connect" {
				t.Errorf("form action: got %q", action)
			}
		})
	}
}

func TestHubForm_FailureEscapesVendorText(t *testing.T) {
	evil := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	report := linkhub.Report{Stages: []linkhub.Stage{
		{Name: linkhub.StageValidate, Status: linkhub.StatusPassed},
		{Name: linkhub.StageToken, Status: linkhub.StatusFailed, HTTPStatus: 401, Hint: "Check the secret " + evil, Snippet: evil},
	}}
	rv := views.NewHubReportView(report, views.English)
	doc, html := mustRender(t, views.HubForm(views.HubFormView{
		HubFrame: views.HubFrame{Handle: "h", Text: views.English},
		Profile:  views.HubProfile{ID: "p", Name: "Jamf Pro " + evil},
		Fields: []views.HubField{{Field: linkhub.Field{ID: "url", Label: "URL", Kind: linkhub.KindURL},
			Value: `"><script>alert(3)</script>`, Error: evil}},
		ReportView: &rv,
	}))
	if strings.Contains(html, "<script>alert") || strings.Contains(html, "<img src=x") {
		t.Fatalf("markup from user or vendor reached the page unescaped:\n%s", html)
	}
	if got := doc.Find(`[data-testid="failed-stage"]`).Text(); got != views.English.Stage["token"] {
		t.Errorf("failed stage: got %q, want %q", got, views.English.Stage["token"])
	}
	if got := doc.Find(`[data-testid="failed-status"]`).Text(); got != "401" {
		t.Errorf("failed status: got %q, want 401", got)
	}
	if got, _ := doc.Find("#f-url").Attr("value"); got != `"><script>alert(3)</script>` {
		t.Errorf("typed value not kept: got %q", got)
	}
}

func TestHubDone_MessageOnlyForEmbedOrigin(t *testing.T) {
	doc, _ := mustRender(t, views.HubDone(views.HubDoneView{
		HubFrame:     views.HubFrame{Text: views.English},
		Message:      `{"type":"success","account":{"id":"a1"}}`,
		TargetOrigin: "https://host.example",
	}))
	s := doc.Find(`[data-testid="success"]`)
	if got, _ := s.Attr("data-linkhub-target"); got != "https://host.example" {
		t.Errorf("target origin: got %q", got)
	}
	doc, _ = mustRender(t, views.HubDone(views.HubDoneView{HubFrame: views.HubFrame{Text: views.English}}))
	if doc.Find(`[data-testid="standalone-done"]`).Length() != 1 {
		t.Error("standalone success has no 'you can close this window' text")
	}
}

func TestHubFrame_EmbedOrigin(t *testing.T) {
	rv := views.NewHubReportView(linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusFailed}}}, views.English)
	rv.Message = `{"type":"error"}`
	doc, _ := mustRender(t, views.HubForm(views.HubFormView{
		HubFrame: views.HubFrame{Handle: "h", Text: views.English, EmbedOrigin: "https://host.example"}, ReportView: &rv}))
	if got, _ := doc.Find("body").Attr("data-linkhub-target"); got != "https://host.example" {
		t.Errorf("body target: got %q, want the embed origin", got)
	}
	if got, _ := doc.Find(`[data-testid="failure"]`).Attr("data-linkhub-message"); got != rv.Message {
		t.Errorf("failure message: got %q, want %q", got, rv.Message)
	}
	rv.Message = ""
	doc, _ = mustRender(t, views.HubForm(views.HubFormView{HubFrame: views.HubFrame{Handle: "h", Text: views.English}, ReportView: &rv}))
	if _, ok := doc.Find("body").Attr("data-linkhub-target"); ok {
		t.Error("standalone page has a postMessage target")
	}
	if _, ok := doc.Find(`[data-testid="failure"]`).Attr("data-linkhub-message"); ok {
		t.Error("standalone failure has a message")
	}
}

// BenchmarkHubPicker renders the hub's picker page, the hub's most-hit page.
func BenchmarkHubPicker(b *testing.B) {
	var profiles []views.HubProfile
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		s := c.Spec()
		profiles = append(profiles, views.HubProfile{ID: s.ID, Name: s.Name, Vendor: s.Name, Logo: s.Logo, Category: s.Category})
	}
	v := views.HubPickerView{HubFrame: views.HubFrame{Handle: "handle", Text: views.English}, Profiles: profiles}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := views.HubPicker(v).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNewHubReportView_StageTitles: every stage a connector's report holds
// (kit's recorder lists them all) is named from the hub's catalogue in every
// language, never with kit's English title.
func TestNewHubReportView_StageTitles(t *testing.T) {
	report := kit.NewRecorder(context.Background()).Report()
	if len(report.Stages) != 5 {
		t.Fatalf("got %d stages, want all five", len(report.Stages))
	}
	for _, tag := range append(slices.Clone(linkhub.Locales), linkhub.PseudoLocale) {
		text := views.Text(tag)
		for i, s := range views.NewHubReportView(report, text).Stages {
			if want := text.Stage[s.Name]; want == "" || s.Title != want || s.Title == report.Stages[i].Title {
				t.Errorf("%s: stage %s is titled %q, want the catalogue's %q", tag, s.Name, s.Title, want)
			}
		}
	}
}
