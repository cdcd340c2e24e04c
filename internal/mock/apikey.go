package mock

import (
	"context"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.APIKeyService = (*APIKeyService)(nil)

// APIKeyService is a linkhub.APIKeyService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type APIKeyService struct {
	FindAPIKeyByIDFn     func(ctx context.Context, id string) (*linkhub.APIKey, error)
	FindAPIKeysFn        func(ctx context.Context) ([]*linkhub.APIKey, error)
	CreateAPIKeyFn       func(ctx context.Context, actor linkhub.Actor, name string) (*linkhub.APIKey, string, error)
	RevokeAPIKeyFn       func(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.APIKey, error)
	AuthenticateAPIKeyFn func(ctx context.Context, key string) (*linkhub.APIKey, error)
	RecordAPIKeyUseFn    func(id string, at time.Time)
}

// FindAPIKeyByID calls FindAPIKeyByIDFn.
func (m *APIKeyService) FindAPIKeyByID(ctx context.Context, id string) (*linkhub.APIKey, error) {
	return m.FindAPIKeyByIDFn(ctx, id)
}

// FindAPIKeys calls FindAPIKeysFn.
func (m *APIKeyService) FindAPIKeys(ctx context.Context) ([]*linkhub.APIKey, error) {
	return m.FindAPIKeysFn(ctx)
}

// CreateAPIKey calls CreateAPIKeyFn.
func (m *APIKeyService) CreateAPIKey(ctx context.Context, actor linkhub.Actor, name string) (*linkhub.APIKey, string, error) {
	return m.CreateAPIKeyFn(ctx, actor, name)
}

// RevokeAPIKey calls RevokeAPIKeyFn.
func (m *APIKeyService) RevokeAPIKey(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.APIKey, error) {
	return m.RevokeAPIKeyFn(ctx, actor, id)
}

// AuthenticateAPIKey calls AuthenticateAPIKeyFn.
func (m *APIKeyService) AuthenticateAPIKey(ctx context.Context, key string) (*linkhub.APIKey, error) {
	return m.AuthenticateAPIKeyFn(ctx, key)
}

// RecordAPIKeyUse calls RecordAPIKeyUseFn.
func (m *APIKeyService) RecordAPIKeyUse(id string, at time.Time) {
	m.RecordAPIKeyUseFn(id, at)
}
