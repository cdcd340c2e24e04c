package linkhub

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/secret"
)

// Account statuses. An account moves active -> error (transient) ->
// needs_relink (credentials rejected) and back on recovery; disabled is an
// admin's choice, inactive follows a disabled profile.
const (
	AccountActive      = "active"
	AccountError       = "error"
	AccountNeedsRelink = "needs_relink"
	AccountDisabled    = "disabled"
	AccountInactive    = "inactive"
)

// Account is a linked account at a vendor, owned by one of the host
// product's users (its origin owner). It never carries a secret.
type Account struct {
	ID                string
	ProfileID         string
	ConnectorID       string
	OriginOwnerID     string
	OriginOwnerName   string
	OriginUsername    string
	Label             string
	Status            string
	StatusReason      string
	Values            map[string]string // non-secret values the user typed, normalised
	Metadata          map[string]string // what the test discovered
	SessionMetadata   map[string]any    // what the host product attached to the connect session
	CredentialVersion int
	LastTestedAt      *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Identity is the account's identity at its vendor, as the connector's
// Identity keys name it: their values, or metadata, joined; empty when the
// connector names none.
func (a *Account) Identity(keys []string) string {
	var parts []string
	for _, k := range keys {
		if v := a.Values[k]; v != "" {
			parts = append(parts, v)
		} else if v := a.Metadata[k]; v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " · ")
}

// AccountFilter selects accounts; nil fields do not filter. Cursor pages by
// (created_at, id), newest first.
type AccountFilter struct {
	ID            *string
	OriginOwnerID *string
	Status        *string
	ConnectorID   *string
	ProfileID     *string
	Search        *string
	Cursor        string
	Limit         int
}

// AccountService stores linked accounts and their credentials.
type AccountService interface {
	// FindAccountByID returns ENOTFOUND when there is no such account.
	FindAccountByID(ctx context.Context, id string) (*Account, error)
	// FindAccounts returns a page of accounts and the cursor of the next.
	FindAccounts(ctx context.Context, filter AccountFilter) ([]*Account, string, error)
	// FindAccountSecrets returns the account's stored secrets, decrypted.
	FindAccountSecrets(ctx context.Context, id string) (map[string]secret.Value, error)
	// CreateAccount stores the account and its secrets in one transaction.
	CreateAccount(ctx context.Context, a *Account, secrets map[string]secret.Value) error
	// LinkAccount is CreateAccount for a hub link, with a link of the
	// attempt's connect session spent, the attempt marked succeeded and the
	// link audited in the same transaction. Returns ESPENT, storing nothing,
	// when the session's links are used up.
	LinkAccount(ctx context.Context, a *Account, secrets map[string]secret.Value, at LinkAttempt) error
	// ReplaceCredentials swaps values, metadata and secrets atomically and
	// bumps the credential version (relink). A zero secret keeps the stored one.
	ReplaceCredentials(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value) (*Account, error)
	// RelinkAccount is ReplaceCredentials for a hub relink: the account is
	// active again unless disabled or inactive, the session's link spent, the
	// attempt succeeded and the relink audited, in one transaction; ESPENT as
	// for LinkAccount.
	RelinkAccount(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value, at LinkAttempt) (*Account, error)
	// SetAccountStatus moves the account to status with a reason code;
	// ECONFLICT for active when the account's profile is disabled.
	// Both fire account.status_changed when the status really changes.
	// An admin's enabling (active) or disabling is audited as actor's.
	SetAccountStatus(ctx context.Context, actor Actor, id, status, reason string) (*Account, error)
	// RecordTestResult stores a health test's outcome: last_tested_at, the
	// discovered metadata (account.updated when it changed) and the status
	// (account.status_changed when it changed), without bumping the
	// credential version. A disabled or inactive account keeps its status.
	// A result for an older credential version than the stored one is
	// dropped and the account returned as it is; EINVALID for no version.
	// ENOTFOUND; EINVALID for a status other than active, error, needs_relink.
	RecordTestResult(ctx context.Context, id string, r TestResult) (*Account, error)
	// CountAccountsByProfile returns how many accounts each profile has;
	// a profile without any is absent.
	CountAccountsByProfile(ctx context.Context) (map[string]int, error)
	// DeleteAccount deletes the account, fires account.deleted and audits
	// it as actor's. ENOTFOUND.
	DeleteAccount(ctx context.Context, actor Actor, id string) error
}

// LinkAttempt is the hub attempt whose test a link or relink stores, and the
// end user who made it.
type LinkAttempt struct {
	ID     string
	Report AttemptReport
	Actor  Actor
}

// TestResult is what a health test of a stored account found.
type TestResult struct {
	Status   string // active, error or needs_relink
	Reason   string // the failed stage's reason code; "" when it passed
	Metadata map[string]string
	TestedAt time.Time
	// CredentialVersion is the version the test ran on: a relink during a
	// test replaces the credentials it judged.
	CredentialVersion int
	// Actor is who asked for the test, audited with the result; nil for a
	// scheduled test, which is not.
	Actor *Actor
}

// relinkReasons are the failures only new credentials fix.
var relinkReasons = []string{ReasonBadCredentials, ReasonUnknownClient, ReasonInvalidInput}

// TestResultOf is what a staged test of stored credentials means for the
// account: passed is active; rejected credentials need a relink; anything
// else (vendor 5xx, timeout, unreachable...) is a transient error. Metadata
// is kept only from a passed test.
func TestResultOf(r Report, at time.Time) TestResult {
	if r.OK() {
		return TestResult{Status: AccountActive, Metadata: r.Metadata, TestedAt: at}
	}
	st, _ := r.Failed()
	if st.Reason == "" {
		st.Reason = ReasonUnexpectedResponse
	}
	if slices.Contains(relinkReasons, st.Reason) {
		return TestResult{Status: AccountNeedsRelink, Reason: st.Reason, TestedAt: at}
	}
	return TestResult{Status: AccountError, Reason: st.Reason, TestedAt: at}
}

// AccountTester re-tests a stored account's credentials against its vendor
// and records the result (see AccountService.RecordTestResult).
type AccountTester interface {
	// TestAccount returns the account as recorded after the test and the
	// test's report. ENOTFOUND; EUNAVAILABLE when its connector is gone.
	// actor is who asked, audited with the result; nil for a scheduled test.
	TestAccount(ctx context.Context, actor *Actor, id string) (*Account, Report, error)
}
