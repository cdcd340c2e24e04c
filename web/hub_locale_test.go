package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/views"
	"github.com/linkhub/linkhub/web"
)

// TestMatchAcceptLanguage: a regional variant finds its language, any
// Portuguese finds pt-BR, q-values order the choices, and a browser with
// none of the hub's languages gets "" (the admin's default decides).
func TestMatchAcceptLanguage(t *testing.T) {
	t.Parallel()
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

// hubbLocaleEnv is the mock env with hub session h1 (token tok-1) on a
// Jamf Pro and a Sophos profile, whose language pick is kept as the store
// keeps it: SetHubLocale records it, FindHubSession returns it.
type hubbLocaleEnv struct {
	*mockEnv
	mu       sync.Mutex
	cs       linkhub.ConnectSession
	fallback string   // the admin's default language
	picks    []string // handle:tag of each SetHubLocale
}

// hubbNewLocaleEnv starts a hubbLocaleEnv whose hub session is
// mockSession's, the admin's default language English.
func hubbNewLocaleEnv(t *testing.T) *hubbLocaleEnv {
	t.Helper()
	e := &hubbLocaleEnv{mockEnv: newMockEnv(t, web.Config{}), cs: *mockSession(), fallback: "en"}
	e.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		e.mu.Lock()
		defer e.mu.Unlock()
		s := linkhub.DefaultSettings()
		s.DefaultLocale = e.fallback
		return &s, nil
	}
	e.connectSessions.FindHubSessionFn = func(_ context.Context, handle string) (*linkhub.ConnectSession, error) {
		if handle != mockHubHandle {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Unknown hub session.")
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		cs := e.cs
		return &cs, nil
	}
	e.connectSessions.OpenHubSessionFn = func(_ context.Context, token string) (string, *linkhub.ConnectSession, error) {
		if token != mockHubToken {
			return "", nil, linkhub.Errorf(linkhub.ENOTFOUND, "Unknown connect session.")
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		cs := e.cs
		return mockHubHandle, &cs, nil
	}
	e.connectSessions.SetHubLocaleFn = func(_ context.Context, handle, tag string) error {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.picks = append(e.picks, handle+":"+tag)
		e.cs.HubLocale = tag
		return nil
	}
	registry := connector.NewRegistry(connector.Config{})
	jamf, _ := registry.Get("jamf")
	profiles := []*linkhub.Profile{{ID: "p1", ConnectorID: "jamf", Name: "Jamf", Enabled: true},
		{ID: "p2", ConnectorID: "sophos", Name: "Sophos", Enabled: true}}
	e.linking.ProfilesFn = func(_ context.Context, cs *linkhub.ConnectSession) ([]*linkhub.Profile, error) {
		if cs.ID != "cs-1" {
			t.Errorf("profiles of session %q, want cs-1", cs.ID)
		}
		return profiles, nil
	}
	e.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
		if id != "p1" {
			return nil, linking.ErrNotAllowed
		}
		return &linking.Target{Profile: profiles[0], Connector: jamf, CanGoBack: true}, nil
	}
	return e
}

// set changes the hub session's state under the env's lock.
func (e *hubbLocaleEnv) set(f func(cs *linkhub.ConnectSession)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f(&e.cs)
}

// stored returns the picks stored so far and forgets them.
func (e *hubbLocaleEnv) stored() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.picks
	e.picks = nil
	return out
}

// getIn fetches a hub page with an Accept-Language header; the hub sets no
// cookie.
func (e *hubbLocaleEnv) getIn(path, acceptLanguage string) (*http.Response, *goquery.Document) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.URL+path, nil)
	req.Header.Set("Accept-Language", acceptLanguage)
	resp, doc := e.do(req)
	if resp.Header.Get("Set-Cookie") != "" {
		e.t.Errorf("%s set a cookie", path)
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
// switch stores the pick for this hub session (no cookie) and comes back to
// the page it was on, and the pick holds on every page. Storing it per hub
// session is the store's (TestConnectSessionService_SetHubLocale); the
// switch's refusals are TestHubLocale_Switch's. No database.
func TestHub_LocaleChoice(t *testing.T) {
	t.Parallel()
	e := hubbNewLocaleEnv(t)
	_, doc := e.getIn("/hub/h1", "de-CH, en;q=0.5")
	wantLang(t, doc, "de")
	_, doc = e.getIn("/hub/h1", "sv")
	wantLang(t, doc, "en") // the admin's default, as shipped

	e.mu.Lock()
	e.fallback = "nl"
	e.mu.Unlock()
	_, doc = e.getIn("/hub/h1", "sv")
	wantLang(t, doc, "nl")

	// The host product's locale beats the browser's.
	e.set(func(cs *linkhub.ConnectSession) { cs.Locale = "fr" })
	_, doc = e.getIn("/hub/h1", "de")
	wantLang(t, doc, "fr")

	// The user's pick beats both, and comes back to the page it was made on.
	form := doc.Find(`[data-testid="language-switch"]`)
	action, _ := form.Attr("action")
	next := form.Find(`[name="next"]`).AttrOr("value", "")
	if action != "/hub/h1/locale" || next != "/hub/h1" {
		t.Errorf("switch posts to %q and comes back to %q, want /hub/h1/locale and /hub/h1", action, next)
	}
	resp, _ := e.post(action, url.Values{"locale": {"ja"}, "next": {next}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/hub/h1" || resp.Header.Get("Set-Cookie") != "" {
		t.Fatalf("switch: got %d to %q (cookie %q), want 303 back to /hub/h1 and no cookie", resp.StatusCode,
			resp.Header.Get("Location"), resp.Header.Get("Set-Cookie"))
	}
	if got := e.stored(); len(got) != 1 || got[0] != "h1:ja" {
		t.Fatalf("stored %v, want h1:ja", got)
	}
	_, doc = e.getIn("/hub/h1", "de")
	wantLang(t, doc, "ja")
	profile := doc.Find(`[data-testid="profile-p1"]`).AttrOr("href", "")
	_, doc = e.getIn(profile, "de")
	if got := doc.Find("html").AttrOr("lang", ""); profile != "/hub/h1/profiles/p1" || got != "ja" ||
		doc.Find(`[data-testid="hub-form"] h2`).Text() != views.Japanese.FormTitle {
		t.Errorf("form %q after the switch: lang %q, form title %q, want Japanese", profile, got, doc.Find(`[data-testid="hub-form"] h2`).Text())
	}
	if next := doc.Find(`[data-testid="language-switch"] [name="next"]`).AttrOr("value", ""); next != profile {
		t.Errorf("the form's switch comes back to %q, want %q", next, profile)
	}
}

// TestConnectSessionAPI_Locale: the API hands the locale to the linking
// service as sent, and the locale of the session it made is the hub's
// language. Reading it (any case, the pseudo-locale) and refusing others
// is linking's (TestService_CreateSession), the 400 the API's mapping of
// any rule error (TestConnectSessionAPI_Shape). No database.
func TestConnectSessionAPI_Locale(t *testing.T) {
	t.Parallel()
	for tag, want := range map[string]string{"pt-br": "pt-BR", "JA": "ja", "en-XA": "en-XA"} {
		t.Run(tag, func(t *testing.T) {
			t.Parallel()
			e := hubbNewLocaleEnv(t)
			e.withAPIKey()
			var got linking.SessionRequest
			e.linking.CreateSessionFn = func(_ context.Context, _ linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
				got = req
				cs := mockSession()
				cs.Locale = want // as linking reads it
				return cs, mockHubToken, nil
			}
			if status, out := e.api(http.MethodPost, "/api/v1/connect_sessions",
				`{"origin_owner_id":"o","origin_owner_name":"O","locale":"`+tag+`"}`); status != http.StatusCreated || got.Locale != tag {
				t.Fatalf("got %d %v, the service got locale %q, want 201 and %q", status, out, got.Locale, tag)
			}
			e.set(func(cs *linkhub.ConnectSession) { cs.Locale = want })
			_, doc := e.getIn("/hub/h1/profiles/p1", "de")
			if got := doc.Find("html").AttrOr("lang", ""); got != want || doc.Find(`[data-testid="hub-form"]`).Length() != 1 {
				t.Errorf("html lang %q, want %q and the form", got, want)
			}
		})
	}
}

// TestLocalSpec: the hub shows a connector's text through Localized (the
// translation where there is one, English string by string where not), the
// category in the hub's own words, and the pseudo-locale made from English
// with the values to paste kept.
func TestLocalSpec(t *testing.T) {
	t.Parallel()
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
// parameter of the connect link and is stored as this hub session's pick;
// one the hub does not have (the pseudo-locale included) stores nothing. A
// link that does not work says so in the SDK's language, else the
// browser's. No database.
func TestHub_SDKLocale(t *testing.T) {
	t.Parallel()
	for param, want := range map[string]string{"it": "it", "pt-br": "pt-BR", "xx": "", "en-XA": ""} {
		t.Run(param, func(t *testing.T) {
			t.Parallel()
			e := hubbNewLocaleEnv(t)
			resp, _ := e.getIn("/connect?token="+mockHubToken+"&locale="+url.QueryEscape(param), "")
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/hub/h1" {
				t.Fatalf("got %d to %q, want 303 to /hub/h1", resp.StatusCode, loc)
			}
			stored := e.stored()
			if want == "" && len(stored) != 0 || want != "" && (len(stored) != 1 || stored[0] != "h1:"+want) {
				t.Fatalf("stored %v, want %q", stored, want)
			}
			_, doc := e.getIn("/hub/h1", "")
			if want == "" {
				want = "en"
			}
			wantLang(t, doc, want)
		})
	}
	t.Run("UnknownLink", func(t *testing.T) {
		t.Parallel()
		e := hubbNewLocaleEnv(t)
		resp, doc := e.getIn("/connect?token=nope&locale=ja", "de")
		if got := doc.Find("html").AttrOr("lang", ""); resp.StatusCode != http.StatusNotFound || got != "ja" || doc.Find("h1").Text() != views.Japanese.UnknownTitle {
			t.Errorf("unknown link with locale=ja: got %d, lang %q, %q", resp.StatusCode, got, doc.Find("h1").Text())
		}
		if _, doc := e.getIn("/connect?token=nope", "de-AT"); doc.Find("h1").Text() != views.German.UnknownTitle {
			t.Errorf("unknown link for a German browser: got %q", doc.Find("h1").Text())
		}
		if got := e.stored(); len(got) != 0 {
			t.Errorf("stored %v for an unknown link", got)
		}
	})
}

// Every built-in connector's category has a name in every hub language: the
// picker shows it, and a category added with a new definition must not stay
// English in seven languages unnoticed.
func TestHub_CategoryNames(t *testing.T) {
	t.Parallel()
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		cat := c.Spec().Category
		for _, tag := range linkhub.Locales[1:] {
			if views.Text(tag).Category[cat] == "" {
				t.Errorf("%s: category %q has no name in %s (views/hubtext_*.go Category)", c.Spec().ID, cat, tag)
			}
		}
	}
}
