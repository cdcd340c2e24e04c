package postgres

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/secret"
)

// Owner kinds of the secrets table: the table a secret belongs to.
const (
	ownerProfile = "profile"
	ownerAccount = "account"
)

// secretStore seals secrets into the secrets table and opens them again. Each
// value is sealed with the associated data {owner_kind, owner_id, name}, so a
// ciphertext copied to another row or name does not open there. Its methods
// run inside the caller's transaction, so an owner row and its secrets are
// written together or not at all.
type secretStore struct {
	keys *secret.Keyring
}

// secretRow is one row of the secrets table.
type secretRow struct {
	OwnerKind string `db:"owner_kind"`
	OwnerID   string `db:"owner_id"`
	Name      string `db:"name"`
	KEKID     int    `db:"kek_id"`
	Sealed    []byte `db:"sealed"`
}

// ad returns the associated data that binds a sealed value to its place.
func (r secretRow) ad() secret.AD {
	return secret.AD{Table: r.OwnerKind, RowID: r.OwnerID, Column: r.Name}
}

// putSecrets seals and stores the secrets of one owner. A zero Value keeps
// the stored secret (forms are write-only: blank means unchanged).
func (s secretStore) putSecrets(ctx context.Context, tx pgx.Tx, kind, id string, secrets map[string]secret.Value) error {
	// Rows are locked in key order, as rotation's waiting pass does, so the
	// two never deadlock.
	for _, name := range slices.Sorted(maps.Keys(secrets)) {
		v := secrets[name]
		if v.IsZero() {
			continue
		}
		row := secretRow{OwnerKind: kind, OwnerID: id, Name: name}
		sealed, err := s.keys.SealString(v, row.ad())
		if err != nil {
			return fmt.Errorf("seal secret %s of %s %s: %w", name, kind, id, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO secrets (owner_kind, owner_id, name, kek_id, sealed)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (owner_kind, owner_id, name)
			DO UPDATE SET kek_id = EXCLUDED.kek_id, sealed = EXCLUDED.sealed, updated_at = now()`,
			kind, id, name, s.keys.ActiveID(), sealed); err != nil {
			return fmt.Errorf("store secret %s of %s %s: %w", name, kind, id, err)
		}
	}
	return nil
}

// findSecrets returns the opened secrets of one owner, by name. A value that
// does not open (wrong key, copied from elsewhere, tampered) is an internal
// error that names the row and wraps the secret package's error, never the
// content.
func (s secretStore) findSecrets(ctx context.Context, q querier, kind, id string) (map[string]secret.Value, error) {
	all, err := s.findSecretsOf(ctx, q, kind, []string{id})
	if err != nil {
		return nil, err
	}
	return orEmptyMap(all[id]), nil
}

// findSecretsOf is findSecrets for several owners of one kind at once: a
// list page reads its masks in one query.
func (s secretStore) findSecretsOf(ctx context.Context, q querier, kind string, ids []string) (map[string]map[string]secret.Value, error) {
	rows, err := q.Query(ctx, `
		SELECT owner_kind, owner_id::text AS owner_id, name, kek_id, sealed
		FROM secrets WHERE owner_kind = $1 AND owner_id = ANY($2::uuid[])`, kind, ids)
	if err != nil {
		return nil, fmt.Errorf("find secrets of %s: %w", kind, err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[secretRow])
	if err != nil {
		return nil, fmt.Errorf("find secrets of %s: %w", kind, err)
	}
	out := make(map[string]map[string]secret.Value, len(ids))
	for _, r := range list {
		v, err := s.keys.OpenString(r.Sealed, r.ad())
		if err != nil {
			return nil, fmt.Errorf("open secret %s of %s %s: %w", r.Name, kind, r.OwnerID, err)
		}
		if out[r.OwnerID] == nil {
			out[r.OwnerID] = map[string]secret.Value{}
		}
		out[r.OwnerID][r.Name] = v
	}
	return out, nil
}

// findMasks returns what a page may show of each stored secret of the
// owners ids of one kind (see secret.Value.Mask), by owner id.
func (s secretStore) findMasks(ctx context.Context, q querier, kind string, ids ...string) (map[string]map[string]string, error) {
	all, err := s.findSecretsOf(ctx, q, kind, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]string, len(ids))
	for _, id := range ids {
		masks := map[string]string{}
		for name, v := range all[id] {
			masks[name] = v.Mask()
		}
		out[id] = masks
	}
	return out, nil
}

// deleteSecrets removes every secret of one owner.
func (s secretStore) deleteSecrets(ctx context.Context, tx pgx.Tx, kind, id string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM secrets WHERE owner_kind = $1 AND owner_id = $2`, kind, id); err != nil {
		return fmt.Errorf("delete secrets of %s %s: %w", kind, id, err)
	}
	return nil
}
