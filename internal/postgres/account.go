package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

var _ linkhub.AccountService = (*AccountService)(nil)

// Page sizes of FindAccounts.
const (
	defaultAccountLimit = 50
	maxAccountLimit     = 500
)

// AccountService stores linked accounts and their sealed credentials.
type AccountService struct {
	db      *DB
	secrets secretStore
}

// NewAccountService returns an AccountService on db that seals secrets with keys.
func NewAccountService(db *DB, keys *secret.Keyring) *AccountService {
	return &AccountService{db: db, secrets: secretStore{keys: keys}}
}

// accountRow is one row of the accounts table.
type accountRow struct {
	ID                string            `db:"id"`
	ProfileID         string            `db:"profile_id"`
	ConnectorID       string            `db:"connector_id"`
	OriginOwnerID     string            `db:"origin_owner_id"`
	OriginOwnerName   string            `db:"origin_owner_name"`
	OriginUsername    string            `db:"origin_username"`
	Label             string            `db:"label"`
	Status            string            `db:"status"`
	StatusReason      string            `db:"status_reason"`
	Values            map[string]string `db:"field_values"`
	Metadata          map[string]string `db:"metadata"`
	SessionMetadata   map[string]any    `db:"session_metadata"`
	CredentialVersion int               `db:"credential_version"`
	LastTestedAt      *time.Time        `db:"last_tested_at"`
	CreatedAt         time.Time         `db:"created_at"`
	UpdatedAt         time.Time         `db:"updated_at"`
}

const accountColumns = `id::text AS id, profile_id::text AS profile_id, connector_id, origin_owner_id,
	origin_owner_name, origin_username, label, status, status_reason, field_values, metadata,
	session_metadata, credential_version, last_tested_at, created_at, updated_at`

// changedAccountRow is an account row with the status it had before a change.
type changedAccountRow struct {
	Previous string `db:"previous"`
	accountRow
}

func (r accountRow) account() *linkhub.Account {
	return &linkhub.Account{
		ID: r.ID, ProfileID: r.ProfileID, ConnectorID: r.ConnectorID, OriginOwnerID: r.OriginOwnerID,
		OriginOwnerName: r.OriginOwnerName, OriginUsername: r.OriginUsername, Label: r.Label,
		Status: r.Status, StatusReason: r.StatusReason, Values: r.Values, Metadata: r.Metadata,
		SessionMetadata: r.SessionMetadata, CredentialVersion: r.CredentialVersion,
		LastTestedAt: r.LastTestedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// FindAccountByID returns the account, or ENOTFOUND.
func (s *AccountService) FindAccountByID(ctx context.Context, id string) (*linkhub.Account, error) {
	if r, ok := s.db.accounts.get(id); ok {
		return r.account(), nil
	}
	gen := s.db.accounts.begin()
	r, err := findAccountRow(ctx, s.db.Pool, id, false)
	if err != nil {
		return nil, err
	}
	s.db.accounts.put(r, gen)
	return r.account(), nil
}

// FindAccountSecrets returns the account's secrets, opened; ENOTFOUND when
// there is no such account.
func (s *AccountService) FindAccountSecrets(ctx context.Context, id string) (map[string]secret.Value, error) {
	var out map[string]secret.Value
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := findAccountRow(ctx, tx, id, false); err != nil {
			return err
		}
		var err error
		out, err = s.secrets.findSecrets(ctx, tx, ownerAccount, id)
		return err
	})
	return out, err
}

// CreateAccount stores a and its secrets in one transaction and fills in a's
// id, connector, status, credential version and timestamps. Returns EINVALID
// for a missing owner, ENOTFOUND when the profile does not exist.
func (s *AccountService) CreateAccount(ctx context.Context, a *linkhub.Account, secrets map[string]secret.Value) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error { return s.createAccount(ctx, tx, a, secrets) })
}

// LinkAccount is CreateAccount for a hub link: the account, its secrets, the
// attempt that tested them (now succeeded) and the end user's audit entry
// are written in one transaction, so none exists without the others.
func (s *AccountService) LinkAccount(ctx context.Context, a *linkhub.Account, secrets map[string]secret.Value, at linkhub.LinkAttempt) error {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := s.createAccount(ctx, tx, a, secrets); err != nil {
			return err
		}
		return linkSucceeded(ctx, tx, a, linkhub.ActionAccountLinked, at)
	})
	if err == nil {
		s.db.runner.stop(at.ID)
	}
	return err
}

// createAccount is CreateAccount inside the caller's transaction.
func (s *AccountService) createAccount(ctx context.Context, tx pgx.Tx, a *linkhub.Account, secrets map[string]secret.Value) error {
	if strings.TrimSpace(a.OriginOwnerID) == "" {
		return linkhub.FieldError("origin_owner_id", "The account needs an origin owner id.")
	}
	if a.Status == "" {
		a.Status = linkhub.AccountActive
	}
	if err := checkStatus(a.Status); err != nil {
		return err
	}
	if !validUUID(a.ProfileID) {
		return linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
	}
	// The connector is the profile's, read by the insert itself; the
	// foreign key keeps the profile until this transaction ends.
	rows, _ := tx.Query(ctx, `
		INSERT INTO accounts (profile_id, connector_id, origin_owner_id, origin_owner_name, origin_username,
			label, status, status_reason, field_values, metadata, session_metadata, last_tested_at)
		SELECT p.id, p.connector_id, @owner_id, @owner_name, @username,
			@label, @status, @reason, @values, @metadata, @session_metadata, @last_tested_at
		FROM profiles p WHERE p.id = @profile_id
		RETURNING `+accountColumns,
		pgx.NamedArgs{"profile_id": a.ProfileID, "owner_id": a.OriginOwnerID,
			"owner_name": a.OriginOwnerName, "username": a.OriginUsername, "label": a.Label,
			"status": a.Status, "reason": a.StatusReason, "values": orEmptyMap(a.Values),
			"metadata": orEmptyMap(a.Metadata), "session_metadata": orEmptyMap(a.SessionMetadata),
			"last_tested_at": a.LastTestedAt})
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
	// A profile deleted while the insert waited on its lock is a foreign
	// key violation.
	if errors.Is(err, pgx.ErrNoRows) || isForeignKeyViolation(err) {
		return linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
	} else if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	if a.ConnectorID != "" && a.ConnectorID != r.ConnectorID {
		return linkhub.Errorf(linkhub.EINVALID, "The account's connector does not match its profile's.")
	}
	if err := s.secrets.putSecrets(ctx, tx, ownerAccount, r.ID, secrets); err != nil {
		return err
	}
	*a = *r.account()
	return accountEvent(ctx, tx, linkhub.EventAccountCreated, a)
}

// ReplaceCredentials replaces the account's values and metadata, stores its
// new secrets (a zero secret keeps the stored one) and bumps the credential
// version, all in one transaction. Returns ENOTFOUND.
func (s *AccountService) ReplaceCredentials(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value) (*linkhub.Account, error) {
	defer s.db.accounts.evict(id)
	var a *linkhub.Account
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) (err error) {
		a, err = s.replaceCredentials(ctx, tx, id, values, metadata, secrets)
		return err
	})
	return a, err
}

// RelinkAccount is ReplaceCredentials for a hub relink: the new credentials,
// the account back to active unless an admin disabled it or its profile is
// disabled (inactive), the attempt that
// tested them (now succeeded) and the end user's audit entry, in one
// transaction. Returns ENOTFOUND.
func (s *AccountService) RelinkAccount(ctx context.Context, id string, values, metadata map[string]string, secrets map[string]secret.Value, at linkhub.LinkAttempt) (*linkhub.Account, error) {
	defer s.db.accounts.evict(id)
	var a *linkhub.Account
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) (err error) {
		if a, err = s.replaceCredentials(ctx, tx, id, values, metadata, secrets); err != nil {
			return err
		}
		// Disabled (by an admin) and inactive (its profile disabled) stay:
		// new credentials do not undo either choice.
		if a.Status == linkhub.AccountError || a.Status == linkhub.AccountNeedsRelink {
			if a, err = setAccountStatus(ctx, tx, id, linkhub.AccountActive, ""); err != nil {
				return err
			}
		}
		return linkSucceeded(ctx, tx, a, linkhub.ActionAccountRelinked, at)
	})
	if err == nil {
		s.db.runner.stop(at.ID)
	}
	return a, err
}

// replaceCredentials is ReplaceCredentials inside the caller's transaction.
func (s *AccountService) replaceCredentials(ctx context.Context, tx pgx.Tx, id string, values, metadata map[string]string, secrets map[string]secret.Value) (*linkhub.Account, error) {
	if !validUUID(id) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	}
	rows, _ := tx.Query(ctx, `
		UPDATE accounts SET field_values = $2, metadata = $3,
			credential_version = credential_version + 1, updated_at = now()
		WHERE id = $1 RETURNING `+accountColumns,
		id, orEmptyMap(values), orEmptyMap(metadata))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	} else if err != nil {
		return nil, fmt.Errorf("replace credentials: %w", err)
	}
	if err := s.secrets.putSecrets(ctx, tx, ownerAccount, id, secrets); err != nil {
		return nil, err
	}
	a := r.account()
	return a, accountEvent(ctx, tx, linkhub.EventAccountUpdated, a)
}

// linkSucceeded spends a link of the attempt's connect session, marks the
// hub attempt that tested a's credentials succeeded and audits the link with
// the end user as actor.
func linkSucceeded(ctx context.Context, tx pgx.Tx, a *linkhub.Account, action string, at linkhub.LinkAttempt) error {
	if validUUID(at.ID) {
		if err := spendLink(ctx, tx, at.ID); err != nil {
			return err
		}
	}
	if err := finishAttempt(ctx, tx, at.ID, linkhub.AttemptSucceeded, a.ID, at.Report); err != nil {
		return err
	}
	return insertAudit(ctx, tx, at.Actor, action, "account", a.ID,
		map[string]string{"profile_id": a.ProfileID, "connector": a.ConnectorID, "attempt_id": at.ID})
}

// SetAccountStatus moves the account to status with a reason code and fires
// account.status_changed when the status changed. Returns EINVALID for an
// unknown status, ENOTFOUND, and ECONFLICT naming the profile for active when
// the account's profile is disabled: it could not be used. An admin's
// enabling (active) or disabling is audited as actor's, in the same
// transaction.
func (s *AccountService) SetAccountStatus(ctx context.Context, actor linkhub.Actor, id, status, reason string) (*linkhub.Account, error) {
	defer s.db.accounts.evict(id)
	if err := checkStatus(status); err != nil {
		return nil, err
	}
	var a *linkhub.Account
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) (err error) {
		if status == linkhub.AccountActive {
			if err := checkProfileEnabled(ctx, tx, id); err != nil {
				return err
			}
		}
		if a, err = setAccountStatus(ctx, tx, id, status, reason); err != nil {
			return err
		}
		action, ok := map[string]string{linkhub.AccountActive: linkhub.ActionAccountEnabled,
			linkhub.AccountDisabled: linkhub.ActionAccountDisabled}[status]
		if !ok {
			return nil
		}
		return insertAudit(ctx, tx, actor, action, "account", a.ID, map[string]string{"owner": a.OriginOwnerID})
	})
	return a, err
}

// checkProfileEnabled returns ECONFLICT when the account's profile is
// disabled. It holds the profile row until the transaction ends, taken before
// the account's as UpdateProfile takes them, so a profile being disabled
// meanwhile is waited for and seen, and the two cannot deadlock.
func checkProfileEnabled(ctx context.Context, tx pgx.Tx, accountID string) error {
	if !validUUID(accountID) {
		return linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	}
	var name string
	var enabled bool
	err := tx.QueryRow(ctx, `SELECT p.name, p.enabled FROM accounts a JOIN profiles p ON p.id = a.profile_id
		WHERE a.id = $1 FOR SHARE OF p`, accountID).Scan(&name, &enabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	} else if err != nil {
		return fmt.Errorf("find profile of account: %w", err)
	}
	if !enabled {
		return linkhub.Errorf(linkhub.ECONFLICT, "The profile “%s” of this account is disabled: enable the profile first, then the account.", name)
	}
	return nil
}

// setAccountStatus is SetAccountStatus inside the caller's transaction.
func setAccountStatus(ctx context.Context, tx pgx.Tx, id, status, reason string) (*linkhub.Account, error) {
	cur, err := findAccountRow(ctx, tx, id, true)
	if err != nil {
		return nil, err
	}
	rows, _ := tx.Query(ctx, `
		UPDATE accounts SET status = $2, status_reason = $3, updated_at = now()
		WHERE id = $1 RETURNING `+accountColumns, id, status, reason)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
	if err != nil {
		return nil, fmt.Errorf("set account status: %w", err)
	}
	a := r.account()
	return a, statusEvent(ctx, tx, cur.Status, a)
}

// RecordTestResult stores a health test's outcome without touching the
// credentials or their version; see linkhub.AccountService.
func (s *AccountService) RecordTestResult(ctx context.Context, id string, res linkhub.TestResult) (*linkhub.Account, error) {
	defer s.db.accounts.evict(id)
	if !slices.Contains([]string{linkhub.AccountActive, linkhub.AccountError, linkhub.AccountNeedsRelink}, res.Status) {
		return nil, linkhub.Errorf(linkhub.EINVALID, "A test cannot set the status %q.", res.Status)
	}
	if res.CredentialVersion < 1 { // else every result would be dropped, silently
		return nil, linkhub.Errorf(linkhub.EINVALID, "A test result must name the credential version it tested.")
	}
	var a *linkhub.Account
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		cur, err := findAccountRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.CredentialVersion != res.CredentialVersion {
			// Relinked while the test ran: its verdict is on credentials
			// gone, and would mark the new ones needs_relink.
			a = cur.account()
			return auditTest(ctx, tx, res, a)
		}
		status, reason := res.Status, res.Reason
		if cur.Status == linkhub.AccountDisabled || cur.Status == linkhub.AccountInactive {
			status, reason = cur.Status, cur.StatusReason // an admin's or a profile's choice
		}
		// A failed test discovers nothing: nil metadata keeps what is stored.
		metadata := cur.Metadata
		if res.Metadata != nil {
			metadata = res.Metadata
		}
		rows, _ := tx.Query(ctx, `
			UPDATE accounts SET status = $2, status_reason = $3, metadata = $4, last_tested_at = $5,
				updated_at = CASE WHEN status <> $2 OR metadata <> $4::jsonb THEN now() ELSE updated_at END
			WHERE id = $1 RETURNING `+accountColumns, id, status, reason, orEmptyMap(metadata), res.TestedAt)
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
		if err != nil {
			return fmt.Errorf("record test result: %w", err)
		}
		a = r.account()
		if !maps.Equal(cur.Metadata, a.Metadata) {
			if err := accountEvent(ctx, tx, linkhub.EventAccountUpdated, a); err != nil {
				return err
			}
		}
		if err := auditTest(ctx, tx, res, a); err != nil {
			return err
		}
		return statusEvent(ctx, tx, cur.Status, a)
	})
	return a, err
}

// auditTest records who asked for the test of a and its outcome; a
// scheduled test (no actor) is not audited.
func auditTest(ctx context.Context, tx pgx.Tx, res linkhub.TestResult, a *linkhub.Account) error {
	if res.Actor == nil {
		return nil
	}
	d := map[string]string{"owner": a.OriginOwnerID, "result": "passed", "status": a.Status}
	if res.Status != linkhub.AccountActive {
		d["result"], d["reason"] = "failed", res.Reason
	}
	return insertAudit(ctx, tx, *res.Actor, linkhub.ActionAccountTested, "account", a.ID, d)
}

// DeleteAccount deletes the account and its secrets, audited as actor's.
// Returns ENOTFOUND.
func (s *AccountService) DeleteAccount(ctx context.Context, actor linkhub.Actor, id string) error {
	defer s.db.accounts.evict(id)
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if !validUUID(id) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
		}
		rows, _ := tx.Query(ctx, `DELETE FROM accounts WHERE id = $1 RETURNING `+accountColumns, id)
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
		} else if err != nil {
			return fmt.Errorf("delete account: %w", err)
		}
		if err := s.secrets.deleteSecrets(ctx, tx, ownerAccount, id); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, actor, linkhub.ActionAccountDeleted, "account", r.ID, map[string]string{
			"owner": r.OriginOwnerID, "connector": r.ConnectorID, "profile_id": r.ProfileID}); err != nil {
			return err
		}
		return accountEvent(ctx, tx, linkhub.EventAccountDeleted, r.account())
	})
}

// findAccountRow reads one account, locked FOR UPDATE when lock is set.
func findAccountRow(ctx context.Context, q querier, id string, lock bool) (accountRow, error) {
	if !validUUID(id) {
		return accountRow{}, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	}
	sql := `SELECT ` + accountColumns + ` FROM accounts WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, _ := q.Query(ctx, sql, id)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return accountRow{}, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	} else if err != nil {
		return accountRow{}, fmt.Errorf("find account: %w", err)
	}
	return r, nil
}

// checkStatus returns EINVALID unless status is an account status.
func checkStatus(status string) error {
	valid := []string{linkhub.AccountActive, linkhub.AccountError, linkhub.AccountNeedsRelink,
		linkhub.AccountDisabled, linkhub.AccountInactive}
	if !slices.Contains(valid, status) {
		return linkhub.Errorf(linkhub.EINVALID, "Unknown account status %q.", status)
	}
	return nil
}
