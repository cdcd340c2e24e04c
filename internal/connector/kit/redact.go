package kit

import (
	"regexp"
	"strings"
	"unicode"
)

// SnippetMax is the longest snippet, in characters, shown to a user.
const SnippetMax = 300

var (
	// JSON members whose name says they hold a credential.
	jsonSecret = regexp.MustCompile(`(?i)("[a-z_]*(?:token|secret|password|assertion)[a-z_]*"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// The same in a form-encoded or query string body.
	formSecret = regexp.MustCompile(`(?i)\b([a-z_]*(?:token|secret|password)[a-z_]*=)[^&\s"]+`)
	// JSON Web Tokens anywhere, e.g. echoed inside an error message.
	jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)
	// Authorization header values echoed back.
	bearer = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`)
)

// Snippet returns what a user may see of a vendor's answer: credentials and
// anything that looks like one removed (plus the given known secrets), white
// space collapsed, control characters dropped, cut to SnippetMax characters.
// Escaping is the page's job.
func Snippet(body []byte, secrets ...string) string {
	s := strings.ToValidUTF8(string(body), "")
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	s = jsonSecret.ReplaceAllString(s, `$1"[redacted]"`)
	s = formSecret.ReplaceAllString(s, `${1}[redacted]`)
	s = jwt.ReplaceAllString(s, "[redacted]")
	s = bearer.ReplaceAllString(s, "$1 [redacted]")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > SnippetMax {
		s = string(r[:SnippetMax-1]) + "…"
	}
	return s
}

// HoldsSecret reports whether s contains one of the known secrets or
// anything Snippet would redact as a credential, wherever it is in s.
func HoldsSecret(s string, secrets ...string) bool {
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			return true
		}
	}
	return jsonSecret.MatchString(s) || formSecret.MatchString(s) || jwt.MatchString(s) || bearer.MatchString(s)
}
