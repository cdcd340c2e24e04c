package linkhub_test

import (
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
)

func TestCheckEmbedOrigin(t *testing.T) {
	for o, want := range map[string]string{
		"https://app.example.com":      "",
		"https://app.example.com:8443": "",
		"http://localhost:3000":        "",
		"http://127.0.0.1:5173":        "",
		"http://app.example.com":       "use https",
		"https://app.example.com/":     "no path",
		"https://app.example.com/x":    "no path",
		"https://app.example.com?a=1":  "no path",
		"https://*.example.com":        "wildcards",
		"app.example.com":              "not an origin",
		"ftp://app.example.com":        "use https",
		"https://user@app.example.com": "user name",
		"https://app.example.com:0":    "port",
		"https://App.example.com":      "lower case",
	} {
		got := linkhub.CheckEmbedOrigin(o)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("CheckEmbedOrigin(%q): got %q, want it to contain %q", o, got, want)
		}
	}
}

func TestParseEmbedOrigins(t *testing.T) {
	origins, problems := linkhub.ParseEmbedOrigins("https://a.example.com\n\nhttp://b.example.com\r\nhttps://a.example.com\nhttps://c.example.com/path")
	if len(origins) != 1 || origins[0] != "https://a.example.com" {
		t.Errorf("origins: got %q, want [https://a.example.com]", origins)
	}
	if len(problems) != 2 || !strings.HasPrefix(problems[0], "Line 3:") || !strings.HasPrefix(problems[1], "Line 5:") {
		t.Errorf("problems: got %q, want lines 3 and 5", problems)
	}
}

func TestValidateEmailPassword(t *testing.T) {
	for e, ok := range map[string]bool{"a@example.com": true, "": false, "a": false, "a@b": false, "A <a@example.com>": false} {
		if got := linkhub.ValidateEmail(e) == nil; got != ok {
			t.Errorf("ValidateEmail(%q): got ok=%v, want %v", e, got, ok)
		}
	}
	if linkhub.ValidatePassword("short") == nil || linkhub.ValidatePassword("twelve chars") != nil {
		t.Error("ValidatePassword: want 12 characters minimum")
	}
}

// TestSettings_ValidateBadText: a product name no row can hold (a NUL
// byte, broken UTF-8) is the admin's to fix; it was a 500 from PostgreSQL.
func TestSettings_ValidateBadText(t *testing.T) {
	for _, bad := range []string{"a\x00b", "a\xff\xfeb"} {
		s := linkhub.DefaultSettings()
		s.ProductName = bad
		if msg := s.Validate()["product_name"]; !strings.Contains(msg, "cannot be stored") {
			t.Errorf("product name %q: got %q, want it refused", bad, msg)
		}
	}
}
