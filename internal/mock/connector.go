package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.Connector = (*Connector)(nil)

// Connector is a linkhub.Connector whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type Connector struct {
	SpecFn  func() linkhub.ConnectorSpec
	TestFn  func(ctx context.Context, in linkhub.TestInput) linkhub.Report
	TokenFn func(ctx context.Context, creds linkhub.Credentials, metadata map[string]string) (linkhub.Token, error)
}

// Spec calls SpecFn.
func (m *Connector) Spec() linkhub.ConnectorSpec {
	return m.SpecFn()
}

// Test calls TestFn.
func (m *Connector) Test(ctx context.Context, in linkhub.TestInput) linkhub.Report {
	return m.TestFn(ctx, in)
}

// Token calls TokenFn.
func (m *Connector) Token(ctx context.Context, creds linkhub.Credentials, metadata map[string]string) (linkhub.Token, error) {
	return m.TokenFn(ctx, creds, metadata)
}
