package engine_test

import (
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// vendorFailures is testAPIKeyOutages for tests that start the connector
// and its fake apart from their input: start returns the connector and its
// fake's server; in the input that would otherwise pass.
func vendorFailures(t *testing.T, start func(time.Duration) (*engine.Connector, *fake.Server), in func(*fake.Server) linkhub.TestInput, notVendor string) {
	t.Helper()
	testAPIKeyOutages(t, func(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Server, linkhub.TestInput) {
		c, s := start(timeout)
		return c, s, in(s)
	}, notVendor)
}
