package engine

import (
	"net/netip"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
)

func TestNormaliseURL(t *testing.T) {
	rule := &definition.URLRule{Ports: []int{443, 8443}, StripSuffix: "-admin"}
	loopback := kit.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	for _, tt := range []struct {
		in   string
		cfg  kit.Config
		want string
		msg  string
	}{
		{in: "acme.okta.com", want: "https://acme.okta.com"},
		{in: "https://ACME-admin.okta.com/admin/dashboard?x=1#y", want: "https://acme.okta.com"},
		{in: "https://acme.okta.com:443/", want: "https://acme.okta.com"},
		{in: "acme.example.com:8443", want: "https://acme.example.com:8443"},
		{in: "acme.example.com:8080", msg: "The address may use only port 443 or 8443."},
		{in: "http://acme.okta.com", msg: "The address must start with https://."},
		{in: "https://user:pw@acme.okta.com", msg: "The address must not contain a user name or password."},
		{in: "https://:443", msg: "Enter an address like https://example.com."},
		{in: "127.0.0.1:8080", msg: "The address may use only port 443 or 8443."},
		{in: "127.0.0.1:8080", cfg: loopback, want: "https://127.0.0.1:8080"},
		{in: "[::1]", want: "https://[::1]"},
	} {
		got, msg := normaliseURL(tt.in, rule, tt.cfg, "en")
		if got != tt.want || msg != tt.msg {
			t.Errorf("normaliseURL(%q): got %q %q, want %q %q", tt.in, got, msg, tt.want, tt.msg)
		}
	}
}
