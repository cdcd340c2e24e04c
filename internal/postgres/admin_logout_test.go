package postgres_test

import (
	"context"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// Signing out ends that session only: its token no longer finds the admin,
// another session of the same admin still does, and the sign-out is
// audited once (ending it again is no error and no second entry).
func TestAdminService_DeleteSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewAdminService(db, password.New(2))
	a, err := s.CreateAdmin(ctx, linkhub.SystemActor, "ada@example.com", "a long password")
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := s.Authenticate(ctx, "ada@example.com", "a long password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := s.Authenticate(ctx, "ada@example.com", "a long password", "192.0.2.2")
	if err != nil {
		t.Fatal(err)
	}
	actor := linkhub.AdminActor(a, "192.0.2.1")
	for range 2 {
		if err := s.DeleteSession(ctx, actor, token); err != nil {
			t.Fatalf("got %v", err)
		}
	}
	if _, err := s.FindAdminBySession(ctx, token); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Errorf("ended session: got %v, want unauthorized", err)
	}
	if got, err := s.FindAdminBySession(ctx, other); err != nil || got.ID != a.ID {
		t.Errorf("other session: got %v, %v, want the admin", got, err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1`, linkhub.ActionLogout).Scan(&n); err != nil || n != 1 {
		t.Errorf("got %d sign-out entries (%v), want 1", n, err)
	}
}
