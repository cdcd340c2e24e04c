package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/views"
	"github.com/linkhub/linkhub/web"
)

// mockHub is a server on mocks with one hub session, h1, whose user picked
// hubLocale; setLocale records the picks stored.
func mockHub(t *testing.T, locale, hubLocale string) (srv string, m *mocks, picks *[]string) {
	t.Helper()
	deps, m := mockDeps(&syncBuffer{})
	m.connectSessions.FindHubSessionFn = func(_ context.Context, handle string) (*linkhub.ConnectSession, error) {
		if handle != "h1" {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Unknown hub session.")
		}
		return &linkhub.ConnectSession{ID: "cs-1", OriginOwnerID: "org-1", OriginOwnerName: "Org 1", MaxLinks: 1,
			ExpiresAt: time.Now().Add(time.Hour), Locale: locale, HubLocale: hubLocale}, nil
	}
	m.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		return &s, nil
	}
	picks = &[]string{}
	m.connectSessions.SetHubLocaleFn = func(_ context.Context, handle, tag string) error {
		*picks = append(*picks, handle+":"+tag)
		return nil
	}
	return mustServer(t, web.Config{BaseURL: "http://linkhub.test"}, deps).URL, m, picks
}

// noRedirect does not follow redirects, so a test sees where they go.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// TestHubLocale_Switch: the language switch stores a pick of the hub's
// languages and goes back to a page of this hub session only; a bad pick
// is a 400 in the hub's language that stores nothing, and nothing sets a
// cookie. No database.
func TestHubLocale_Switch(t *testing.T) {
	t.Parallel()
	srv, _, picks := mockHub(t, "fr", "ja")
	post := func(locale, next string) (*http.Response, *goquery.Document) {
		resp, err := noRedirect.PostForm(srv+"/hub/h1/locale", url.Values{"locale": {locale}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if c := resp.Header.Get("Set-Cookie"); c != "" {
			t.Errorf("locale %q: set cookie %q", locale, c)
		}
		return resp, doc
	}
	for _, bad := range []string{"xx", "en-XA", ""} {
		resp, doc := post(bad, "/hub/h1")
		if msg := doc.Find(`[data-testid="error-message"]`).Text(); resp.StatusCode != http.StatusBadRequest ||
			!strings.Contains(msg, views.Japanese.FieldOption[len("「%s」"):]) {
			t.Errorf("locale %q: got %d %q, want 400 and the message in Japanese", bad, resp.StatusCode, msg)
		}
	}
	if len(*picks) != 0 {
		t.Fatalf("bad picks stored %v", *picks)
	}
	for _, tc := range []struct{ next, want string }{
		{"/hub/h1/profiles/p1", "/hub/h1/profiles/p1"}, {"/hub/h1", "/hub/h1"},
		{"https://evil.example/", "/hub/h1"}, {"//evil.example", "/hub/h1"}, {"/hub/h1/../../admin", "/hub/h1"},
		{"/admin", "/hub/h1"}, {"/hub/h1?x=1", "/hub/h1"}, {"/hub/h1x", "/hub/h1"}, {"/hub/h1/%2e%2e", "/hub/h1"},
	} {
		resp, _ := post("IT", tc.next)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != tc.want {
			t.Errorf("next %q: got %d to %q, want 303 to %q", tc.next, resp.StatusCode, loc, tc.want)
		}
	}
	if len(*picks) != 9 || (*picks)[0] != "h1:it" {
		t.Errorf("stored %v, want h1:it each time", *picks)
	}
}

// TestHubConnect_InputErrorsInHubLanguage: what the fields' own rules found
// is worded in the hub's language with the field's translated label; a
// connector's own check (Jamf's address) is shown as it comes. No database.
func TestHubConnect_InputErrorsInHubLanguage(t *testing.T) {
	t.Parallel()
	srv, m, _ := mockHub(t, "de", "")
	jamf, _ := connector.NewRegistry(connector.Config{}).Get("jamf")
	target := &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true}, Connector: jamf}
	m.linking.TargetFn = func(context.Context, *linkhub.ConnectSession, string) (*linking.Target, error) { return target, nil }
	var out *linking.Outcome
	m.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) { return out, nil }
	label := func(id string) string {
		for _, f := range jamf.Spec().Localized("de").Fields {
			if f.ID == id {
				return f.Label
			}
		}
		t.Fatalf("no field %s", id)
		return ""
	}
	errorOf := func(id string) string {
		resp, err := http.PostForm(srv+"/hub/h1/profiles/p1/connect", url.Values{"submission": {"s1"}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		doc, _ := goquery.NewDocumentFromReader(resp.Body)
		if resp.StatusCode != http.StatusOK || doc.Find("html").AttrOr("lang", "") != "de" {
			t.Fatalf("got %d in %q, want 200 in German", resp.StatusCode, doc.Find("html").AttrOr("lang", ""))
		}
		return strings.TrimSpace(doc.Find("#f-" + id + "-error").Text())
	}

	out = &linking.Outcome{Kind: linking.Invalid, Target: target, FieldRules: true,
		FieldErrors: map[string]string{"client_id": "Client ID is required."}}
	if got, want := errorOf("client_id"), fmt.Sprintf(views.German.FieldRequired, label("client_id")); !strings.Contains(got, want) {
		t.Errorf("field rule: got %q, want %q", got, want)
	}
	out = &linking.Outcome{Kind: linking.Invalid, Target: target,
		FieldErrors: map[string]string{"url": "Enter the address of your Jamf Pro server."}}
	if got := errorOf("url"); !strings.Contains(got, "Enter the address of your Jamf Pro server.") {
		t.Errorf("connector's check: got %q", got)
	}
}
