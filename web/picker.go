package web

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// maxPickerQuery is the longest search a picker takes, in characters (the
// field's maxlength; a longer one was typed into the URL).
const maxPickerQuery = 100

// pickerProblems are the picker's messages for a bad ?q= or ?category=, in
// the page's language.
type pickerProblems struct{ tooLong, unreadable, unknownCategory string }

// pickerSearch is a picker's ?q= and ?category=, read by parsePickerSearch.
type pickerSearch struct {
	words    []string
	category string
}

// parsePickerSearch reads ?q= and ?category= into f, whose Categories are
// those of the page's services. A bad value is named in f.Error and filters
// nothing: every service stays shown.
func parsePickerSearch(c echo.Context, f *views.PickerFilter, p pickerProblems) pickerSearch {
	q, cat := strings.TrimSpace(c.QueryParam("q")), c.QueryParam("category")
	switch {
	case !linkhub.ValidText(q):
		f.Error, q = p.unreadable, ""
	case utf8.RuneCountInString(q) > maxPickerQuery:
		f.Error, q = p.tooLong, ""
	}
	if cat != "" && !slices.Contains(f.Categories, cat) {
		f.Error, cat = p.unknownCategory, ""
	}
	f.Query, f.Category = q, cat
	return pickerSearch{words: strings.Fields(strings.ToLower(q)), category: cat}
}

// matches reports whether a service of category, found by text, is shown:
// in the chosen category, and holding every word of the search. picker.js
// filters by the same rule as the user types.
func (s pickerSearch) matches(category string, text ...string) bool {
	if s.category != "" && category != s.category {
		return false
	}
	hay := strings.ToLower(strings.Join(text, " "))
	for _, w := range s.words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// pickerItem is a service as a picker filters it.
type pickerItem struct {
	id, category string
	text         []string // what it is found by
}

// filterPicker offers the categories of items in f, reads the request's
// search into f and returns the ids of the items it hides.
func filterPicker(c echo.Context, f *views.PickerFilter, p pickerProblems, items []pickerItem) map[string]bool {
	var cats []string
	for _, it := range items {
		if it.category != "" {
			cats = append(cats, it.category)
		}
	}
	slices.Sort(cats)
	f.Categories = slices.Compact(cats)
	s := parsePickerSearch(c, f, p)
	hidden := map[string]bool{}
	for _, it := range items {
		if s.matches(it.category, it.text...) {
			f.Shown++
		} else {
			hidden[it.id] = true
		}
	}
	return hidden
}

// hubPicker is the hub's picker of list, filtered by the request's search.
func hubPicker(c echo.Context, connectors Connectors, h *hubState, list []*linkhub.Profile) views.HubPickerView {
	v := views.HubPickerView{HubFrame: h.frame()}
	var items []pickerItem
	for _, p := range list {
		conn, _ := connectors.Get(p.ConnectorID)
		hp := hubProfile(p, views.LocalSpec(conn.Spec(), h.locale))
		v.Profiles = append(v.Profiles, hp)
		items = append(items, pickerItem{hp.ID, hp.Category, []string{hp.Name, hp.Vendor, hp.Category}})
	}
	if len(v.Profiles) < views.PickerSearchFrom { // no search offered: nothing to filter by
		return v
	}
	t := v.Text
	v.Filter = views.PickerFilter{Action: "/hub/" + h.handle, Text: t.Picker()}
	v.Hidden = filterPicker(c, &v.Filter, pickerProblems{t.QueryTooLong, t.QueryUnreadable, t.UnknownCategory}, items)
	return v
}

// catalogProblems are the admin catalogue's words for a bad search.
var catalogProblems = pickerProblems{
	tooLong:         "The search is too long: use at most 100 characters. Showing every connector.",
	unreadable:      "The search holds characters that cannot be searched for. Showing every connector.",
	unknownCategory: "There is no such category. Showing every connector.",
}

// catalogText is the admin catalogue's filter text.
var catalogText = views.PickerText{SearchLabel: "Search connectors", SearchPlaceholder: "Name, category or what it does",
	CategoryLabel: "Category", AllCategories: "All categories", SearchButton: "Search", ResultsOne: "1 connector",
	ResultsMany: "%d connectors", NoResults: "No connector matches. Try another word or category.", ShowAll: "Show all connectors"}

// catalogView is the admin catalogue of connectors, filtered by the
// request's search.
func catalogView(c echo.Context, connectors Connectors) views.ProfileCatalogView {
	var v views.ProfileCatalogView
	var items []pickerItem
	for _, conn := range connectors.All() {
		card := connectorCard(conn.Spec())
		v.Connectors = append(v.Connectors, card)
		items = append(items, pickerItem{card.ID, card.Category, []string{card.Name, card.Category, card.Summary}})
	}
	v.Filter = views.PickerFilter{Action: "/admin/profiles/new", Text: catalogText}
	v.Hidden = filterPicker(c, &v.Filter, catalogProblems, items)
	return v
}
