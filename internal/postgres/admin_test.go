package postgres_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

func TestAdminService_Authenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewAdminService(db, password.New(2))
	a, err := s.CreateAdmin(ctx, linkhub.SystemActor, "Ada@Example.com", "a long password")
	if err != nil {
		t.Fatal(err)
	}
	if a.Email != "ada@example.com" {
		t.Errorf("email: got %q, want it lower-cased", a.Email)
	}
	if _, _, err := s.Authenticate(ctx, "ada@example.com", "a long password", "192.0.2.1"); err != nil {
		t.Fatalf("OK: got %v", err)
	}
	for i := range 5 {
		_, _, err := s.Authenticate(ctx, "ada@example.com", "wrong password!", "192.0.2.1")
		if code := linkhub.ErrorCode(err); code != linkhub.EUNAUTHORIZED {
			t.Fatalf("failure %d: got %q, want unauthorized", i+1, code)
		}
	}
	_, _, err = s.Authenticate(ctx, "ada@example.com", "a long password", "192.0.2.1")
	if linkhub.ErrorCode(err) != linkhub.ERATELIMIT {
		t.Fatalf("after 5 failures: got %v, want rate_limited even with the right password", err)
	}
	// Expire the lockout: one more failure doubles it to 2 minutes.
	if _, err := db.Pool.Exec(ctx, `UPDATE login_throttle SET locked_until = now() - interval '1s'`); err != nil {
		t.Fatal(err)
	}
	_, _, _ = s.Authenticate(ctx, "ada@example.com", "wrong again!!", "192.0.2.1")
	var secs float64
	_ = db.Pool.QueryRow(ctx, `SELECT extract(epoch FROM locked_until - now()) FROM login_throttle`).Scan(&secs)
	if secs < 110 || secs > 121 {
		t.Errorf("second lockout: got %.0fs, want about 120s", secs)
	}
}

func TestAPIKeyService_UseIsBatched(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewAPIKeyService(db)
	k, full, err := s.CreateAPIKey(ctx, linkhub.SystemActor, "backend")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.AuthenticateAPIKey(ctx, full)
	if err != nil || got.ID != k.ID {
		t.Fatalf("AuthenticateAPIKey: got %v, %v", got, err)
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	s.RecordAPIKeyUse(k.ID, at)
	var last *time.Time
	_ = db.Pool.QueryRow(ctx, `SELECT last_used_at FROM api_keys`).Scan(&last)
	if last != nil {
		t.Fatalf("last_used_at written before a flush: %v", last)
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	_ = db.Pool.QueryRow(ctx, `SELECT last_used_at FROM api_keys`).Scan(&last)
	if last == nil || !last.Equal(at) {
		t.Fatalf("after flush: got %v, want %v", last, at)
	}
	if _, err := s.RevokeAPIKey(ctx, linkhub.SystemActor, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AuthenticateAPIKey(ctx, full); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Fatalf("revoked: got %v, want unauthorized", err)
	}
}

// A key that authenticated is believed for KeyCacheTTL without a query;
// revoking it takes effect at once in the revoking process and within the
// TTL in any other.
func TestAPIKeyService_Cache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	here, there := postgres.NewAPIKeyService(db), postgres.NewAPIKeyService(db)
	now := time.Now()
	there.SetClock(func() time.Time { return now })
	k, full, err := here.CreateAPIKey(ctx, linkhub.SystemActor, "backend")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*postgres.APIKeyService{here, there} {
		if _, err := s.AuthenticateAPIKey(ctx, full); err != nil {
			t.Fatal(err)
		}
	}
	// With the database gone, only the cache can answer.
	broken := postgres.NewAPIKeyService(db)
	if _, err := db.Pool.Exec(ctx, `ALTER TABLE api_keys RENAME TO api_keys_away`); err != nil {
		t.Fatal(err)
	}
	if _, err := there.AuthenticateAPIKey(ctx, full); err != nil {
		t.Fatalf("cached key: %v", err)
	}
	if _, err := broken.AuthenticateAPIKey(ctx, full); err == nil {
		t.Fatal("an uncached key authenticated without its table")
	}
	if _, err := db.Pool.Exec(ctx, `ALTER TABLE api_keys_away RENAME TO api_keys`); err != nil {
		t.Fatal(err)
	}

	if _, err := here.RevokeAPIKey(ctx, linkhub.SystemActor, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := here.AuthenticateAPIKey(ctx, full); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Fatalf("revoking process: got %v, want unauthorized at once", err)
	}
	if _, err := there.AuthenticateAPIKey(ctx, full); err != nil {
		t.Fatalf("other process within the TTL: %v", err)
	}
	now = now.Add(postgres.KeyCacheTTL)
	if _, err := there.AuthenticateAPIKey(ctx, full); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Fatalf("other process after the TTL: got %v, want unauthorized", err)
	}
}

func TestAdminService_SessionTimeouts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewAdminService(db, password.New(2))
	if _, err := s.CreateAdmin(ctx, linkhub.SystemActor, "ada@example.com", "a long password"); err != nil {
		t.Fatal(err)
	}
	for name, update := range map[string]string{
		"Idle":     `UPDATE admin_sessions SET last_seen_at = now() - interval '2 hours 1 minute'`,
		"Absolute": `UPDATE admin_sessions SET created_at = now() - interval '12 hours 1 minute'`,
	} {
		t.Run(name, func(t *testing.T) {
			_, token, err := s.Authenticate(ctx, "ada@example.com", "a long password", "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindAdminBySession(ctx, token); err != nil {
				t.Fatalf("fresh session: %v", err)
			}
			if _, err := db.Pool.Exec(ctx, update); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindAdminBySession(ctx, token); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
				t.Errorf("got %v, want unauthorized", err)
			}
		})
	}
}

func TestAdminService_RehashOnLogin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewAdminService(db, password.New(2))
	a, err := s.CreateAdmin(ctx, linkhub.SystemActor, "ada@example.com", "a long password")
	if err != nil {
		t.Fatal(err)
	}
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("a long password"), salt, 3, 8192, 1, 32)
	old := fmt.Sprintf("$argon2id$v=19$m=8192,t=3,p=1$%s$%s",
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	if _, err := db.Pool.Exec(ctx, `UPDATE admins SET password_hash = $2 WHERE id = $1`, a.ID, old); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, "ada@example.com", "a long password", ""); err != nil {
		t.Fatalf("sign-in with an old-parameter hash: %v", err)
	}
	var got string
	_ = db.Pool.QueryRow(ctx, `SELECT password_hash FROM admins`).Scan(&got)
	if password.NeedsRehash(got) {
		t.Errorf("hash not upgraded on sign-in: %s", got)
	}
}

func TestAPIKeyService_CreateBadName(t *testing.T) {
	t.Parallel()
	s := postgres.NewAPIKeyService(pgtest.DB(t))
	for name, in := range map[string]string{"ErrEmpty": " ", "ErrTooLong": strings.Repeat("n", 101),
		"ErrNUL": "back\x00end", "ErrInvalidUTF8": "back\xffend"} {
		t.Run(name, func(t *testing.T) {
			_, _, err := s.CreateAPIKey(context.Background(), linkhub.SystemActor, in)
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "name" {
				t.Fatalf("got %v, want EINVALID for the field name", err)
			}
		})
	}
}
