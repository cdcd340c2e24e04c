// Package tokens hands out access tokens for linked accounts: it merges the
// profile's and the account's credentials, asks the account's connector, and
// keeps the token in the per-account cache so that concurrent callers cause
// one upstream request per token lifetime.
package tokens

import (
	"context"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// Service gives access tokens for linked accounts.
type Service struct {
	profiles linkhub.ProfileService
	accounts linkhub.AccountService
	registry *connector.Registry
	cache    *connector.TokenCache
}

// New returns a token service. cache bounds how many tokens are kept.
func New(profiles linkhub.ProfileService, accounts linkhub.AccountService, registry *connector.Registry, cache *connector.TokenCache) *Service {
	return &Service{profiles: profiles, accounts: accounts, registry: registry, cache: cache}
}

// Token returns a valid access token for the account, from the cache when it
// holds one. A disabled account or one whose credentials were rejected is
// EFORBIDDEN with a message that says what to do; vendor failures come back
// as the connector's user-safe *linkhub.Error.
func (s *Service) Token(ctx context.Context, accountID string) (linkhub.Token, error) {
	a, err := s.accounts.FindAccountByID(ctx, accountID)
	if err != nil {
		return linkhub.Token{}, err
	}
	return s.AccountToken(ctx, a)
}

// AccountToken is Token for an account the caller has already read.
func (s *Service) AccountToken(ctx context.Context, a *linkhub.Account) (linkhub.Token, error) {
	switch a.Status {
	case linkhub.AccountDisabled:
		return linkhub.Token{}, linkhub.Errorf(linkhub.EFORBIDDEN, "This account is disabled. Enable it in the admin console first.")
	case linkhub.AccountInactive:
		return linkhub.Token{}, linkhub.Errorf(linkhub.EFORBIDDEN, "The profile of this account is disabled. An admin must enable the profile first.")
	case linkhub.AccountNeedsRelink:
		return linkhub.Token{}, linkhub.Errorf(linkhub.EFORBIDDEN, "The vendor rejected this account's credentials. Send the user a relink link.")
	}
	conn, ok := s.registry.Get(a.ConnectorID)
	if !ok {
		return linkhub.Token{}, linkhub.Errorf(linkhub.EINTERNAL, "Internal error.")
	}
	key := connector.TokenKey{AccountID: a.ID, Version: int64(a.CredentialVersion)}
	return s.cache.Get(ctx, key, func(ctx context.Context) (linkhub.Token, error) {
		creds, err := s.Credentials(ctx, a)
		if err != nil {
			return linkhub.Token{}, err
		}
		// The connector's token request retries a transient failure once,
		// under the same policy as the staged test (kit.RequestToken).
		return conn.Token(ctx, creds, a.Metadata)
	})
}

// Credentials merges the profile's values and secrets with the account's;
// the account's win where both have a value.
func (s *Service) Credentials(ctx context.Context, a *linkhub.Account) (linkhub.Credentials, error) {
	in, err := linking.StoredTestInput(ctx, s.profiles, s.accounts, a)
	return in.Credentials, err
}

// Forget drops the cached token of an account version, e.g. after the vendor
// refused it.
func (s *Service) Forget(accountID string, version int) {
	s.cache.Forget(connector.TokenKey{AccountID: accountID, Version: int64(version)})
}

// ForgetRefused drops the account's cached token if it is still refused, the
// one the vendor just turned down, so that the next call fetches a new one.
func (s *Service) ForgetRefused(a *linkhub.Account, refused linkhub.Token) {
	s.cache.ForgetRefused(connector.TokenKey{AccountID: a.ID, Version: int64(a.CredentialVersion)}, refused)
}
