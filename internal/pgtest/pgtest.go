// Package pgtest gives tests a real PostgreSQL without any set-up: it uses
// LINKHUB_TEST_DATABASE_URL when set, or else starts a throwaway cluster from
// the local binaries once per test binary. Each test gets a fresh database
// cloned from a migrated template, so tests never see each other's rows.
package pgtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/linkhub/linkhub/internal/postgres"
)

const template = "linkhub_template"

var (
	mu       sync.Mutex
	adminURL string // connection to the maintenance database
	cluster  *postgres.Cluster
	tmpDir   string
	ready    bool
	counter  atomic.Int64
)

// Main runs the tests of a package and stops the throwaway cluster after
// them. Use it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if cluster != nil {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
		_ = os.RemoveAll(tmpDir)
	}
	return code
}

// setup starts the cluster (or uses LINKHUB_TEST_DATABASE_URL) and builds the
// migrated template once.
func setup(ctx context.Context) error {
	mu.Lock()
	defer mu.Unlock()
	if ready {
		return nil
	}
	if url := os.Getenv("LINKHUB_TEST_DATABASE_URL"); url != "" {
		adminURL = url
	} else {
		dir, err := os.MkdirTemp("", "linkhub-pgtest-")
		if err != nil {
			return err
		}
		// The cluster may run as another user (when tests run as root).
		if err := os.Chmod(dir, 0o755); err != nil { // #nosec G302 -- test cluster folder; the cluster's user must walk down
			return err
		}
		tmpDir = dir
		c, err := postgres.NewCluster(filepath.Join(dir, "pg"))
		if err != nil {
			return err
		}
		c.Database = "postgres"
		if err := c.Start(ctx); err != nil {
			return err
		}
		cluster = c
		adminURL = c.URL()
	}
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to test database: %w", err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("%s_%d", template, os.Getpid())
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, withDatabase(adminURL, name), 4)
	if err != nil {
		return err
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		return err
	}
	ready = true
	return nil
}

// withDatabase returns the connection string url pointed at database name.
func withDatabase(url, name string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		panic(err) // validated by the first connect
	}
	cfg.Database = name
	// pgx has no config-to-string; a keyword/value string with the parts we
	// use is enough for tests.
	s := fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", cfg.Host, cfg.Port, cfg.User, name)
	if cfg.Password != "" {
		s += fmt.Sprintf(" password='%s'", cfg.Password)
	}
	return s
}

// URL creates a fresh, migrated database for this test, drops it when the
// test ends, and returns its connection string.
func URL(tb testing.TB) string {
	tb.Helper()
	return create(tb, fmt.Sprintf("TEMPLATE %s_%d", template, os.Getpid()))
}

// URLEmpty creates a fresh database without migrations (for migration tests).
func URLEmpty(tb testing.TB) string {
	tb.Helper()
	return create(tb, "")
}

func create(tb testing.TB, options string) string {
	tb.Helper()
	ctx := context.Background()
	if err := setup(ctx); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	name := fmt.Sprintf("linkhub_test_%d_%d", os.Getpid(), counter.Add(1))
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" "+options); err != nil {
		tb.Fatalf("pgtest: create database: %v", err)
	}
	tb.Cleanup(func() {
		conn, err := pgx.Connect(ctx, adminURL)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(adminURL, name)
}

// DB returns an open, migrated database of its own for this test.
func DB(tb testing.TB) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), URL(tb), 8)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(db.Close)
	return db
}

// Pool is DB(tb).Pool, for tests that query directly.
func Pool(tb testing.TB) *pgxpool.Pool { return DB(tb).Pool }
