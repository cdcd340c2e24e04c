package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// PostgreSQL error codes this package translates.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeDeadlock            = "40P01"
)

// querier is what both a pool and a transaction offer, so read helpers can run
// inside a caller's transaction or on their own.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// pgError returns the *pgconn.PgError in err's chain with the given code.
func pgError(err error, code string) (*pgconn.PgError, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == code {
		return pgErr, true
	}
	return nil, false
}

// validUUID reports whether s is a row id (linkhub.ValidID). Ids from URLs
// are checked up front so a malformed one is "not found", not a driver error.
func validUUID(s string) bool { return linkhub.ValidID(s) }

// orEmpty returns s, or an empty slice for nil (a NOT NULL array column).
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orEmptyMap returns m, or an empty map for nil (a NOT NULL jsonb column).
func orEmptyMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}
