package linkhub

import (
	"strings"
	"unicode/utf8"
)

// ValidText reports whether s may be stored as text: valid UTF-8 without NUL
// characters, which PostgreSQL refuses in text and jsonb. A query parameter
// may hold both, and JSON may spell NUL as \u0000.
func ValidText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
