package postgres

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// FindAccounts returns a page of the accounts that match filter, newest
// first, and the cursor of the next page ("" on the last). Search matches
// the owner id, owner name and label, case-insensitively. Returns EINVALID
// for a cursor it did not hand out.
func (s *AccountService) FindAccounts(ctx context.Context, filter linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
	limit := filter.Limit
	if limit <= 0 {
		limit = defaultAccountLimit
	}
	limit = min(limit, maxAccountLimit)
	// Only the filters given become conditions: a catch-all "@x IS NULL OR
	// ..." query gets a cached generic plan that cannot use the owner index
	// and reads every account.
	var conds []string
	var args []any
	// where adds a condition; each ? in it takes the next of vs.
	where := func(cond string, vs ...any) {
		for _, v := range vs {
			args = append(args, v)
			cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
		}
		conds = append(conds, cond)
	}
	// A malformed id matches nothing rather than failing in the driver.
	for _, f := range []struct {
		v   *string
		col string
	}{{filter.ID, "id"}, {filter.ProfileID, "profile_id"}} {
		if f.v == nil {
			continue
		}
		if !validUUID(*f.v) {
			return nil, "", nil
		}
		where(f.col+" = ?", *f.v)
	}
	// Nor does text no account can hold (NUL, invalid UTF-8: a query
	// parameter may carry both), which the driver would refuse.
	for _, v := range []*string{filter.OriginOwnerID, filter.Search, filter.Status, filter.ConnectorID} {
		if v != nil && !linkhub.ValidText(*v) {
			return nil, "", nil
		}
	}
	if filter.OriginOwnerID != nil {
		where("origin_owner_id = ?", *filter.OriginOwnerID)
	}
	if filter.Status != nil {
		where("status = ?", *filter.Status)
	}
	if filter.ConnectorID != nil {
		where("connector_id = ?", *filter.ConnectorID)
	}
	if filter.Search != nil && strings.TrimSpace(*filter.Search) != "" {
		like := "%" + escapeLike(strings.TrimSpace(*filter.Search)) + "%"
		where("(origin_owner_id ILIKE ? OR origin_owner_name ILIKE ? OR label ILIKE ?)", like, like, like)
	}
	if filter.Cursor != "" {
		ts, id, err := decodeCursor(filter.Cursor)
		if err != nil {
			return nil, "", err
		}
		where("(created_at, id) < (?, ?::uuid)", ts, id)
	}
	query := `SELECT ` + accountColumns + ` FROM accounts`
	if len(conds) > 0 {
		query += ` WHERE ` + strings.Join(conds, ` AND `)
	}
	args = append(args, limit+1) // one more tells whether there is a next page
	rows, err := s.db.Pool.Query(ctx, query+` ORDER BY created_at DESC, id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("find accounts: %w", err)
	}
	// By position: accountColumns lists the columns in accountRow's order,
	// and a page of rows skips matching each column's name.
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[accountRow])
	if err != nil {
		return nil, "", fmt.Errorf("find accounts: %w", err)
	}
	var next string
	if len(list) > limit {
		list = list[:limit]
		last := list[len(list)-1]
		next = encodeCursor(last.CreatedAt, last.ID)
	}
	out := make([]*linkhub.Account, len(list))
	for i, r := range list {
		out[i] = r.account()
	}
	return out, next, nil
}

// encodeCursor makes the opaque cursor of the page after the account
// created at ts with id. PostgreSQL keeps microseconds, so they round-trip.
func encodeCursor(ts time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(ts.UnixMicro(), 10) + ":" + id))
}

// decodeCursor reverses encodeCursor; anything else is EINVALID.
func decodeCursor(cursor string) (time.Time, string, error) {
	bad := linkhub.Errorf(linkhub.EINVALID, "The cursor is not valid.")
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, "", bad
	}
	tsStr, id, ok := strings.Cut(string(b), ":")
	if !ok || !validUUID(id) {
		return time.Time{}, "", bad
	}
	us, err := strconv.ParseInt(tsStr, 10, 64)
	if err != nil {
		return time.Time{}, "", bad
	}
	return time.UnixMicro(us), id, nil
}

// escapeLike escapes the LIKE wildcards in s so that it matches literally.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ClaimDueAccounts claims up to limit accounts whose scheduled re-test is
// due at now (active, error and needs_relink ones; a new account is first
// due interval after its last test) for lease, in one statement: with FOR
// UPDATE SKIP LOCKED the schedulers of several replicas never claim the same
// account. The scheduler sets the next test with ScheduleTests once it has
// tested an account; a claim it never finishes (a killed process) is due
// again when the lease ends, not an interval later.
func (s *AccountService) ClaimDueAccounts(ctx context.Context, now time.Time, interval, lease time.Duration, limit int) ([]string, error) {
	rows, _ := s.db.Pool.Query(ctx, `
		WITH due AS (
			SELECT id FROM accounts
			WHERE status IN ('active', 'error', 'needs_relink')
			  AND coalesce(next_test_at, coalesce(last_tested_at, created_at) + $2::bigint * interval '1 millisecond') <= $1
			ORDER BY next_test_at NULLS FIRST, id LIMIT $4
			FOR UPDATE SKIP LOCKED
		)
		UPDATE accounts a SET next_test_at = $1::timestamptz + $3::bigint * interval '1 millisecond'
		FROM due WHERE a.id = due.id
		RETURNING a.id::text`, now, interval.Milliseconds(), lease.Milliseconds(), limit)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("claim due accounts: %w", err)
	}
	return ids, nil
}

// ScheduleTests sets the next scheduled re-test of the accounts to at.
func (s *AccountService) ScheduleTests(ctx context.Context, ids []string, at time.Time) error {
	if _, err := s.db.Pool.Exec(ctx, `UPDATE accounts SET next_test_at = $2 WHERE id = ANY($1::uuid[])`, ids, at); err != nil {
		return fmt.Errorf("schedule account tests: %w", err)
	}
	return nil
}

// CountAccountsByProfile returns how many accounts each profile has, in one
// query; a profile without accounts is absent.
func (s *AccountService) CountAccountsByProfile(ctx context.Context) (map[string]int, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT profile_id::text, count(*) FROM accounts GROUP BY profile_id`)
	counts := map[string]int{}
	var id string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		counts[id] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count accounts by profile: %w", err)
	}
	return counts, nil
}
