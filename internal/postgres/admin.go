package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
)

var _ linkhub.AdminService = (*AdminService)(nil)

// Session and lockout limits.
const (
	sessionIdle     = 2 * time.Hour
	sessionAbsolute = 12 * time.Hour
	setupTokenTTL   = time.Hour
	lockoutAfter    = 5           // failures before the first lockout
	lockoutBase     = time.Minute // doubled at each further failure
	lockoutMax      = 24 * time.Hour
)

// AdminService manages admins, sign-in and sessions.
type AdminService struct {
	db        *DB
	passwords *password.Hasher
}

// NewAdminService returns an AdminService on db hashing with passwords.
func NewAdminService(db *DB, passwords *password.Hasher) *AdminService {
	return &AdminService{db: db, passwords: passwords}
}

type adminRow struct {
	ID           string     `db:"id"`
	Email        string     `db:"email"`
	PasswordHash string     `db:"password_hash"`
	Disabled     bool       `db:"disabled"`
	CreatedAt    time.Time  `db:"created_at"`
	LastLoginAt  *time.Time `db:"last_login_at"`
}

func (r adminRow) admin() *linkhub.Admin {
	return &linkhub.Admin{ID: r.ID, Email: r.Email, Disabled: r.Disabled, CreatedAt: r.CreatedAt, LastLoginAt: r.LastLoginAt}
}

const adminCols = `id, email, password_hash, disabled, created_at, last_login_at`

func findAdmin(ctx context.Context, q pgx.Tx, where string, arg any) (adminRow, error) {
	rows, _ := q.Query(ctx, `SELECT `+adminCols+` FROM admins WHERE `+where, arg)
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[adminRow])
	if errors.Is(err, pgx.ErrNoRows) || isInvalidUUID(err) {
		return r, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such admin.")
	}
	if err != nil {
		return r, fmt.Errorf("find admin: %w", err)
	}
	return r, nil
}

// FindAdminByID returns ENOTFOUND when there is no such admin.
func (s *AdminService) FindAdminByID(ctx context.Context, id string) (a *linkhub.Admin, err error) {
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		r, err := findAdmin(ctx, tx, "id = $1", id)
		a = r.admin()
		return err
	})
	return a, err
}

// FindAdminByEmail returns ENOTFOUND when there is no such admin.
func (s *AdminService) FindAdminByEmail(ctx context.Context, email string) (a *linkhub.Admin, err error) {
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		r, err := findAdmin(ctx, tx, "lower(email) = $1", linkhub.NormalizeEmail(email))
		a = r.admin()
		return err
	})
	return a, err
}

// FindAdmins lists every admin, oldest first.
func (s *AdminService) FindAdmins(ctx context.Context) ([]*linkhub.Admin, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+adminCols+` FROM admins ORDER BY created_at, email`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[adminRow])
	if err != nil {
		return nil, fmt.Errorf("find admins: %w", err)
	}
	out := make([]*linkhub.Admin, len(list))
	for i, r := range list {
		out[i] = r.admin()
	}
	return out, nil
}

// CreateAdmin creates an admin with a hashed password.
func (s *AdminService) CreateAdmin(ctx context.Context, actor linkhub.Actor, email, pw string) (*linkhub.Admin, error) {
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
		a, err = insertAdmin(ctx, tx, actor, email, hash, linkhub.ActionAdminCreated)
		return err
	})
	return a, err
}

func validateCredentials(email, pw string) error {
	if err := linkhub.ValidateEmail(email); err != nil {
		return err
	}
	return linkhub.ValidatePassword(pw)
}

func insertAdmin(ctx context.Context, tx pgx.Tx, actor linkhub.Actor, email, hash, action string) (*linkhub.Admin, error) {
	rows, _ := tx.Query(ctx, `INSERT INTO admins (email, password_hash) VALUES ($1, $2) RETURNING `+adminCols, email, hash)
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[adminRow])
	if isUniqueViolation(err) {
		return nil, &linkhub.Error{Code: linkhub.ECONFLICT, Field: "email", Message: "An admin with this email exists already."}
	} else if err != nil {
		return nil, fmt.Errorf("insert admin: %w", err)
	}
	if actor.Kind == "" { // the first admin acts on their own behalf
		actor = linkhub.Actor{Kind: "admin", ID: r.ID, Label: r.Email, IP: actor.IP}
	}
	if err := insertAudit(ctx, tx, actor, action, "admin", r.ID, map[string]string{"email": r.Email}); err != nil {
		return nil, err
	}
	return r.admin(), nil
}

// UpdateAdmin disables, enables or sets a new password; disabling and a new
// password end the admin's sessions.
func (s *AdminService) UpdateAdmin(ctx context.Context, actor linkhub.Actor, id string, upd linkhub.AdminUpdate) (*linkhub.Admin, error) {
	var hash string
	if upd.Password != nil {
		if err := linkhub.ValidatePassword(*upd.Password); err != nil {
			return nil, err
		}
		h, err := s.passwords.Hash(ctx, *upd.Password)
		if err != nil {
			return nil, fmt.Errorf("hash password: %w", err)
		}
		hash = h
	}
	var a *linkhub.Admin
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		r, err := findAdmin(ctx, tx, "id = $1 FOR UPDATE", id)
		if err != nil {
			return err
		}
		if upd.Disabled != nil && *upd.Disabled != r.Disabled {
			if *upd.Disabled && actor.Kind == "admin" && actor.ID == r.ID {
				return linkhub.Errorf(linkhub.EFORBIDDEN, "You cannot disable yourself; ask another admin.")
			}
			action := linkhub.ActionAdminEnabled
			if *upd.Disabled {
				action = linkhub.ActionAdminDisabled
			}
			if _, err := tx.Exec(ctx, `UPDATE admins SET disabled = $2 WHERE id = $1`, r.ID, *upd.Disabled); err != nil {
				return fmt.Errorf("update admin: %w", err)
			}
			if err := insertAudit(ctx, tx, actor, action, "admin", r.ID, map[string]string{"email": r.Email}); err != nil {
				return err
			}
			r.Disabled = *upd.Disabled
		}
		if hash != "" {
			if _, err := tx.Exec(ctx, `UPDATE admins SET password_hash = $2 WHERE id = $1`, r.ID, hash); err != nil {
				return fmt.Errorf("update password: %w", err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM login_throttle WHERE email = lower($1)`, r.Email); err != nil {
				return fmt.Errorf("clear lockout: %w", err)
			}
			if err := insertAudit(ctx, tx, actor, linkhub.ActionPasswordReset, "admin", r.ID, map[string]string{"email": r.Email}); err != nil {
				return err
			}
		}
		if r.Disabled || hash != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM admin_sessions WHERE admin_id = $1`, r.ID); err != nil {
				return fmt.Errorf("end sessions: %w", err)
			}
		}
		a = r.admin()
		return nil
	})
	return a, err
}
