// Package mock holds function-field mocks of the linkhub interfaces and of
// the linking use case, for handler tests that need no database: a test
// sets the functions its requests use, and any other call panics, which
// fails the test.
package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Tokens gives access tokens; *tokens.Service is one.
type Tokens struct {
	TokenFn func(ctx context.Context, accountID string) (linkhub.Token, error)
}

// Token calls TokenFn.
func (m *Tokens) Token(ctx context.Context, accountID string) (linkhub.Token, error) {
	return m.TokenFn(ctx, accountID)
}

// Pinger answers the readiness probe's database check.
type Pinger struct {
	PingFn func(ctx context.Context) error
}

// Ping calls PingFn.
func (m *Pinger) Ping(ctx context.Context) error { return m.PingFn(ctx) }
