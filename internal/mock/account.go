package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

var _ linkhub.AccountService = (*AccountService)(nil)

// AccountService is a linkhub.AccountService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type AccountService struct {
	FindAccountByIDFn        func(ctx context.Context, id string) (*linkhub.Account, error)
	FindAccountsFn           func(ctx context.Context, filter linkhub.AccountFilter) ([]*linkhub.Account, string, error)
	FindAccountSecretsFn     func(ctx context.Context, id string) (map[string]secret.Value, error)
	CreateAccountFn          func(ctx context.Context, a *linkhub.Account, secrets map[string]secret.Value) error
	LinkAccountFn            func(ctx context.Context, a *linkhub.Account, secrets map[string]secret.Value, at linkhub.LinkAttempt) error
	ReplaceCredentialsFn     func(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value) (*linkhub.Account, error)
	RelinkAccountFn          func(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value, at linkhub.LinkAttempt) (*linkhub.Account, error)
	SetAccountStatusFn       func(ctx context.Context, actor linkhub.Actor, id, status, reason string) (*linkhub.Account, error)
	RecordTestResultFn       func(ctx context.Context, id string, r linkhub.TestResult) (*linkhub.Account, error)
	CountAccountsByProfileFn func(ctx context.Context) (map[string]int, error)
	DeleteAccountFn          func(ctx context.Context, actor linkhub.Actor, id string) error
}

// FindAccountByID calls FindAccountByIDFn.
func (m *AccountService) FindAccountByID(ctx context.Context, id string) (*linkhub.Account, error) {
	return m.FindAccountByIDFn(ctx, id)
}

// FindAccounts calls FindAccountsFn.
func (m *AccountService) FindAccounts(ctx context.Context, filter linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
	return m.FindAccountsFn(ctx, filter)
}

// FindAccountSecrets calls FindAccountSecretsFn.
func (m *AccountService) FindAccountSecrets(ctx context.Context, id string) (map[string]secret.Value, error) {
	return m.FindAccountSecretsFn(ctx, id)
}

// CreateAccount calls CreateAccountFn.
func (m *AccountService) CreateAccount(ctx context.Context, a *linkhub.Account, secrets map[string]secret.Value) error {
	return m.CreateAccountFn(ctx, a, secrets)
}

// LinkAccount calls LinkAccountFn.
func (m *AccountService) LinkAccount(ctx context.Context, a *linkhub.Account, secrets map[string]secret.Value, at linkhub.LinkAttempt) error {
	return m.LinkAccountFn(ctx, a, secrets, at)
}

// ReplaceCredentials calls ReplaceCredentialsFn.
func (m *AccountService) ReplaceCredentials(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value) (*linkhub.Account, error) {
	return m.ReplaceCredentialsFn(ctx, id, values, metadata, secrets)
}

// RelinkAccount calls RelinkAccountFn.
func (m *AccountService) RelinkAccount(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value, at linkhub.LinkAttempt) (*linkhub.Account, error) {
	return m.RelinkAccountFn(ctx, id, values, metadata, secrets, at)
}

// SetAccountStatus calls SetAccountStatusFn.
func (m *AccountService) SetAccountStatus(ctx context.Context, actor linkhub.Actor, id, status, reason string) (*linkhub.Account, error) {
	return m.SetAccountStatusFn(ctx, actor, id, status, reason)
}

// RecordTestResult calls RecordTestResultFn.
func (m *AccountService) RecordTestResult(ctx context.Context, id string, r linkhub.TestResult) (*linkhub.Account, error) {
	return m.RecordTestResultFn(ctx, id, r)
}

// CountAccountsByProfile calls CountAccountsByProfileFn.
func (m *AccountService) CountAccountsByProfile(ctx context.Context) (map[string]int, error) {
	return m.CountAccountsByProfileFn(ctx)
}

// DeleteAccount calls DeleteAccountFn.
func (m *AccountService) DeleteAccount(ctx context.Context, actor linkhub.Actor, id string) error {
	return m.DeleteAccountFn(ctx, actor, id)
}

var _ linkhub.AccountTester = (*AccountTester)(nil)

// AccountTester is a linkhub.AccountTester whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type AccountTester struct {
	TestAccountFn func(ctx context.Context, actor *linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error)
}

// TestAccount calls TestAccountFn.
func (m *AccountTester) TestAccount(ctx context.Context, actor *linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error) {
	return m.TestAccountFn(ctx, actor, id)
}
