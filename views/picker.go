package views

import (
	"fmt"
	"strings"
)

// PickerFilter is the search and category filter above a list of services:
// the hub's picker and the admin catalogue. It is a GET form that works
// without script; picker.js filters the same way as the user types.
type PickerFilter struct {
	Action     string // where the form goes
	Query      string
	Category   string
	Categories []string // offered only when there are two or more
	Shown      int      // how many services match
	Error      string   // what was wrong with the query; then nothing was filtered
	Text       PickerText
}

// Active reports whether the list is filtered.
func (f PickerFilter) Active() bool { return f.Query != "" || f.Category != "" }

// PickerText holds the filter's words. ResultsMany has a %d for the count.
type PickerText struct {
	SearchLabel, SearchPlaceholder, CategoryLabel, AllCategories, SearchButton string
	ResultsOne, ResultsMany, NoResults, ShowAll                                string
}

// Count says how many services match, as the status line reads it.
func (t PickerText) Count(n int) string {
	switch n {
	case 0:
		return t.NoResults
	case 1:
		return t.ResultsOne
	}
	return fmt.Sprintf(t.ResultsMany, n)
}

// pickerSearchText is what a service is found by: picker.js matches the
// query's words against it as the server does.
func pickerSearchText(words ...string) string {
	return strings.ToLower(strings.Join(words, " "))
}

// PickerSearchFrom is how many services a picker needs before it offers a
// search: fewer fit on one screen.
const PickerSearchFrom = 5

// splitFeatured returns the profiles the admin put first, then the others,
// each in the order given.
func splitFeatured(list []HubProfile) (featured, others []HubProfile) {
	for _, p := range list {
		if p.Featured {
			featured = append(featured, p)
		} else {
			others = append(others, p)
		}
	}
	return featured, others
}

// allHidden reports whether the filter hides every profile of list.
func allHidden(hidden map[string]bool, list []HubProfile) bool {
	for _, p := range list {
		if !hidden[p.ID] {
			return false
		}
	}
	return true
}
