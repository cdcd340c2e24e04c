package webhook_test

import (
	"context"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/kit/kittest"
	"github.com/linkhub/linkhub/internal/webhook"
)

// TestURLChecker_MappedAddresses: an endpoint whose name resolves to an
// IPv4-mapped IPv6 address (how Go answers from /etc/hosts) is judged by its
// IPv4 address: public is saved, private, loopback and metadata are refused.
func TestURLChecker_MappedAddresses(t *testing.T) {
	check := webhook.URLChecker(kit.Config{Resolver: kittest.Resolver{}})
	for _, tt := range []struct {
		url  string
		want bool
	}{
		{"https://" + kittest.MappedPublicHost + "/hook", true},
		{"https://[::ffff:93.184.215.14]/hook", true},
		{"https://mapped-private.example.com/hook", false},
		{"https://mapped-meta.example.com/hook", false},
		{"https://mapped.example.com/hook", false},
		{"https://[::ffff:10.0.0.5]/hook", false},
		{"https://[::ffff:127.0.0.1]:8443/hook", false},
	} {
		_, err := check(context.Background(), tt.url)
		if got := err == nil; got != tt.want {
			t.Errorf("%s: got accepted=%v (%v), want %v", tt.url, got, err, tt.want)
		}
	}
}
