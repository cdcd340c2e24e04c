package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.APIKeyService = (*APIKeyService)(nil)

// keyEncoding is lower-case base32 without padding: no "_", so the key
// "lh_<prefix>_<secret>" splits unambiguously, and it survives double-click
// selection.
var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// APIKeyService manages API keys. Key use is noted in memory and written in
// batches by Run/Flush, so authenticating a request writes nothing.
//
// A key that authenticated is remembered for KeyCacheTTL, so the host
// product's calls cost no database round trip for it. Revoking a key forgets
// it at once in this process; other processes stop accepting it within the TTL.
type APIKeyService struct {
	db *DB

	mu    sync.Mutex
	used  map[string]time.Time // key id -> latest use not yet written
	known map[[sha256.Size]byte]knownKey
	gen   uint64 // bumped by each revocation, so an authentication that raced one is not kept
	now   func() time.Time
}

// KeyCacheTTL is how long an authenticated API key is believed without
// asking the database again.
const KeyCacheTTL = 5 * time.Second

// maxKnownKeys bounds the cache; only keys that authenticated get in.
const maxKnownKeys = 1024

type knownKey struct {
	key   linkhub.APIKey
	until time.Time
}

// NewAPIKeyService returns an APIKeyService on db.
func NewAPIKeyService(db *DB) *APIKeyService {
	return &APIKeyService{db: db, used: map[string]time.Time{}, known: map[[sha256.Size]byte]knownKey{}, now: time.Now}
}

type apiKeyRow struct {
	ID         string     `db:"id"`
	Name       string     `db:"name"`
	Prefix     string     `db:"prefix"`
	Hash       []byte     `db:"hash"`
	CreatedBy  *string    `db:"created_by"`
	CreatedAt  time.Time  `db:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
	RevokedAt  *time.Time `db:"revoked_at"`
}

func (r apiKeyRow) key() *linkhub.APIKey {
	k := &linkhub.APIKey{ID: r.ID, Name: r.Name, Prefix: r.Prefix, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
	if r.CreatedBy != nil {
		k.CreatedBy = *r.CreatedBy
	}
	return k
}

const apiKeySelect = `SELECT k.id, k.name, k.prefix, k.hash, a.email AS created_by, k.created_at, k.last_used_at, k.revoked_at
	FROM api_keys k LEFT JOIN admins a ON a.id = k.created_by` // #nosec G101 -- SQL naming the key columns; no credential

// FindAPIKeyByID returns ENOTFOUND when there is no such key.
func (s *APIKeyService) FindAPIKeyByID(ctx context.Context, id string) (*linkhub.APIKey, error) {
	rows, _ := s.db.Pool.Query(ctx, apiKeySelect+` WHERE k.id = $1`, id)
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[apiKeyRow])
	if errors.Is(err, pgx.ErrNoRows) || isInvalidUUID(err) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such API key.")
	} else if err != nil {
		return nil, fmt.Errorf("find api key: %w", err)
	}
	return r.key(), nil
}

// FindAPIKeys lists every key, newest first.
func (s *APIKeyService) FindAPIKeys(ctx context.Context) ([]*linkhub.APIKey, error) {
	rows, _ := s.db.Pool.Query(ctx, apiKeySelect+` ORDER BY k.created_at DESC, k.id`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[apiKeyRow])
	if err != nil {
		return nil, fmt.Errorf("find api keys: %w", err)
	}
	out := make([]*linkhub.APIKey, len(list))
	for i, r := range list {
		out[i] = r.key()
	}
	return out, nil
}

// CreateAPIKey creates a key and returns its full text, once.
func (s *APIKeyService) CreateAPIKey(ctx context.Context, actor linkhub.Actor, name string) (*linkhub.APIKey, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, "", linkhub.FieldError("name", "Enter a name, like “Production backend”.")
	} else if utf8.RuneCountInString(name) > 100 {
		return nil, "", linkhub.FieldError("name", "Use at most 100 characters.")
	} else if !linkhub.ValidText(name) {
		return nil, "", linkhub.FieldError("name", "Use plain text: the name may not hold NUL characters or invalid UTF-8.")
	}
	var k *linkhub.APIKey
	var full string
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		prefix, secret := randomKeyPart(5), randomKeyPart(32) // 40-bit prefix, 256-bit secret
		full = "lh_" + prefix + "_" + secret
		sum := sha256.Sum256([]byte(full))
		var createdBy *string
		if actor.Kind == "admin" && actor.ID != "" {
			createdBy = &actor.ID
		}
		rows, _ := tx.Query(ctx, `
			WITH k AS (INSERT INTO api_keys (name, prefix, hash, created_by) VALUES ($1, $2, $3, $4) RETURNING *)
			SELECT k.id, k.name, k.prefix, k.hash, a.email AS created_by, k.created_at, k.last_used_at, k.revoked_at
			FROM k LEFT JOIN admins a ON a.id = k.created_by`, name, prefix, sum[:], createdBy)
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[apiKeyRow])
		if err != nil {
			return fmt.Errorf("insert api key: %w", err)
		}
		k = r.key()
		return insertAudit(ctx, tx, actor, linkhub.ActionAPIKeyCreated, "api_key", r.ID,
			map[string]string{"name": r.Name, "prefix": r.Prefix})
	})
	if err != nil {
		return nil, "", err
	}
	return k, full, nil
}

func randomKeyPart(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return keyEncoding.EncodeToString(b)
}

// RevokeAPIKey revokes a key; revoking a revoked key changes nothing.
func (s *APIKeyService) RevokeAPIKey(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.APIKey, error) {
	var k *linkhub.APIKey
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, apiKeySelect+` WHERE k.id = $1 FOR UPDATE OF k`, id)
		r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[apiKeyRow])
		if errors.Is(err, pgx.ErrNoRows) || isInvalidUUID(err) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no such API key.")
		} else if err != nil {
			return fmt.Errorf("find api key: %w", err)
		}
		if r.RevokedAt == nil {
			if err := tx.QueryRow(ctx, `UPDATE api_keys SET revoked_at = now() WHERE id = $1 RETURNING revoked_at`, id).Scan(&r.RevokedAt); err != nil {
				return fmt.Errorf("revoke api key: %w", err)
			}
			if err := insertAudit(ctx, tx, actor, linkhub.ActionAPIKeyRevoked, "api_key", r.ID,
				map[string]string{"name": r.Name, "prefix": r.Prefix}); err != nil {
				return err
			}
		}
		k = r.key()
		return nil
	})
	if err == nil {
		s.forget(k.ID)
	}
	return k, err
}

// forget drops key id from the cache of authenticated keys.
func (s *APIKeyService) forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	for sum, k := range s.known {
		if k.key.ID == id {
			delete(s.known, sum)
		}
	}
}

// AuthenticateAPIKey returns the active key with this full text, or
// EUNAUTHORIZED. The hash is compared in constant time.
func (s *APIKeyService) AuthenticateAPIKey(ctx context.Context, key string) (*linkhub.APIKey, error) {
	unauthorized := linkhub.Errorf(linkhub.EUNAUTHORIZED, "The API key is missing, invalid or revoked.")
	parts := strings.Split(key, "_")
	if len(parts) != 3 || parts[0] != "lh" || len(parts[1]) != 8 || len(key) > 200 {
		return nil, unauthorized
	}
	sum := sha256.Sum256([]byte(key))
	s.mu.Lock()
	k, ok := s.known[sum]
	gen := s.gen
	s.mu.Unlock()
	if ok && s.now().Before(k.until) {
		return &k.key, nil
	}
	rows, _ := s.db.Pool.Query(ctx, apiKeySelect+` WHERE k.prefix = $1`, parts[1])
	r, err := pgx.CollectOneRow(rows, pgx.RowToStructByName[apiKeyRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, unauthorized
	} else if err != nil {
		return nil, fmt.Errorf("find api key: %w", err)
	}
	if subtle.ConstantTimeCompare(sum[:], r.Hash) != 1 || r.RevokedAt != nil {
		return nil, unauthorized
	}
	s.mu.Lock()
	if len(s.known) >= maxKnownKeys {
		clear(s.known)
	}
	if s.gen == gen {
		s.known[sum] = knownKey{key: *r.key(), until: s.now().Add(KeyCacheTTL)}
	}
	s.mu.Unlock()
	return r.key(), nil
}

// RecordAPIKeyUse notes a use in memory; Flush writes it.
func (s *APIKeyService) RecordAPIKeyUse(id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if at.After(s.used[id]) {
		s.used[id] = at
	}
}

// Flush writes the noted uses in one statement. On failure the notes are
// kept for the next flush.
func (s *APIKeyService) Flush(ctx context.Context) error {
	s.mu.Lock()
	batch := s.used
	s.used = map[string]time.Time{}
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	ids := make([]string, 0, len(batch))
	ats := make([]time.Time, 0, len(batch))
	for id, at := range batch {
		ids, ats = append(ids, id), append(ats, at)
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.at)
			FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`, ids, ats)
		return err
	})
	if err != nil {
		for id, at := range batch {
			s.RecordAPIKeyUse(id, at)
		}
		return fmt.Errorf("record api key use: %w", err)
	}
	return nil
}

// Run flushes the noted uses every interval until ctx ends, then once more.
func (s *APIKeyService) Run(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := s.Flush(ctx); err != nil {
				log.Warn("flush api key use", "err", err)
			}
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := s.Flush(fctx); err != nil {
				log.Warn("flush api key use", "err", err)
			}
			cancel()
			return
		}
	}
}
