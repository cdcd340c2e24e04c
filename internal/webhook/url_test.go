package webhook_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/kit/kittest"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/webhook"
)

// TestURLChecker_Refusals: the production policy (https to public hosts
// only), with a resolver that answers like a hostile DNS server (only
// kittest.PublicHost is public), refuses each bad endpoint URL with a message
// on the url field, and every SSRF trick of the shared table; a public name
// on port 8443 is accepted, so the refusals are about what is wrong.
func TestURLChecker_Refusals(t *testing.T) {
	t.Parallel()
	check := webhook.URLChecker(kit.Config{Resolver: kittest.Resolver{}})
	for _, tt := range []struct {
		name, url, want string
	}{
		{"Empty", " ", "Enter the URL"},
		{"NotAURL", "api.example.com/hook", "full URL"},
		{"HTTP", "http://api.example.com/hook", "https://"},
		{"FTP", "ftp://api.example.com/hook", "https://"},
		{"Loopback", "https://127.0.0.1/hook", "private or reserved"},
		{"Metadata", "https://169.254.169.254/latest", "private or reserved"},
		{"Localhost", "https://localhost/hook", "this machine"},
		{"UserInfo", "https://user:pw@api.example.com/hook", "user name and password"},
		{"Port", "https://api.example.com:9000/hook", "port 443 or 8443"},
		{"NoSuchName", "https://nothing.invalid/hook", "does not exist"},
		{"ResolvesPrivate", "https://rebind.example.com/hook", "private or reserved"},
		{"NumericHost", "https://2130706433/hook", "usual dotted form"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := check(context.Background(), tt.url)
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "url" || !strings.Contains(linkhub.ErrorMessage(err), tt.want) {
				t.Errorf("got %v (field %q), want EINVALID on url with %q", err, linkhub.ErrorField(err), tt.want)
			}
		})
	}
	for _, tr := range kittest.Tricks {
		t.Run("Trick"+tr.Name, func(t *testing.T) {
			if _, err := check(context.Background(), tr.URL+"/hook"); linkhub.ErrorField(err) != "url" || linkhub.ErrorMessage(err) == "" {
				t.Errorf("got %v, want a message on the url field", err)
			}
		})
	}
	control := "https://" + kittest.PublicHost + ":8443/hook"
	if _, err := check(context.Background(), control); err != nil {
		t.Errorf("control %s: got %v, want it accepted", control, err)
	}
}
