package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestConnectSessionService_HubSessionEnds: a hub session ends with its
// connect session: once that has expired, its token and the hub sessions
// opened with it are EEXPIRED, and once it is spent too, ESPENT. (The
// service side of web's former TestHub_OpenToken/ErrExpired.)
func TestConnectSessionService_HubSessionEnds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	svc := postgres.NewConnectSessionService(db)
	cs := &linkhub.ConnectSession{OriginOwnerID: "o1", OriginOwnerName: "Owner", MaxLinks: 1, ExpiresAt: time.Now().Add(time.Hour)}
	tok, err := svc.CreateConnectSession(ctx, linkhub.SystemActor, cs)
	if err != nil {
		t.Fatal(err)
	}
	handle, _, err := svc.OpenHubSession(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE connect_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, cs.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE hub_sessions SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.OpenHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.EEXPIRED {
		t.Errorf("open: got %v, want %s", err, linkhub.EEXPIRED)
	}
	if _, err := svc.FindHubSession(ctx, handle); linkhub.ErrorCode(err) != linkhub.EEXPIRED {
		t.Errorf("hub session: got %v, want %s", err, linkhub.EEXPIRED)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE connect_sessions SET links = max_links WHERE id = $1`, cs.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.FindHubSession(ctx, handle); linkhub.ErrorCode(err) != linkhub.ESPENT {
		t.Errorf("hub session, spent and expired: got %v, want %s", err, linkhub.ESPENT)
	}
}
