package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

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
