package views

import (
	"reflect"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// catalogs are the hub's texts by BCP 47 tag, one per linkhub.Locales entry,
// plus the pseudo-locale made from English.
var catalogs = map[string]HubText{
	"en": English, "de": German, "fr": French, "es": Spanish, "it": Italian,
	"nl": Dutch, "pt-BR": BrazilianPortuguese, "ja": Japanese,
	linkhub.PseudoLocale: pseudoText(English),
}

// Text returns the hub text of the language tag names, or English.
func Text(tag string) HubText {
	if t, ok := catalogs[tag]; ok {
		return t
	}
	return English
}

// Language is one choice of the hub's language switcher.
type Language struct {
	Tag  string
	Name string // the language named in itself: "Deutsch", "日本語"
}

// Languages are the hub's languages, each named in itself, in the order of
// linkhub.Locales.
var Languages = func() []Language {
	out := make([]Language, 0, len(linkhub.Locales))
	for _, tag := range linkhub.Locales {
		t := language.MustParse(tag)
		// display names French "français"; a menu entry starts upper case.
		out = append(out, Language{Tag: tag, Name: cases.Title(t).String(display.Self.Name(t))})
	}
	return out
}()

// Date formats a date in this text's language.
func (t HubText) Date(tm time.Time) string { return tm.Format(t.DateFormat) }

// Duration formats a stage's duration in this text's language, digits
// grouped as the language groups them.
func (t HubText) Duration(ms int64) string {
	return message.NewPrinter(language.Make(t.Lang)).Sprintf(t.DurationMS, ms)
}

// CategoryName is a connector category's name in this language.
func (t HubText) CategoryName(english string) string {
	if s := t.Category[english]; s != "" {
		return s
	}
	return english
}

// pseudoText is en in the pseudo-locale: every word the user reads goes
// through pseudo.Text; codes (fields tagged pseudo:"keep") and map keys stay.
func pseudoText(en HubText) HubText {
	out := en
	v := reflect.ValueOf(&out).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if v.Type().Field(i).Tag.Get("pseudo") == "keep" {
			continue
		}
		switch f := f.Addr().Interface().(type) {
		case *string:
			*f = pseudo.Text(*f)
		case *map[string]string:
			m := make(map[string]string, len(*f))
			for k, s := range *f {
				m[k] = pseudo.Text(s)
			}
			*f = m
		case *[]KeyValue:
			kv := make([]KeyValue, len(*f))
			for j, e := range *f {
				kv[j] = KeyValue{Key: e.Key, Value: pseudo.Text(e.Value)}
			}
			*f = kv
		}
	}
	out.Lang = linkhub.PseudoLocale
	return out
}

// LocalSpec is a connector's spec with its end-user text in the language
// tag names: the pseudo-locale is made from the English, the others come
// from the spec's translations, English where one is missing. Categories
// are the hub's own words.
func LocalSpec(spec linkhub.ConnectorSpec, tag string) linkhub.ConnectorSpec {
	if tag == linkhub.PseudoLocale {
		return pseudo.Spec(spec)
	}
	out := spec.Localized(tag)
	out.Category = Text(tag).CategoryName(spec.Category)
	return out
}
