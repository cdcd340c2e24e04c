package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
)

// msgBadLogin is the one answer to a wrong email, a wrong password and a
// disabled admin, so that sign-in reveals nothing about who is an admin.
const msgBadLogin = "Email or password is incorrect."

// setupLock serializes first-run setup across replicas.
const setupLock = `SELECT pg_advisory_xact_lock(hashtext('linkhub.admin_setup'))`

// IssueSetupToken returns a new one-time first-run token valid for an hour,
// or ECONFLICT when an admin exists. Earlier unexpired tokens stay valid,
// so replicas starting together do not cancel each other's links.
func (s *AdminService) IssueSetupToken(ctx context.Context) (string, error) {
	token, hash := newToken(24) // 192 bits
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, setupLock); err != nil {
			return fmt.Errorf("lock setup: %w", err)
		}
		if n, err := countAdmins(ctx, tx); err != nil {
			return err
		} else if n > 0 {
			return linkhub.Errorf(linkhub.ECONFLICT, "An admin exists already.")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM setup_tokens WHERE expires_at < now()`); err != nil {
			return fmt.Errorf("delete expired setup tokens: %w", err)
		}
		_, err := tx.Exec(ctx, `INSERT INTO setup_tokens (hash, expires_at) VALUES ($1, now() + $2::interval)`,
			hash, setupTokenTTL.String())
		if err != nil {
			return fmt.Errorf("insert setup token: %w", err)
		}
		return nil
	})
	return token, err
}

func countAdmins(ctx context.Context, tx pgx.Tx) (int, error) {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM admins`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

func checkSetupToken(ctx context.Context, tx pgx.Tx, token string) error {
	if n, err := countAdmins(ctx, tx); err != nil {
		return err
	} else if n > 0 {
		return linkhub.Errorf(linkhub.ENOTFOUND, "There is nothing at this address.")
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE hash = $1 AND expires_at > now())`,
		hashToken(token)).Scan(&ok)
	if err != nil {
		return fmt.Errorf("check setup token: %w", err)
	}
	if !ok || token == "" {
		return linkhub.Errorf(linkhub.EUNAUTHORIZED,
			"This setup link is invalid or has expired. Restart Linkhub to print a new one in its log.")
	}
	return nil
}

// CheckSetupToken returns ENOTFOUND once an admin exists, EUNAUTHORIZED for a
// bad or expired token.
func (s *AdminService) CheckSetupToken(ctx context.Context, token string) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error { return checkSetupToken(ctx, tx, token) })
}

// CreateFirstAdmin spends the setup token and creates the first admin.
func (s *AdminService) CreateFirstAdmin(ctx context.Context, token, email, pw, ip string) (*linkhub.Admin, error) {
	if err := s.CheckSetupToken(ctx, token); err != nil {
		return nil, err
	}
	email = linkhub.NormalizeEmail(email)
	if err := validateCredentials(email, pw); err != nil {
		return nil, err
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	var a *linkhub.Admin
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, setupLock); err != nil {
			return fmt.Errorf("lock setup: %w", err)
		}
		if err := checkSetupToken(ctx, tx, token); err != nil {
			return err
		}
		if a, err = insertAdmin(ctx, tx, linkhub.Actor{IP: ip}, email, hash, linkhub.ActionSetup); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM setup_tokens`); err != nil {
			return fmt.Errorf("delete setup tokens: %w", err)
		}
		return nil
	})
	return a, err
}

// Authenticate checks the credentials, applies the per-email lockout and
// starts a session. The password check runs outside any transaction: it is
// slow on purpose and must not hold a connection's locks.
func (s *AdminService) Authenticate(ctx context.Context, email, pw, ip string) (*linkhub.Admin, string, error) {
	email = linkhub.NormalizeEmail(email)
	if len(email) > 254 {
		email = email[:254]
	}
	if !linkhub.ValidText(email) { // no admin has it, and it cannot be recorded
		s.passwords.VerifyDummy(ctx, pw)
		return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, msgBadLogin)
	}
	actor := linkhub.Actor{Kind: "admin", IP: ip}
	if strings.Contains(email, "@") { // never record a password typed into the email field
		actor.Label = email
	}
	var secs float64
	err := s.db.Pool.QueryRow(ctx, `
		SELECT coalesce(extract(epoch FROM (SELECT locked_until - now() FROM login_throttle WHERE email = $1)), 0)::float8`,
		email).Scan(&secs)
	if err != nil {
		return nil, "", fmt.Errorf("read lockout: %w", err)
	}
	lockedFor := time.Duration(secs * float64(time.Second))
	if lockedFor > 0 {
		err := s.recordFailure(ctx, actor, email, "locked", false)
		if err != nil {
			return nil, "", err
		}
		mins := int((lockedFor + time.Minute - 1) / time.Minute)
		unit := "minutes"
		if mins == 1 {
			unit = "minute"
		}
		return nil, "", linkhub.Errorf(linkhub.ERATELIMIT,
			"Too many failed sign-ins for this email. Try again in %d %s.", mins, unit)
	}

	rows, _ := s.db.Pool.Query(ctx, `SELECT `+adminCols+` FROM admins WHERE lower(email) = $1`, email)
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[adminRow])
	found := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, "", fmt.Errorf("find admin: %w", err)
	}
	ok := false
	if found {
		if ok, err = s.passwords.Verify(ctx, pw, r.PasswordHash); err != nil {
			return nil, "", fmt.Errorf("verify password: %w", err)
		}
	} else {
		s.passwords.VerifyDummy(ctx, pw)
	}
	if !ok || r.Disabled {
		reason := "unknown_email"
		if found {
			actor.ID = r.ID
			reason = "wrong_password"
			if ok {
				reason = "disabled"
			}
		}
		if err := s.recordFailure(ctx, actor, email, reason, true); err != nil {
			return nil, "", err
		}
		return nil, "", linkhub.Errorf(linkhub.EUNAUTHORIZED, msgBadLogin)
	}

	// Upgrade a hash made with older parameters while the password is at hand.
	var rehash string
	if password.NeedsRehash(r.PasswordHash) {
		if rehash, err = s.passwords.Hash(ctx, pw); err != nil {
			return nil, "", fmt.Errorf("rehash password: %w", err)
		}
	}
	token, hash := newToken(32)
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if rehash != "" {
			if _, err := tx.Exec(ctx, `UPDATE admins SET password_hash = $2 WHERE id = $1`, r.ID, rehash); err != nil {
				return fmt.Errorf("rehash password: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE email = $1`, email); err != nil {
			return fmt.Errorf("clear lockout: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE admins SET last_login_at = now() WHERE id = $1`, r.ID); err != nil {
			return fmt.Errorf("update last login: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM admin_sessions WHERE admin_id = $1 AND (created_at < now() - $2::interval OR last_seen_at < now() - $3::interval)`,
			r.ID, sessionAbsolute.String(), sessionIdle.String()); err != nil {
			return fmt.Errorf("delete old sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO admin_sessions (id_hash, admin_id) VALUES ($1, $2)`, hash, r.ID); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		actor.ID, actor.Label = r.ID, r.Email
		return insertAudit(ctx, tx, actor, linkhub.ActionLogin, "admin", r.ID, nil)
	})
	if err != nil {
		return nil, "", err
	}
	return r.admin(), token, nil
}

// recordFailure writes the audit entry of a failed sign-in and, when count is
// set, counts it: from the 5th failure on, the email is locked for 1 minute,
// doubling with each further failure (at most 24 hours).
func (s *AdminService) recordFailure(ctx context.Context, actor linkhub.Actor, email, reason string, count bool) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if count {
			_, err := tx.Exec(ctx, `
				INSERT INTO login_throttle AS t (email, failures) VALUES ($1, 1)
				ON CONFLICT (email) DO UPDATE SET failures = t.failures + 1, updated_at = now()`, email)
			if err != nil {
				return fmt.Errorf("count failure: %w", err)
			}
			_, err = tx.Exec(ctx, `
				UPDATE login_throttle SET locked_until = now() + least($2::interval * power(2, failures - $3), $4::interval)
				WHERE email = $1 AND failures >= $3`, email, lockoutBase.String(), lockoutAfter, lockoutMax.String())
			if err != nil {
				return fmt.Errorf("lock email: %w", err)
			}
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionLoginFailed, "admin", actor.ID, map[string]string{"reason": reason})
	})
}

// FindAdminBySession returns the enabled admin of a live session. It writes
// last_seen_at at most once a minute per session, not on every request.
func (s *AdminService) FindAdminBySession(ctx context.Context, token string) (*linkhub.Admin, error) {
	if token == "" {
		return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Please sign in.")
	}
	var a *linkhub.Admin
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			SELECT a.id, a.email, a.password_hash, a.disabled, a.created_at, a.last_login_at
			FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
			WHERE s.id_hash = $1 AND NOT a.disabled
			  AND s.created_at > now() - $2::interval AND s.last_seen_at > now() - $3::interval`,
			hashToken(token), sessionAbsolute.String(), sessionIdle.String())
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[adminRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return linkhub.Errorf(linkhub.EUNAUTHORIZED, "Your session has ended. Please sign in again.")
		} else if err != nil {
			return fmt.Errorf("find session: %w", err)
		}
		a = r.admin()
		_, err = tx.Exec(ctx, `UPDATE admin_sessions SET last_seen_at = now()
			WHERE id_hash = $1 AND last_seen_at < now() - interval '1 minute'`, hashToken(token))
		if err != nil {
			return fmt.Errorf("touch session: %w", err)
		}
		return nil
	})
	return a, err
}

// DeleteSession ends a session and records the sign-out.
func (s *AdminService) DeleteSession(ctx context.Context, actor linkhub.Actor, token string) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM admin_sessions WHERE id_hash = $1`, hashToken(token))
		if err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionLogout, "admin", actor.ID, nil)
	})
}
