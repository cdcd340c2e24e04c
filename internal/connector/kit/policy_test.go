package kit_test

import (
	"net/netip"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/kit"
)

func TestConfig_Permit(t *testing.T) {
	private := kit.Config{AllowPrivate: true}
	cidr := kit.Config{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("198.18.0.0/15")}}
	for _, tt := range []struct {
		name string
		cfg  kit.Config
		addr string
		want bool
	}{
		{"DocumentationNet", kit.Config{}, "203.0.113.10:443", false}, // TEST-NET-3 is reserved
		{"Public443", kit.Config{}, "8.8.8.8:443", true},
		{"Public8443", kit.Config{}, "8.8.8.8:8443", true},
		{"Public8080", kit.Config{}, "8.8.8.8:8080", false},
		{"PublicIPv6", kit.Config{}, "[2606:4700::1111]:443", true},
		{"Loopback", kit.Config{}, "127.0.0.1:443", false},
		{"LoopbackMapped", kit.Config{}, "[::ffff:127.0.0.1]:443", false},
		{"LoopbackV6", kit.Config{}, "[::1]:443", false},
		{"PublicMapped", kit.Config{}, "[::ffff:8.8.8.8]:443", true}, // a hosts-file answer
		{"PublicMappedBadPort", kit.Config{}, "[::ffff:8.8.8.8]:8080", false},
		{"PrivateMapped", kit.Config{}, "[::ffff:10.1.2.3]:443", false},
		{"MetadataMapped", kit.Config{}, "[::ffff:169.254.169.254]:443", false},
		{"DocumentationNetMapped", kit.Config{}, "[::ffff:203.0.113.10]:443", false},
		{"MetadataMappedStillRefused", private, "[::ffff:169.254.169.254]:80", false},
		{"PrivateMappedAllowed", private, "[::ffff:10.1.2.3]:9000", true},
		{"Private", kit.Config{}, "10.1.2.3:443", false},
		{"Metadata", kit.Config{}, "169.254.169.254:80", false},
		{"PrivateAllowed", private, "10.1.2.3:9000", true},
		{"LoopbackAllowed", private, "127.0.0.1:34567", true},
		{"MetadataStillRefused", private, "169.254.169.254:80", false},
		{"CIDRAllowed", cidr, "198.18.0.5:1234", true},
		{"CIDRNotLoopback", cidr, "127.0.0.1:443", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Permit(netip.MustParseAddrPort(tt.addr))
			if got := err == nil; got != tt.want {
				t.Fatalf("Permit(%s): got allowed=%v (%v), want %v", tt.addr, got, err, tt.want)
			}
		})
	}
}
