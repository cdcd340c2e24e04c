package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.AuditService = (*AuditService)(nil)

// AuditService reads and appends the audit log.
type AuditService struct {
	db *DB
}

// NewAuditService returns an AuditService on db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

type auditRow struct {
	ID         int64             `db:"id"`
	ActorKind  string            `db:"actor_kind"`
	ActorID    string            `db:"actor_id"`
	ActorLabel string            `db:"actor_label"`
	Action     string            `db:"action"`
	TargetKind string            `db:"target_kind"`
	TargetID   string            `db:"target_id"`
	IP         string            `db:"ip"`
	Details    map[string]string `db:"details"`
	CreatedAt  time.Time         `db:"created_at"`
}

// FindAuditEntries returns matching entries, newest first, and whether more
// follow.
func (s *AuditService) FindAuditEntries(ctx context.Context, f linkhub.AuditFilter) ([]*linkhub.AuditEntry, bool, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	for _, v := range []*string{f.Action, f.Actor} {
		if v != nil && !linkhub.ValidText(*v) {
			return nil, false, nil // no entry holds such text, and the driver would refuse it
		}
	}
	rows, err := s.db.Pool.Query(ctx, `
		SELECT id, actor_kind, actor_id, actor_label, action, target_kind, target_id, ip, details, created_at
		FROM audit_log
		WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR lower(actor_label) = lower($2))
		ORDER BY id DESC OFFSET $3 LIMIT $4`, f.Action, f.Actor, f.Offset, f.Limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("query audit log: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[auditRow])
	if err != nil {
		return nil, false, fmt.Errorf("read audit log: %w", err)
	}
	more := len(list) > f.Limit
	if more {
		list = list[:f.Limit]
	}
	out := make([]*linkhub.AuditEntry, 0, len(list))
	for _, r := range list {
		out = append(out, &linkhub.AuditEntry{
			ID:     r.ID,
			Actor:  linkhub.Actor{Kind: r.ActorKind, ID: r.ActorID, Label: r.ActorLabel, IP: r.IP},
			Action: r.Action, TargetKind: r.TargetKind, TargetID: r.TargetID,
			Details: r.Details, CreatedAt: r.CreatedAt,
		})
	}
	return out, more, nil
}

// CreateAuditEntry appends an entry.
func (s *AuditService) CreateAuditEntry(ctx context.Context, e *linkhub.AuditEntry) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		return insertAudit(ctx, tx, e.Actor, e.Action, e.TargetKind, e.TargetID, e.Details)
	})
}

// insertAudit appends an audit entry inside the caller's transaction, so the
// entry exists exactly when the change it records does.
func insertAudit(ctx context.Context, tx pgx.Tx, a linkhub.Actor, action, targetKind, targetID string, details map[string]string) error {
	if details == nil {
		details = map[string]string{}
	}
	kind := a.Kind
	if kind == "" {
		kind = "system"
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO audit_log (actor_kind, actor_id, actor_label, action, target_kind, target_id, ip, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		kind, a.ID, a.Label, action, targetKind, targetID, a.IP, details)
	if err != nil {
		return fmt.Errorf("insert audit entry: %w", err)
	}
	return nil
}

// newToken returns n random bytes as URL-safe base64 and their SHA-256 hash,
// which is what gets stored.
func newToken(n int) (string, []byte) {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on failure since Go 1.24)
	t := base64.RawURLEncoding.EncodeToString(b)
	return t, hashToken(t)
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// isForeignKeyViolation reports whether err is PostgreSQL's
// foreign_key_violation: a row referred to was deleted meanwhile.
func isForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23503"
}

// isInvalidUUID reports whether err is a malformed-uuid input error, which
// means "no such row" to callers.
func isInvalidUUID(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "22P02"
}
