// Package pseudo makes the pseudo-locale: English with every letter accented
// and about 35 % longer, so that a test sees at once a string that was never
// translated (it stays plain) and a layout that cannot take longer text.
package pseudo

import (
	"strings"
	"unicode/utf8"
)

var accented = map[rune]rune{
	'a': 'á', 'b': 'ƀ', 'c': 'ç', 'd': 'ð', 'e': 'é', 'f': 'ƒ', 'g': 'ĝ', 'h': 'ĥ', 'i': 'í',
	'j': 'ĵ', 'k': 'ķ', 'l': 'ļ', 'm': 'ɱ', 'n': 'ñ', 'o': 'ö', 'p': 'þ', 'q': 'ǫ', 'r': 'ŕ',
	's': 'š', 't': 'ţ', 'u': 'ú', 'v': 'ṽ', 'w': 'ŵ', 'x': 'ẋ', 'y': 'ý', 'z': 'ž',
	'A': 'Á', 'B': 'Ɓ', 'C': 'Ç', 'D': 'Ð', 'E': 'É', 'F': 'Ƒ', 'G': 'Ĝ', 'H': 'Ĥ', 'I': 'Í',
	'J': 'Ĵ', 'K': 'Ķ', 'L': 'Ļ', 'M': 'Ṁ', 'N': 'Ñ', 'O': 'Ö', 'P': 'Þ', 'Q': 'Ǫ', 'R': 'Ŕ',
	'S': 'Š', 'T': 'Ţ', 'U': 'Ú', 'V': 'Ṽ', 'W': 'Ŵ', 'X': 'Ẋ', 'Y': 'Ý', 'Z': 'Ž',
}

// Text returns s in the pseudo-locale. Placeholders survive unchanged so the
// string still formats: fmt verbs (%s, %d, %%) and {name} substitutions. The
// padding goes inside brackets, which also show where a string was cut.
func Text(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("[")
	inBrace := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '%' && i+1 < len(s):
			b.WriteString(s[i : i+2]) // a fmt verb, or %%
			i += 2
			continue
		case r == '{':
			inBrace = true
		case r == '}':
			inBrace = false
		}
		if a, ok := accented[r]; ok && !inBrace {
			b.WriteRune(a)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	// About 35 % longer, in characters, as German or French often is.
	pad := (utf8.RuneCountInString(s)*35 + 99) / 100
	b.WriteString(" ")
	for n := 0; n < pad; n++ {
		b.WriteString([]string{"·", "~"}[n%2])
	}
	b.WriteString("]")
	return b.String()
}
