package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
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

// TestHub_Picker has a profile for every connector and a few more on the
// picker: the featured ones come first, and the search and category work as
// a plain GET form, with a specific message for each bad input.
func TestHub_Picker(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	ctx := context.Background()
	n := 0
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		env.MustProfile(t, c.Spec().ID, c.Spec().Name)
		n++
	}
	for _, name := range []string{"Jamf Pro (EU)", "Jamf Pro (school)", "NinjaOne (partners)"} {
		connectorID := "jamf"
		if strings.HasPrefix(name, "NinjaOne") {
			connectorID = "ninjaone"
		}
		env.MustProfile(t, connectorID, name)
		n++
	}
	on := true
	for _, name := range []string{"Okta", "Zoom"} {
		list, _ := env.profiles.FindProfiles(ctx, linkhub.ProfileFilter{})
		for _, p := range list {
			if p.Name == name {
				if _, err := env.profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Featured: &on}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	hub := env.MustOpen(t, env.MustToken(t, nil))
	count := func(doc *goquery.Document) string {
		return strings.TrimSpace(doc.Find(`[data-testid="picker-count"]`).Text())
	}
	page := func(t *testing.T, query string) *goquery.Document {
		t.Helper()
		resp, doc := env.get(t, hub+query)
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
// a search in the URL hides nothing.
func TestHub_PickerFewProfiles(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	for _, id := range []string{"jamf", "sophos", "ninjaone"} {
		env.MustProfile(t, id, id)
	}
	hub := env.MustOpen(t, env.MustToken(t, nil))
	_, doc := env.get(t, hub+"?q=jamf")
	if doc.Find(`[data-testid="picker-form"]`).Length() != 0 || len(shownProfiles(doc)) != 3 {
		t.Errorf("got a search form %d times and %v shown, want none and all three", doc.Find(`[data-testid="picker-form"]`).Length(), shownProfiles(doc))
	}
}

// TestAdmin_CatalogSearch filters the admin's catalogue of connectors by
// words and category without script, and marks a new profile featured.
func TestAdmin_CatalogSearch(t *testing.T) {
	t.Parallel()
	e := newVendorEnv(t)
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
			resp, doc := e.b.get("/admin/profiles/new" + tc.query)
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
		f := e.jamfForm("Jamf Pro first")
		f.Set("featured", "on")
		id := e.createProfile(f)
		p, err := e.profiles.FindProfileByID(context.Background(), id)
		if err != nil || !p.Featured {
			t.Fatalf("got %+v (%v), want it featured", p, err)
		}
		if _, doc := e.b.get("/admin/profiles/" + id); doc.Find(`[data-testid="featured"][checked]`).Length() != 1 {
			t.Error("the edit form does not show the mark")
		}
		f.Del("featured")
		if resp, _ := e.b.post("/admin/profiles/"+id, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: got %d", resp.StatusCode)
		}
		if p, _ := e.profiles.FindProfileByID(context.Background(), id); p.Featured {
			t.Error("unticked, the profile is still featured")
		}
	})
}
