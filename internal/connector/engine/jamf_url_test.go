package engine

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/definitions"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// jamfDef is the built-in jamf definition, parsed once.
var jamfDef = sync.OnceValues(func() (*definition.Definition, error) {
	defs, err := definition.LoadFS(definitions.FS, "internal/connector/definitions")
	for _, d := range defs {
		if d.ID == "jamf" {
			return d, nil
		}
	}
	return nil, fmt.Errorf("no jamf definition: %v", err)
})

// jamfNormalize reads raw under the jamf definition's address rule, as
// Jamf's own NormalizeURL did before the definition: the normalised
// address, or the error for the address field.
func jamfNormalize(tb testing.TB, raw string, allowHTTP bool) (string, error) {
	tb.Helper()
	d, err := jamfDef()
	if err != nil {
		tb.Fatal(err)
	}
	u, msg := normaliseURL(raw, d.Fields[0].URL, kit.Config{AllowHTTP: allowHTTP}, "en", d.Fields[0].URL.Messages)
	if msg != "" {
		return "", linkhub.FieldError(d.Fields[0].ID, msg)
	}
	return u, nil
}

func TestJamf_NormalizeURL(t *testing.T) {
	for _, tt := range []struct {
		name, in  string
		allowHTTP bool
		want      string // "" means an error is expected
		wantErr   string // substring of the message
	}{
		{name: "BareHost", in: "acme.jamfcloud.com", want: "https://acme.jamfcloud.com"},
		{name: "TrailingSlash", in: "https://acme.jamfcloud.com/", want: "https://acme.jamfcloud.com"},
		{name: "PagePath", in: "https://acme.jamfcloud.com/index.html", want: "https://acme.jamfcloud.com"},
		{name: "QueryAndFragment", in: "https://acme.jamfcloud.com/view?x=1#top", want: "https://acme.jamfcloud.com"},
		{name: "OnPremPort", in: "jss.example.org:8443", want: "https://jss.example.org:8443"},
		{name: "OnPremPortWithPath", in: "https://jss.example.org:8443/JSSResource/", want: "https://jss.example.org:8443"},
		{name: "DefaultPortDropped", in: "https://acme.jamfcloud.com:443", want: "https://acme.jamfcloud.com"},
		{name: "Spaces", in: "  acme.jamfcloud.com \n", want: "https://acme.jamfcloud.com"},
		{name: "UpperCase", in: "HTTPS://ACME.JamfCloud.COM/", want: "https://acme.jamfcloud.com"},
		{name: "TrailingDot", in: "acme.jamfcloud.com.", want: "https://acme.jamfcloud.com"},
		{name: "IPv4Literal", in: "10.0.0.5:8443", want: "https://10.0.0.5:8443"},
		{name: "IPv6Literal", in: "https://[2001:DB8::1]/", want: "https://[2001:db8::1]"},
		{name: "IPv6LiteralPort", in: "https://[2001:db8::1]:8443", want: "https://[2001:db8::1]:8443"},
		{name: "HTTPAllowed", in: "http://localhost:8080", allowHTTP: true, want: "http://localhost:8080"},
		{name: "HTTPDefaultPort", in: "http://jss.local.test:80/", allowHTTP: true, want: "http://jss.local.test"},
		{name: "ErrEmpty", in: "   ", wantErr: "Enter your Jamf Pro address"},
		{name: "ErrHTTP", in: "http://acme.jamfcloud.com", wantErr: "https://"},
		{name: "ErrUserInfo", in: "https://admin:pw@acme.jamfcloud.com", wantErr: "user name or password"},
		{name: "ErrQueryOnly", in: "?foo=bar", wantErr: "no server name"},
		{name: "ErrFragmentOnly", in: "#x", wantErr: "no server name"},
		{name: "ErrSchemeOnly", in: "https://", wantErr: "no server name"},
		{name: "ErrOtherScheme", in: "ftp://acme.jamfcloud.com", wantErr: "https://"},
		{name: "ErrSpaceInside", in: "acme jamfcloud.com", wantErr: "spaces"},
		{name: "ErrUnderscore", in: "ac_me.jamfcloud.com", wantErr: "letters a-z, digits"},
		{name: "ErrSingleLabel", in: "acme", wantErr: "acme.jamfcloud.com"},
		{name: "ErrPortNotNumber", in: "acme.jamfcloud.com:http", wantErr: "valid web address"},
		{name: "ErrPortRange", in: "acme.jamfcloud.com:70000", wantErr: "port"},
		{name: "ErrEmptyPort", in: "acme.jamfcloud.com:", wantErr: "port"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := jamfNormalize(t, tt.in, tt.allowHTTP)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("got %q, want error containing %q", got, tt.wantErr)
				}
				if msg := linkhub.ErrorMessage(err); !strings.Contains(msg, tt.wantErr) {
					t.Fatalf("got message %q, want it to contain %q", msg, tt.wantErr)
				}
				if field := linkhub.ErrorField(err); field != "url" {
					t.Fatalf("got field %q, want %q", field, "url")
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %q, want %q", linkhub.ErrorMessage(err), tt.want)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzJamfNormalizeURL checks the normaliser's promises on any input: an accepted
// address is https (or http when allowed), has a host and nothing after it,
// never carries user info or :443, and normalising it again changes nothing.
func FuzzJamfNormalizeURL(f *testing.F) {
	for _, s := range []string{"acme.jamfcloud.com", "https://acme.jamfcloud.com/index.html", "jss.example.org:8443",
		"http://x.y", "https://u:p@h.example", "?q", "[::1]:8443", " HTTPS://A.B/ "} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, raw string, allowHTTP bool) {
		got, err := jamfNormalize(t, raw, allowHTTP)
		if err != nil {
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorMessage(err) == "" {
				t.Fatalf("NormalizeURL(%q): got a non-user error %v", raw, err)
			}
			return
		}
		u, perr := url.Parse(got)
		if perr != nil {
			t.Fatalf("NormalizeURL(%q) = %q: does not parse: %v", raw, got, perr)
		}
		if u.Scheme != "https" && !(allowHTTP && u.Scheme == "http") {
			t.Fatalf("NormalizeURL(%q) = %q: got scheme %q", raw, got, u.Scheme)
		}
		if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Hostname() == "" {
			t.Fatalf("NormalizeURL(%q) = %q: got more than scheme://host[:port]", raw, got)
		}
		if u.Scheme == "https" && u.Port() == "443" {
			t.Fatalf("NormalizeURL(%q) = %q: got an explicit :443", raw, got)
		}
		again, err := jamfNormalize(t, got, allowHTTP)
		if err != nil || again != got {
			t.Fatalf("NormalizeURL(%q) = %q, but again got %q, %v", raw, got, again, err)
		}
	})
}

func BenchmarkJamfNormalizeURL(b *testing.B) {
	inputs := []string{"acme.jamfcloud.com", " https://ACME.jamfcloud.com/index.html ", "jamf.example.com:8443/"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := jamfNormalize(b, inputs[i%len(inputs)], false); err != nil {
			b.Fatal(err)
		}
	}
}
