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

// ValidID reports whether s is a row id: a UUID in its standard text form,
// 8-4-4-4-12 hex digits. PostgreSQL reads other spellings too; ids in URLs
// have one.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// StorableText returns s with every NUL and invalid UTF-8 sequence replaced
// by U+FFFD, and whether anything was replaced.
func StorableText(s string) (string, bool) {
	if ValidText(s) {
		return s, false
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD"), true
}
