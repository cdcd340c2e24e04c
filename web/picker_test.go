package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// shownProfiles returns the names of the picker's profiles the page shows,
// in page order: those not hidden, nor in a hidden group.
func shownProfiles(doc *goquery.Document) []string {
	var out []string
	doc.Find(`[data-testid="profiles"] li[data-search]`).Each(func(_ int, li *goquery.Selection) {
		if li.Is("[hidden]") || li.Closest("[data-picker-group][hidden]").Length() > 0 {
			return
		}
		out = append(out, strings.TrimSpace(li.Find(".font-semibold").Text()))
	})
	return out
}

// hubbPickerEnv is the mock env with hub session h1 whose linking service
// offers list, in the store's order (by name, as FindProfiles sorts).
func hubbPickerEnv(t *testing.T, list []*linkhub.Profile) *mockEnv {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	e.withHubSession(nil)
	slices.SortFunc(list, func(a, b *linkhub.Profile) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	e.linking.ProfilesFn = func(_ context.Context, cs *linkhub.ConnectSession) ([]*linkhub.Profile, error) {
		if cs.ID != "cs-1" {
			t.Errorf("profiles of session %q, want cs-1", cs.ID)
		}
		return list, nil
	}
	return e
}

// TestHub_Picker has a profile for every connector and a few more on the
// picker: the featured ones come first, and the search and category work as
// a plain GET form, with a specific message for each bad input. Which
// profiles a session offers is linking's (TestService_Target), their order
// and featured mark the store's (TestProfileService). No database.
func TestHub_Picker(t *testing.T) {
	t.Parallel()
	var list []*linkhub.Profile
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		id, name := c.Spec().ID, c.Spec().Name
		list = append(list, &linkhub.Profile{ID: "p-" + id, ConnectorID: id, Name: name, Enabled: true,
			Featured: name == "Okta" || name == "Zoom"})
	}
	for i, name := range []string{"Jamf Pro (EU)", "Jamf Pro (school)", "NinjaOne (partners)"} {
		connectorID := "jamf"
		if strings.HasPrefix(name, "NinjaOne") {
			connectorID = "ninjaone"
		}
		list = append(list, &linkhub.Profile{ID: fmt.Sprintf("p-extra-%d", i), ConnectorID: connectorID, Name: name, Enabled: true})
	}
	n := len(list)
	e := hubbPickerEnv(t, list)
	const hub = "/hub/h1"
	count := func(doc *goquery.Document) string {
		return strings.TrimSpace(doc.Find(`[data-testid="picker-count"]`).Text())
	}
	page := func(t *testing.T, query string) *goquery.Document {
		t.Helper()
		resp, doc := e.get(hub + query)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: got %d, want 200", query, resp.StatusCode)
		}
		return doc
	}

	t.Run("FeaturedFirst", func(t *testing.T) {
		doc := page(t, "")
		got := shownProfiles(doc)
		if len(got) != n || got[0] != "Okta" || got[1] != "Zoom" || got[2] == "Okta" {
			t.Fatalf("got %v, want all %d with Okta and Zoom first", got, n)
		}
		if doc.Find(`[data-testid="picker-featured"] h2`).Text() != "Suggested" || doc.Find(`[data-testid="picker-others"] li`).Length() != n-2 {
			t.Errorf("want a Suggested group of two, then the %d others", n-2)
		}
		if c, want := count(doc), fmt.Sprintf("%d services", n); c != want || n < 18 {
			t.Errorf("count: got %q of %d, want %q of 18 or more", c, n, want)
		}
		if doc.Find(`#picker-category option`).Length() < 8 || doc.Find(`[data-testid="picker-error"]`).Length() != 0 {
			t.Error("want a category choice of every category and no error")
		}
	})
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"Search", "?q=JAMF", []string{"Jamf Pro", "Jamf Pro (EU)", "Jamf Pro (school)"}},
		{"EveryWord", "?q=" + url.QueryEscape(" pro  school "), []string{"Jamf Pro (school)"}},
		{"ByCategory", "?category=PSA", []string{"ConnectWise PSA", "HaloPSA"}},
		{"SearchInCategory", "?q=jamf&category=" + url.QueryEscape("Device management"), []string{"Jamf Pro", "Jamf Pro (EU)", "Jamf Pro (school)"}},
		{"FeaturedFound", "?q=zoom", []string{"Zoom"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := page(t, tc.query)
			if got := shownProfiles(doc); strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if doc.Find(`[data-testid="picker-show-all"]`).AttrOr("href", "") != hub {
				t.Error("no link back to every service")
			}
			if q, _ := url.ParseQuery(strings.TrimPrefix(tc.query, "?")); doc.Find(`#picker-q`).AttrOr("value", "") != strings.TrimSpace(q.Get("q")) {
				t.Errorf("search field: got %q, want what was searched", doc.Find(`#picker-q`).AttrOr("value", ""))
			}
		})
	}
	t.Run("NoMatch", func(t *testing.T) {
		doc := page(t, "?q=nothing-like-this")
		if got := shownProfiles(doc); len(got) != 0 || count(doc) != "No service matches. Try another word or category." {
			t.Errorf("got %v and %q, want none and the no-match words", got, count(doc))
		}
	})
	for _, tc := range []struct{ name, query, want string }{
		{"ErrTooLong", "?q=" + strings.Repeat("a", 101), "The search is too long: use at most 100 characters. Showing every service."},
		{"ErrUnreadable", "?q=%00jamf", "The search holds characters that cannot be searched for. Showing every service."},
		{"ErrUnknownCategory", "?category=" + url.QueryEscape("<b>Toys</b>"), "There is no such category here. Showing every service."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := page(t, tc.query)
			if got := strings.TrimSpace(doc.Find(`[data-testid="picker-error"]`).Text()); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if got := shownProfiles(doc); len(got) != n {
				t.Errorf("got %d shown, want all %d: a bad search filters nothing", len(got), n)
			}
		})
	}
}

// TestHub_PickerFewProfiles keeps a short picker as it was: no search, and
// a search in the URL hides nothing. No database.
func TestHub_PickerFewProfiles(t *testing.T) {
	t.Parallel()
	var list []*linkhub.Profile
	for _, id := range []string{"jamf", "sophos", "ninjaone"} {
		list = append(list, &linkhub.Profile{ID: "p-" + id, ConnectorID: id, Name: id, Enabled: true})
	}
	e := hubbPickerEnv(t, list)
	_, doc := e.get("/hub/h1?q=jamf")
	if doc.Find(`[data-testid="picker-form"]`).Length() != 0 || len(shownProfiles(doc)) != 3 {
		t.Errorf("got a search form %d times and %v shown, want none and all three", doc.Find(`[data-testid="picker-form"]`).Length(), shownProfiles(doc))
	}
}

// TestAdmin_CatalogSearch filters the admin's catalogue of connectors by
// words and category without script, and hands the featured mark of a new
// or edited profile to the profile service; storing it is the store's
// (TestProfileService/Featured). No database.
func TestAdmin_CatalogSearch(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.signIn()
	shown := func(doc *goquery.Document) []string {
		var out []string
		doc.Find(`[data-testid="catalog"] li`).Not("[hidden]").Each(func(_ int, li *goquery.Selection) {
			out = append(out, strings.TrimPrefix(li.Find("a").AttrOr("data-testid", ""), "pick-"))
		})
		return out
	}
	all := len(connector.NewRegistry(connector.Config{}).All())
	for _, tc := range []struct {
		name, query string
		want        []string
		err         string
	}{
		{"All", "", nil, ""},
		{"Search", "?q=" + url.QueryEscape("ticket"), []string{"connectwise", "halopsa"}, ""},
		{"ByCategory", "?category=Identity", []string{"okta"}, ""},
		{"ErrUnknownCategory", "?category=Toys", nil, "There is no such category. Showing every connector."},
		{"ErrTooLong", "?q=" + strings.Repeat("é", 101), nil, "The search is too long: use at most 100 characters. Showing every connector."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, doc := e.get("/admin/profiles/new" + tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("got %d, want 200", resp.StatusCode)
			}
			got := shown(doc)
			if tc.want == nil && len(got) != all || tc.want != nil && strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v (nil: all %d)", got, tc.want, all)
			}
			if msg := strings.TrimSpace(doc.Find(`[data-testid="picker-error"]`).Text()); msg != tc.err {
				t.Errorf("message: got %q, want %q", msg, tc.err)
			}
		})
	}
	t.Run("Featured", func(t *testing.T) {
		var mu sync.Mutex
		stored := &linkhub.Profile{ID: "11111111-2222-4333-8444-555555555555", ConnectorID: "jamf", Enabled: true,
			Values: map[string]string{"url": "https://acme.jamfcloud.com"}}
		var updates []linkhub.ProfileUpdate
		e.profiles.CreateProfileFn = func(_ context.Context, actor linkhub.Actor, p *linkhub.Profile, _ map[string]secret.Value) error {
			mu.Lock()
			defer mu.Unlock()
			if actor.ID != mockAdminID {
				t.Errorf("created by %+v, want the admin", actor)
			}
			p.ID = stored.ID
			stored.Name, stored.Featured, stored.Actions = p.Name, p.Featured, p.Actions
			return nil
		}
		e.profiles.FindProfileByIDFn = func(_ context.Context, id string) (*linkhub.Profile, error) {
			mu.Lock()
			defer mu.Unlock()
			if id != stored.ID {
				return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
			}
			p := *stored
			return &p, nil
		}
		e.profiles.UpdateProfileFn = func(_ context.Context, _ linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error) {
			mu.Lock()
			defer mu.Unlock()
			updates = append(updates, upd)
			p := *stored
			return &p, nil
		}
		f := url.Values{"connector": {"jamf"}, "name": {"Jamf Pro first"}, "field.url": {"https://acme.jamfcloud.com"},
			"actions": {"list_computers", "get_version"}, "featured": {"on"}}
		resp, _ := e.post("/admin/profiles", f)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/admin/profiles/"+stored.ID {
			t.Fatalf("create: got %d to %q, want 303 to the profile", resp.StatusCode, loc)
		}
		mu.Lock()
		featured := stored.Featured
		mu.Unlock()
		if !featured {
			t.Fatal("the service got the new profile without the mark")
		}
		if _, doc := e.get("/admin/profiles/" + stored.ID); doc.Find(`[data-testid="featured"][checked]`).Length() != 1 {
			t.Error("the edit form does not show the mark")
		}
		f.Del("featured")
		if resp, _ := e.post("/admin/profiles/"+stored.ID, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: got %d", resp.StatusCode)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(updates) != 1 || updates[0].Featured == nil || *updates[0].Featured {
			t.Errorf("got updates %+v, want one unmarking the profile", updates)
		}
	})
}
