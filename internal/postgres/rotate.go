package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/secret"
)

// RotateResult is what a key rotation did.
type RotateResult struct {
	// Rewrapped counts the secrets re-wrapped under the active key.
	Rewrapped int
	// Before and After count the secrets under each key id before and after
	// the rotation.
	Before, After map[int]int
	// Elapsed is how long the rotation ran.
	Elapsed time.Duration
}

// Left returns how many secrets are still under keys other than active.
func (r RotateResult) Left(active int) int {
	n := 0
	for id, c := range r.After {
		if id != active {
			n += c
		}
	}
	return n
}

// Freed returns the ids other than active that held secrets before and hold
// none now: they can leave the keyring.
func (r RotateResult) Freed(active int) []int {
	var ids []int
	for id := range r.Before {
		if id != active && r.After[id] == 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// RotateSecrets re-wraps every secret not under keys' active key, online:
// batches of at most batch rows, each locked FOR UPDATE SKIP LOCKED and
// committed in its own short transaction, so writers are never blocked for
// long and an interrupted rotation loses at most one batch; running it again
// resumes. Only the data key's wrapping changes, never the ciphertext.
// progress, when not nil, is called after each batch with the rows done so
// far and an estimate of the rows left. A value that does not open stops the
// rotation with an error naming its row.
func (db *DB) RotateSecrets(ctx context.Context, keys *secret.Keyring, batch int, progress func(done, left int)) (RotateResult, error) {
	start := time.Now()
	res := RotateResult{}
	if batch <= 0 {
		batch = 500
	}
	var err error
	if res.Before, err = db.SecretCounts(ctx); err != nil {
		return res, err
	}
	total := 0
	for id, n := range res.Before {
		if id != keys.ActiveID() {
			total += n
		}
	}
	// Each pass walks the primary key from where the last batch stopped, so
	// no batch rescans rows already done. SKIP LOCKED passes over rows a
	// writer holds; the second, waiting pass picks those up once their
	// writers commit (a row a writer re-sealed under the active key no
	// longer matches), and any row written meanwhile under an old key.
	for _, skipLocked := range []bool{true, false} {
		var after *secretKey
		for {
			n, last, err := db.rotateBatch(ctx, keys, batch, after, skipLocked)
			if _, ok := pgError(err, codeDeadlock); ok {
				continue // the writer won; the batch rolled back whole, so retry it
			}
			if err != nil {
				res.Elapsed = time.Since(start)
				return res, err
			}
			if n == 0 {
				break
			}
			after = last
			res.Rewrapped += n
			if progress != nil {
				progress(res.Rewrapped, max(total-res.Rewrapped, 0))
			}
		}
	}
	if res.After, err = db.SecretCounts(ctx); err != nil {
		return res, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// secretKey is the primary key of a secrets row.
type secretKey struct{ kind, id, name string }

// rotateBatch re-wraps up to batch secrets after the key after (from the
// start when nil) in one transaction, locking rows in key order as writers
// do. It returns how many it re-wrapped and the key of the last one.
func (db *DB) rotateBatch(ctx context.Context, keys *secret.Keyring, batch int, after *secretKey, skipLocked bool) (int, *secretKey, error) {
	sql := `SELECT owner_kind, owner_id::text AS owner_id, name, kek_id, sealed
		FROM secrets WHERE kek_id <> $1`
	args := []any{keys.ActiveID(), batch}
	if after != nil {
		sql += ` AND (owner_kind, owner_id, name) > ($3, $4::uuid, $5)`
		args = append(args, after.kind, after.id, after.name)
	}
	sql += ` ORDER BY owner_kind, owner_id, name LIMIT $2 FOR UPDATE`
	if skipLocked {
		sql += ` SKIP LOCKED`
	}
	n := 0
	var last *secretKey
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, sql, args...)
		list, err := pgx.CollectRows(rows, pgx.RowToStructByName[secretRow])
		if err != nil {
			return fmt.Errorf("select secrets to rotate: %w", err)
		}
		if len(list) == 0 {
			return nil
		}
		kinds := make([]string, len(list))
		ids := make([]string, len(list))
		names := make([]string, len(list))
		sealed := make([][]byte, len(list))
		for i, r := range list {
			out, err := keys.Rewrap(r.Sealed, r.ad())
			if err != nil {
				return fmt.Errorf("re-wrap secret %s of %s %s (key id %d): %w", r.Name, r.OwnerKind, r.OwnerID, r.KEKID, err)
			}
			kinds[i], ids[i], names[i], sealed[i] = r.OwnerKind, r.OwnerID, r.Name, out
		}
		tag, err := tx.Exec(ctx, `
			UPDATE secrets s SET kek_id = $1, sealed = u.sealed
			FROM unnest($2::text[], $3::uuid[], $4::text[], $5::bytea[]) AS u(owner_kind, owner_id, name, sealed)
			WHERE s.owner_kind = u.owner_kind AND s.owner_id = u.owner_id AND s.name = u.name`,
			keys.ActiveID(), kinds, ids, names, sealed)
		if err != nil {
			return fmt.Errorf("store re-wrapped secrets: %w", err)
		}
		n = int(tag.RowsAffected())
		r := list[len(list)-1]
		last = &secretKey{r.OwnerKind, r.OwnerID, r.Name}
		return nil
	})
	return n, last, err
}

// SecretCounts returns how many secrets each key id wraps.
func (db *DB) SecretCounts(ctx context.Context) (map[int]int, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT kek_id, count(*) FROM secrets GROUP BY kek_id`)
	counts := map[int]int{}
	var id, n int
	if _, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error { counts[id] = n; return nil }); err != nil {
		return nil, fmt.Errorf("count secrets by key: %w", err)
	}
	return counts, nil
}

// KeyringError is CheckKeyring's verdict that the keyring cannot open the
// database's secrets: it lacks key id KeyID, or (Wrong) holds another key
// under that id.
type KeyringError struct {
	KeyID int
	Wrong bool
}

// Error names the key id and the problem, never key material.
func (e *KeyringError) Error() string {
	if e.Wrong {
		return fmt.Sprintf("key id %d in LINKHUB_ENCRYPTION_KEYS is not the key that sealed the database's secrets under that id", e.KeyID)
	}
	return fmt.Sprintf("the database holds secrets sealed with key id %d, which LINKHUB_ENCRYPTION_KEYS does not contain", e.KeyID)
}

// CheckKeyring makes sure keys can open what the database holds: every key
// id the secrets table references must be in the keyring, and for each id
// one sample secret must open, which catches a different key under the same
// id (say, a lost and regenerated key file). Such a mismatch is a
// *KeyringError; errors name key ids only.
func (db *DB) CheckKeyring(ctx context.Context, keys *secret.Keyring) error {
	rows, _ := db.Pool.Query(ctx, `SELECT DISTINCT kek_id FROM secrets ORDER BY kek_id`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return fmt.Errorf("list encryption key ids in use: %w", err)
	}
	for _, id := range ids {
		if !keys.Has(id) {
			return &KeyringError{KeyID: id}
		}
		rows, _ := db.Pool.Query(ctx, `
			SELECT owner_kind, owner_id::text AS owner_id, name, kek_id, sealed
			FROM secrets WHERE kek_id = $1 LIMIT 1`, id)
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[secretRow])
		if errors.Is(err, pgx.ErrNoRows) {
			continue // deleted meanwhile
		} else if err != nil {
			return fmt.Errorf("read a secret sealed with key id %d: %w", id, err)
		}
		// Only the key is judged here: one damaged row must not stop the
		// start, and reading it reports it anyway.
		if _, err := keys.Open(r.Sealed, r.ad()); errors.Is(err, secret.ErrWrongKey) {
			return &KeyringError{KeyID: id, Wrong: true}
		}
	}
	return nil
}
