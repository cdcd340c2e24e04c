package views_test

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// allTags are the hub's languages and the pseudo-locale.
var allTags = append(slices.Clone(linkhub.Locales), linkhub.PseudoLocale)

// eachString calls f with the name and value of every string of t: fields,
// map entries (name "Field[key]") and the Summary labels.
func eachString(t views.HubText, f func(name, s string)) {
	v := reflect.ValueOf(t)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		switch x := v.Field(i).Interface().(type) {
		case string:
			f(name, x)
		case map[string]string:
			for k, s := range x {
				f(name+"["+k+"]", s)
			}
		case []views.KeyValue:
			for _, kv := range x {
				f(name+"["+kv.Key+"]", kv.Value)
			}
		}
	}
}

// TestHubText_Complete: every language has every string English has, none
// empty, none extra, and says which language it is.
func TestHubText_Complete(t *testing.T) {
	want := map[string]bool{}
	eachString(views.English, func(name, _ string) { want[name] = true })
	if len(want) < 90 {
		t.Fatalf("English has %d strings, want the whole hub", len(want))
	}
	for _, tag := range allTags {
		text := views.Text(tag)
		if text.Lang != tag {
			t.Errorf("%s: the catalogue says it is %q", tag, text.Lang)
		}
		got := map[string]bool{}
		eachString(text, func(name, s string) {
			got[name] = true
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", tag, name)
			}
			if !want[name] {
				t.Errorf("%s: %s is not in English", tag, name)
			}
		})
		for name := range want {
			if !got[name] {
				t.Errorf("%s: %s is missing", tag, name)
			}
		}
	}
	if views.Text("sv").Lang != "en" {
		t.Error("an unknown language does not fall back to English")
	}
}

var verbRE = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// TestHubText_Placeholders: every translation formats with the same
// arguments, in the same order, as English.
func TestHubText_Placeholders(t *testing.T) {
	english := map[string][]string{}
	eachString(views.English, func(name, s string) { english[name] = verbRE.FindAllString(s, -1) })
	for _, tag := range allTags {
		eachString(views.Text(tag), func(name, s string) {
			if got := verbRE.FindAllString(s, -1); !slices.Equal(got, english[name]) {
				t.Errorf("%s: %s has placeholders %q, English %q", tag, name, got, english[name])
			}
		})
	}
}

// TestHubText_Pseudo: the pseudo-locale changes every word of English and
// keeps the codes.
func TestHubText_Pseudo(t *testing.T) {
	en := map[string]string{}
	eachString(views.English, func(name, s string) { en[name] = s })
	eachString(views.Text(linkhub.PseudoLocale), func(name, s string) {
		switch name {
		case "Lang", "DateFormat":
			return
		}
		if s == en[name] || !strings.HasPrefix(s, "[") {
			t.Errorf("en-XA: %s = %q, want it made from %q", name, s, en[name])
		}
	})
	if p := views.Text(linkhub.PseudoLocale); p.DateFormat != views.English.DateFormat || !p.LowerLabels {
		t.Error("en-XA changed a code of English")
	}
}

// TestHubText_Formats: durations group digits and dates read as each
// language writes them.
func TestHubText_Formats(t *testing.T) {
	day := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	for tag, want := range map[string][2]string{
		"en": {"12,345 ms", "4 March 2026"},
		"de": {"12.345 ms", "4.3.2026"},
		"fr": {"12\u00a0345 ms", "04/03/2026"},
		"ja": {"12,345 ミリ秒", "2026年3月4日"},
	} {
		text := views.Text(tag)
		if got := text.Duration(12345); got != want[0] {
			t.Errorf("%s: duration %q, want %q", tag, got, want[0])
		}
		if got := text.Date(day); got != want[1] {
			t.Errorf("%s: date %q, want %q", tag, got, want[1])
		}
	}
}

// TestSDK_Titles: the SDK names its modal with the hub's own picker title in
// every language, and nothing else.
func TestSDK_Titles(t *testing.T) {
	b, err := os.ReadFile("../static/js/linkhub.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)var titles = \{(.*?)\};`).FindSubmatch(b)
	if block == nil {
		t.Fatal("linkhub.js has no titles table")
	}
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`"([A-Za-z-]+)": "([^"]*)"`).FindAllSubmatch(block[1], -1) {
		got[string(m[1])] = string(m[2])
	}
	if len(got) != len(linkhub.Locales) {
		t.Errorf("the SDK has titles for %v, want %v", got, linkhub.Locales)
	}
	for _, tag := range linkhub.Locales {
		if want := views.Text(tag).PickerTitle; got[tag] != want {
			t.Errorf("%s: SDK title %q, want the hub's %q", tag, got[tag], want)
		}
	}
}
