package kit_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/linkhub/linkhub/internal/connector/kit"
)

func TestSnippet(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXZhbHVl"
	for _, tt := range []struct {
		name, in string
		secrets  []string
		want     string
	}{
		{name: "AccessToken", in: `{"access_token":"abc.def","token_type":"bearer"}`,
			want: `{"access_token":"[redacted]","token_type":"[redacted]"}`},
		{name: "RefreshAndSecret", in: `{"refresh_token": "r1", "client_secret":"s\"x", "message":"OK"}`,
			want: `{"refresh_token": "[redacted]", "client_secret":"[redacted]", "message":"OK"}`},
		{name: "CamelCase", in: `{"accessToken":"xyz"}`, want: `{"accessToken":"[redacted]"}`},
		{name: "Form", in: `grant_type=client_credentials&client_secret=hunter2&client_id=abc`,
			want: `grant_type=client_credentials&client_secret=[redacted]&client_id=abc`},
		{name: "JWTInText", in: "invalid token " + jwt + " given", want: "invalid token [redacted] given"},
		{name: "Bearer", in: "Authorization: Bearer abcdefghijkl", want: "Authorization: Bearer [redacted]"},
		{name: "KnownSecret", in: `{"error":"bad secret hunter2-long"}`, secrets: []string{"hunter2-long"},
			want: `{"error":"bad secret [redacted]"}`},
		{name: "Whitespace", in: "<html>\n\t<body>  It works\r\n</body>", want: "<html> <body> It works </body>"},
		{name: "ErrorCodeKept", in: `{"errorCode":"oauth.invalid_client_secret"}`, want: `{"errorCode":"oauth.invalid_client_secret"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := kit.Snippet([]byte(tt.in), tt.secrets...); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("Truncated", func(t *testing.T) {
		got := kit.Snippet([]byte(strings.Repeat("ä", 1000)))
		if n := utf8.RuneCountInString(got); n != kit.SnippetMax || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
			t.Fatalf("got %d runes ending %q, want %d ending with an ellipsis", n, got[len(got)-3:], kit.SnippetMax)
		}
	})
}
