package linkhub

import (
	"context"
	"time"
)

// APIKey is a key the host product's backend uses for the API. Only a hash
// of its secret is stored; Prefix is the visible part that identifies it.
type APIKey struct {
	ID         string
	Name       string
	Prefix     string
	CreatedBy  string // the creating admin's email, when known
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Active reports whether the key still works.
func (k *APIKey) Active() bool { return k.RevokedAt == nil }

// APIKeyService manages API keys. Every change writes its audit entry in the
// same transaction.
type APIKeyService interface {
	// FindAPIKeyByID returns ENOTFOUND when there is no such key.
	FindAPIKeyByID(ctx context.Context, id string) (*APIKey, error)
	// FindAPIKeys lists every key, newest first.
	FindAPIKeys(ctx context.Context) ([]*APIKey, error)
	// CreateAPIKey returns the key and its full text, "lh_<prefix>_<secret>",
	// which is never available again. EINVALID for a missing or long name.
	CreateAPIKey(ctx context.Context, actor Actor, name string) (*APIKey, string, error)
	// RevokeAPIKey returns ENOTFOUND for an unknown key; revoking twice is
	// not an error.
	RevokeAPIKey(ctx context.Context, actor Actor, id string) (*APIKey, error)
	// AuthenticateAPIKey returns the active key with this full text, or
	// EUNAUTHORIZED.
	AuthenticateAPIKey(ctx context.Context, key string) (*APIKey, error)
	// RecordAPIKeyUse notes that a key was used, in memory; the notes are
	// written in batches, not once per request.
	RecordAPIKeyUse(id string, at time.Time)
}
