package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// vendorFailures runs the failures every vendor without a token stage can
// meet on its verification call, against a fresh fake each: another
// product's web page (notVendor is the hint's text), a 404 web page, an
// outage and no answer. start returns the connector and its fake's server;
// in the input that would otherwise pass.
func vendorFailures(t *testing.T, start func(time.Duration) (*engine.Connector, *fake.Server), in func(*fake.Server) linkhub.TestInput, notVendor string) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		timeout time.Duration
		mode    func(*fake.Server)
		reason  string
		hint    string
	}{
		{"NotTheVendor", 5 * time.Second, func(s *fake.Server) { s.SetWrongProduct(true) }, linkhub.ReasonNotVendor, notVendor},
		{"WrongHost", 5 * time.Second, func(s *fake.Server) { s.SetNotFound(true) }, linkhub.ReasonNotVendor, notVendor},
		{"VendorDown", 5 * time.Second, func(s *fake.Server) { s.SetDown(true) }, linkhub.ReasonVendorUnavailable, "Try again"},
		{"Timeout", 500 * time.Millisecond, func(s *fake.Server) { s.SetSlow(-1) }, linkhub.ReasonTimeout, "did not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, s := start(tc.timeout)
			tc.mode(s)
			mustFail(t, c.Test(ctx, in(s)), linkhub.StageVerify, tc.reason, tc.hint, s.ClientSecret)
		})
	}
}
