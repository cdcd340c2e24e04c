package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestDB_MaxConnsCountsListener: with the account listener holding its
// LISTEN and every other connection of the pool in use, the process has
// at most LINKHUB_DB_MAX_CONNS backends, counted in pg_stat_activity by
// its application name; a pool of one does not listen at all.
func TestDB_MaxConnsCountsListener(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	for _, n := range []int32{1, 3} {
		name := "linkhub_maxconns_" + string(rune('0'+n))
		db, err := postgres.Open(ctx, url+" application_name="+name, n)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		accounts := postgres.NewAccountService(db, MustKeyring(t, map[int]string{}, 1, 1))
		lctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			accounts.ListenAccountChanges(lctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
			close(done)
		}()
		t.Cleanup(func() { cancel(); <-done })
		if n > 1 {
			waitFor(t, "the listener", func() bool { on, _ := db.AccountCache(); return on })
		}
		// Take every connection the pool still gives: Stat says when the
		// pool is at its limit, so nothing waits for an acquire to time out.
		var held []*pgxpool.Conn
		for db.Pool.Stat().AcquiredConns() < n {
			c, err := db.Pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
		}
		var backends int32
		if err := pgtest.Pool(t).QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`,
			name).Scan(&backends); err != nil {
			t.Fatal(err)
		}
		if backends != n {
			t.Errorf("LINKHUB_DB_MAX_CONNS=%d: got %d backends with the pool full and the listener on, want %d", n, backends, n)
		}
		for _, c := range held {
			c.Release()
		}
		if on, _ := db.AccountCache(); n == 1 && on {
			t.Error("a pool of one listens: no connection would be left for requests")
		}
	}
}

// process is one Linkhub process's attempts on a shared database, with its
// listener (and so its runner lock) on; kill ends every connection of it,
// as SIGKILL does.
func process(t *testing.T, url string) (db *postgres.DB, attempts *postgres.AttemptService, kill func()) {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		postgres.NewAccountService(db, kr).ListenAccountChanges(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	var once sync.Once
	kill = func() { once.Do(func() { cancel(); <-done; db.Close() }) }
	t.Cleanup(kill)
	waitFor(t, "the listener", func() bool { on, _ := db.AccountCache(); return on })
	return db, postgres.NewAttemptService(db, kr), kill
}

// TestAttemptService_RetryAfterFault: a test that runs refuses a second of
// its connect session, on this process or another (a double submit); once
// its request is cancelled, or its process is gone, a retry is accepted
// at once, on any process.
func TestAttemptService_RetryAfterFault(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	dbA, a, killA := process(t, url)
	_, b, _ := process(t, url)
	p := MustProfile(t, postgres.NewProfileService(dbA, MustKeyring(t, map[int]string{}, 1, 1)), "p", nil)
	session := func() string {
		cs := &linkhub.ConnectSession{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresAt: time.Now().Add(time.Hour)}
		if _, err := postgres.NewConnectSessionService(dbA).CreateConnectSession(ctx, linkhub.SystemActor, cs); err != nil {
			t.Fatal(err)
		}
		return cs.ID
	}
	create := func(s *postgres.AttemptService, ctx context.Context, sessionID string) error {
		return s.CreateAttempt(ctx, &linkhub.Attempt{ConnectSessionID: sessionID, ProfileID: p.ID})
	}

	cancelled := session()
	reqCtx, cancel := context.WithCancel(ctx)
	if err := create(a, reqCtx, cancelled); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*postgres.AttemptService{"this process": a, "another process": b} {
		if err := create(s, ctx, cancelled); linkhub.ErrorCode(err) != linkhub.ECONFLICT {
			t.Fatalf("a second test while one runs, on %s: got %v, want %s", name, err, linkhub.ECONFLICT)
		}
	}
	cancel() // the client went away, or the database failed mid-test
	if err := create(a, ctx, cancelled); err != nil {
		t.Fatalf("a retry on the same process after the request was cancelled: got %v, want it accepted at once", err)
	}

	orphaned := session()
	if err := create(a, ctx, orphaned); err != nil { // never cancelled: its process dies
		t.Fatal(err)
	}
	if err := create(b, ctx, orphaned); linkhub.ErrorCode(err) != linkhub.ECONFLICT {
		t.Fatalf("while the first process lives: got %v, want %s", err, linkhub.ECONFLICT)
	}
	killA()
	took := waitFor(t, "a retry after the process died", func() bool { return create(b, ctx, orphaned) == nil })
	t.Logf("a retry was accepted %v after the process died", took)
}
