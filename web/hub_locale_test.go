package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
	"github.com/linkhub/linkhub/web"
)

// TestMatchAcceptLanguage: a regional variant finds its language, any
// Portuguese finds pt-BR, q-values order the choices, and a browser with
// none of the hub's languages gets "" (the admin's default decides).
func TestMatchAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"de-CH":                  "de",
		"de-AT,de;q=0.9":         "de",
		"en-GB":                  "en",
		"fr-CA, en;q=0.5":        "fr",
		"pt":                     "pt-BR",
		"pt-PT":                  "pt-BR",
		"pt-BR":                  "pt-BR",
		"ja-JP":                  "ja",
		"nl-BE":                  "nl",
		"sv, it;q=0.8, en;q=0.7": "it",
		"en;q=0.2, es;q=0.9":     "es",
		"sv":                     "",
		"zh-CN, ko":              "",
		"":                       "",
		"*":                      "",
		"not a header;;;":        "",
	} {
		if got := web.MatchAcceptLanguage(header); got != want {
			t.Errorf("Accept-Language %q: got %q, want %q", header, got, want)
		}
	}
}

// getIn fetches a hub page with an Accept-Language header.
func (e *hubEnv) getIn(t *testing.T, path, acceptLanguage string) (*http.Response, *goquery.Document) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("%s set a cookie", path)
	}
	return resp, doc
}

// wantLang checks a hub page is wholly in one language: <html lang>, the
// picker's heading and the switch's choice.
func wantLang(t *testing.T, doc *goquery.Document, tag string) {
	t.Helper()
	text := views.Text(tag)
	if got := doc.Find("html").AttrOr("lang", ""); got != tag {
		t.Errorf("html lang: got %q, want %q", got, tag)
	}
	if got := doc.Find("h1").First().Text(); got != text.PickerTitle {
		t.Errorf("heading: got %q, want %q", got, text.PickerTitle)
	}
	if got := doc.Find(`[data-testid="language"] option[selected]`).AttrOr("value", ""); got != tag {
		t.Errorf("language switch shows %q, want %q", got, tag)
	}
}

// TestHub_LocaleChoice: the user's pick in the hub wins, then the connect
// session's locale, then Accept-Language, then the admin's default; the
// pick is stored with the hub session (no cookie) and holds on every page.
// The switch's refusals are HTTP behaviour, tested on mocks.
func TestHub_LocaleChoice(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	env.MustProfile(t, "sophos", "Sophos")

	hub := env.MustOpen(t, env.MustToken(t, nil))
	_, doc := env.getIn(t, hub, "de-CH, en;q=0.5")
	wantLang(t, doc, "de")
	_, doc = env.getIn(t, hub, "sv")
	wantLang(t, doc, "en") // the admin's default, as shipped

	st := linkhub.DefaultSettings()
	st.DefaultLocale = "nl"
	if _, err := env.settings.UpdateSettings(context.Background(), linkhub.SystemActor, st); err != nil {
		t.Fatal(err)
	}
	_, doc = env.getIn(t, hub, "sv")
	wantLang(t, doc, "nl")

	// The host product's locale beats the browser's.
	fr := env.MustOpen(t, env.MustToken(t, map[string]any{"locale": "FR"}))
	_, doc = env.getIn(t, fr, "de")
	wantLang(t, doc, "fr")

	// The user's pick beats both, and comes back to the page it was made on.
	form := doc.Find(`[data-testid="language-switch"]`)
	action, _ := form.Attr("action")
	next := form.Find(`[name="next"]`).AttrOr("value", "")
	if next != fr {
		t.Errorf("switch comes back to %q, want %q", next, fr)
	}
	resp, _ := env.post(t, action, url.Values{"locale": {"ja"}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != fr || resp.Header.Get("Set-Cookie") != "" {
		t.Fatalf("switch: got %d to %q (cookie %q), want 303 back to %q and no cookie", resp.StatusCode,
			resp.Header.Get("Location"), resp.Header.Get("Set-Cookie"), fr)
	}
	_, doc = env.getIn(t, fr, "de")
	wantLang(t, doc, "ja")
	profile := doc.Find(`[data-testid^="profile-"]`).First().AttrOr("href", "")
	_, doc = env.getIn(t, profile, "de")
	if got := doc.Find("html").AttrOr("lang", ""); got != "ja" || doc.Find(`[data-testid="hub-form"] h2`).Text() != views.Japanese.FormTitle {
		t.Errorf("form after the switch: lang %q, form title %q, want Japanese", got, doc.Find(`[data-testid="hub-form"] h2`).Text())
	}
	// Another hub session of the same link keeps its own language.
	_, doc = env.getIn(t, env.MustOpen(t, env.MustToken(t, map[string]any{"locale": "fr"})), "de")
	wantLang(t, doc, "fr")

	// Bad picks and ways back that leave the hub session: TestHubLocale_Switch, on mocks.
}

// TestConnectSessionAPI_Locale: the API's locale, one of the hub's
// languages in any case or the pseudo-locale, is the hub's language. The
// rule's refusals are linking's (TestService_CreateSession), their 400 the
// API's mapping of any rule error (TestConnectSessionAPI_Shape).
func TestConnectSessionAPI_Locale(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	for tag, want := range map[string]string{"pt-br": "pt-BR", "JA": "ja", "en-XA": "en-XA"} {
		action, doc := env.formOf(t, env.MustOpen(t, env.MustToken(t, map[string]any{"locale": tag})))
		if got := doc.Find("html").AttrOr("lang", ""); got != want || action == "" {
			t.Errorf("locale %q: html lang %q, want %q", tag, got, want)
		}
	}
}

// TestLocalSpec: the hub shows a connector's text through Localized (the
// translation where there is one, English string by string where not), the
// category in the hub's own words, and the pseudo-locale made from English
// with the values to paste kept.
func TestLocalSpec(t *testing.T) {
	spec := linkhub.ConnectorSpec{Name: "Jamf Pro", Category: "Device management", Summary: "Apple devices.",
		Fields: []linkhub.Field{{ID: "url", Label: "Address"}, {ID: "client_id", Label: "Client ID"}},
		UserGuide: linkhub.Guide{Sections: []linkhub.GuideSection{{ID: "s", Title: "Create a client",
			Steps: []linkhub.GuideStep{{ID: "name", Text: "Name it", Copy: "Linkhub"}}}}},
		Text: map[string]linkhub.ConnectorText{"de": {Summary: "Apple-Geräte.", Fields: map[string]linkhub.FieldText{"url": {Label: "Adresse"}}}}}

	de := views.LocalSpec(spec, "de")
	if de.Summary != "Apple-Geräte." || de.Fields[0].Label != "Adresse" || de.Fields[1].Label != "Client ID" || de.Name != "Jamf Pro" {
		t.Errorf("de: got %q %q %q %q, want the translations and English where there is none", de.Summary, de.Fields[0].Label, de.Fields[1].Label, de.Name)
	}
	if de.Category != views.German.Category["Device management"] {
		t.Errorf("de: category %q, want the hub's German", de.Category)
	}
	if ja := views.LocalSpec(spec, "ja"); ja.Summary != spec.Summary || ja.Category != views.Japanese.Category["Device management"] {
		t.Errorf("ja without a translation: got %q, %q", ja.Summary, ja.Category)
	}
	xa := views.LocalSpec(spec, linkhub.PseudoLocale)
	step := xa.UserGuide.Sections[0].Steps[0]
	if !strings.HasPrefix(xa.Fields[1].Label, "[Çļíéñţ ÍÐ") || !strings.HasPrefix(step.Text, "[Ñáɱé") || step.Copy != "Linkhub" || xa.Fields[1].ID != "client_id" {
		t.Errorf("en-XA: got %q, %q (copy %q), want pseudo text, the copy value and ids kept", xa.Fields[1].Label, step.Text, step.Copy)
	}
	if spec.Fields[1].Label != "Client ID" || spec.UserGuide.Sections[0].Steps[0].Text != "Name it" {
		t.Error("localising changed the connector's own spec")
	}
}

// TestHub_SDKLocale: the SDK's locale option reaches the hub as a query
// parameter of the connect link and sticks to that hub session; one the
// hub does not have changes nothing.
func TestHub_SDKLocale(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	env.MustProfile(t, "sophos", "Sophos")
	for param, want := range map[string]string{"it": "it", "pt-br": "pt-BR", "xx": "en", "en-XA": "en"} {
		resp, err := env.client.Get(env.srv.URL + "/connect?token=" + url.QueryEscape(env.MustToken(t, nil)) + "&locale=" + url.QueryEscape(param))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		_, doc := env.getIn(t, resp.Header.Get("Location"), "")
		wantLang(t, doc, want)
	}
	// A link that does not work says so in the SDK's language too.
	resp, doc := env.getIn(t, "/connect?token=nope&locale=ja", "de")
	if got := doc.Find("html").AttrOr("lang", ""); resp.StatusCode != http.StatusNotFound || got != "ja" || doc.Find("h1").Text() != views.Japanese.UnknownTitle {
		t.Errorf("unknown link with locale=ja: got %d, lang %q, %q", resp.StatusCode, got, doc.Find("h1").Text())
	}
	if _, doc := env.getIn(t, "/connect?token=nope", "de-AT"); doc.Find("h1").Text() != views.German.UnknownTitle {
		t.Errorf("unknown link for a German browser: got %q", doc.Find("h1").Text())
	}
}

// Every built-in connector's category has a name in every hub language: the
// picker shows it, and a category added with a new definition must not stay
// English in seven languages unnoticed.
func TestHub_CategoryNames(t *testing.T) {
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		cat := c.Spec().Category
		for _, tag := range linkhub.Locales[1:] {
			if views.Text(tag).Category[cat] == "" {
				t.Errorf("%s: category %q has no name in %s (views/hubtext_*.go Category)", c.Spec().ID, cat, tag)
			}
		}
	}
}
