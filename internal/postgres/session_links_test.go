package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestAccountService_LinkSpendsSession: a one-time connect session lets
// exactly one link through even when two links (a tenant chosen in one tab,
// a test finishing in another) commit at once: both transactions are made
// to wait on the session's row, then released together. The spent session
// is ESPENT for its token and its hub sessions alike.
func TestAccountService_LinkSpendsSession(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	attempts := postgres.NewAttemptService(db, kr)
	sessions := postgres.NewConnectSessionService(db)
	p := MustProfile(t, profiles, "p", nil)
	cs := &linkhub.ConnectSession{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresAt: time.Now().Add(time.Hour)}
	tok, handles := mustHubSessions(t, sessions, cs, 1)
	handle := handles[0]
	held := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
	if err := attempts.CreateAttempt(ctx, held); err != nil {
		t.Fatal(err)
	}
	if err := attempts.HoldAttempt(ctx, &linkhub.HeldAttempt{Attempt: *held}); err != nil {
		t.Fatal(err)
	}
	running := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
	if err := attempts.CreateAttempt(ctx, running); err != nil {
		t.Fatal(err)
	}

	locker, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = locker.Rollback(ctx) }()
	if _, err := locker.Exec(ctx, `SELECT 1 FROM connect_sessions WHERE id = $1 FOR UPDATE`, cs.ID); err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, at := range []*linkhub.Attempt{held, running} {
		go func() {
			a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "o", OriginOwnerName: "O"}
			errs <- accounts.LinkAccount(ctx, a, nil, linkhub.LinkAttempt{ID: at.ID, Actor: linkhub.SystemActor})
		}()
	}
	deadline := time.Now().Add(30 * time.Second)
	for waiting := 0; waiting < 2; {
		if time.Now().After(deadline) {
			t.Fatalf("%d links wait on the session's row after 30 s, want 2", waiting)
		}
		time.Sleep(10 * time.Millisecond) // polling for a state, not waiting for an absence
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if err := locker.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var codes []string
	for range 2 {
		codes = append(codes, linkhub.ErrorCode(<-errs))
	}
	if !(codes[0] == "" && codes[1] == linkhub.ESPENT || codes[0] == linkhub.ESPENT && codes[1] == "") {
		t.Fatalf("got error codes %q, want one link and one %s", codes, linkhub.ESPENT)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("got %d accounts (%v), want 1", n, err)
	}
	if _, err := sessions.FindConnectSessionByToken(ctx, tok); linkhub.ErrorCode(err) != linkhub.ESPENT {
		t.Errorf("token after the link: got %v, want %s", err, linkhub.ESPENT)
	}
	// A hub session opened before is found, spent: the retry of the
	// submission that spent it may still learn its result.
	if s, err := sessions.FindHubSession(ctx, handle); err != nil || !s.Spent() {
		t.Errorf("hub session opened before the link: got %+v, %v, want it spent", s, err)
	}
	if _, _, err := sessions.OpenHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.ESPENT {
		t.Errorf("open after the link: got %v, want %s", err, linkhub.ESPENT)
	}
}
