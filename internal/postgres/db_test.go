package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestDB_Migrate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)

	t.Run("Idempotent", func(t *testing.T) {
		n, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("applied %d migrations on a migrated database, want 0", n)
		}
	})
	t.Run("Status", func(t *testing.T) {
		sts, err := db.MigrationStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) == 0 {
			t.Fatal("got no migrations")
		}
		for _, s := range sts {
			if !s.Applied {
				t.Errorf("migration %d %s not applied", s.Version, s.Name)
			}
		}
	})
	t.Run("ConcurrentStart", func(t *testing.T) {
		// Two processes migrating a fresh database at once: the advisory
		// lock makes one wait, and each migration is applied once.
		url := pgtest.URLEmpty(t)
		errs := make(chan error, 2)
		counts := make(chan int, 2)
		for range 2 {
			go func() {
				db, err := postgres.Open(ctx, url, 2)
				if err != nil {
					errs <- err
					return
				}
				defer db.Close()
				n, err := db.Migrate(ctx)
				counts <- n
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		total := <-counts + <-counts
		sts, _ := db.MigrationStatuses(ctx)
		if total != len(sts) {
			t.Fatalf("applied %d migrations in total, want %d (each once)", total, len(sts))
		}
	})
}

func TestOpen_Unreachable(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://linkhub:hunter2secret@127.0.0.1:1/linkhub?connect_timeout=2", 2)
	if err == nil {
		t.Fatal("got no error for an unreachable database")
	}
	msg := err.Error()
	if want := "127.0.0.1:1/linkhub"; !strings.Contains(msg, want) {
		t.Errorf("error %q does not name the host %q", msg, want)
	}
	if strings.Contains(msg, "hunter2secret") {
		t.Errorf("error %q leaks the password", msg)
	}
}
