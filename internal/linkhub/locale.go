package linkhub

import (
	"context"
	"slices"
	"strings"
)

// The hub's languages as BCP 47 tags, English first: English is the text
// every other language falls back to, string by string.
var Locales = []string{"en", "de", "fr", "es", "it", "nl", "pt-BR", "ja"}

// PseudoLocale is English accented and made longer, for tests that look for
// truncation and text that was never translated. It is never offered to users.
const PseudoLocale = "en-XA"

type localeKey struct{}

// WithLocale returns ctx carrying the end user's language, so that what a
// connector writes for the user (hints, stage messages) is in that language.
func WithLocale(ctx context.Context, tag string) context.Context {
	return context.WithValue(ctx, localeKey{}, tag)
}

// LocaleFrom returns the language ctx carries, or English.
func LocaleFrom(ctx context.Context) string {
	if tag, ok := ctx.Value(localeKey{}).(string); ok && tag != "" {
		return tag
	}
	return "en"
}

// ParseLocale returns the hub language a host product or a user named, as
// Locales spells it (case does not matter); the pseudo-locale only when
// pseudoOK (the API takes it, for layout tests; the hub's switch never
// offers it).
func ParseLocale(s string, pseudoOK bool) (string, bool) {
	s = strings.TrimSpace(s)
	if pseudoOK && strings.EqualFold(s, PseudoLocale) {
		return PseudoLocale, true
	}
	i := slices.IndexFunc(Locales, func(l string) bool { return strings.EqualFold(l, s) })
	if i < 0 {
		return "", false
	}
	return Locales[i], true
}
