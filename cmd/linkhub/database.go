package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/linkhub/linkhub/internal/postgres"
)

// openDatabase connects to LINKHUB_DATABASE_URL, or starts the private
// cluster in the data folder when it is unset. The returned close function
// closes the pool and stops the cluster it started; a cluster that was
// running already is stopped only when adopt is set (serve adopts the
// cluster of a killed Linkhub; migrate and admin leave a live server's be).
func openDatabase(ctx context.Context, cfg *Config, log *slog.Logger, adopt bool) (*postgres.DB, func(), error) {
	url := cfg.DatabaseURL
	var cluster *postgres.Cluster
	if url == "" {
		c, err := postgres.NewCluster(filepath.Join(cfg.DataDir, "pgdata"))
		if err != nil {
			if errors.Is(err, postgres.ErrNoBinaries) {
				return nil, nil, configErrorf("%v", err)
			}
			return nil, nil, err
		}
		start := time.Now()
		if err := c.Start(ctx); err != nil {
			return nil, nil, err
		}
		log.Info("embedded PostgreSQL started", "data_dir", c.Dir, "duration_ms", time.Since(start).Milliseconds())
		cluster, url = c, c.URL()
	}
	stopCluster := func() {
		if cluster == nil || (cluster.WasRunning && !adopt) {
			return
		}
		if err := cluster.Stop(); err != nil {
			log.Error("stop embedded PostgreSQL", "err", err)
			return
		}
		log.Info("embedded PostgreSQL stopped")
	}
	db, err := postgres.Open(ctx, url, int32(cfg.DBMaxConns)) // #nosec G115 -- LINKHUB_DB_MAX_CONNS is range-checked in config.go
	if err != nil {
		stopCluster()
		return nil, nil, err
	}
	return db, func() { db.Close(); stopCluster() }, nil
}

// runMigrate handles "linkhub migrate [up|status]".
func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	sub := "up"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		sub, args = args[0], args[1:]
	}
	if sub != "up" && sub != "status" {
		return configErrorf("unknown migrate command %q: use up or status", sub)
	}
	cfg, err := parseConfig("migrate "+sub, args, getenv, stdout)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	if sub == "up" {
		// Resolve the keys first so that a deployment missing them fails
		// here rather than at its first serve.
		keys, err := loadKeyring(cfg, log)
		if err != nil {
			return err
		}
		db, closeDB, err := openDatabase(ctx, cfg, log, false)
		if err != nil {
			return err
		}
		defer closeDB()
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		if err := checkKeyring(ctx, db, keys); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		return nil
	}
	db, closeDB, err := openDatabase(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer closeDB()
	sts, err := db.MigrationStatuses(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-8s %-9s %-20s %s\n", "VERSION", "STATE", "APPLIED AT", "FILE")
	for _, s := range sts {
		state, at := "pending", "-"
		if s.Applied {
			state, at = "applied", s.AppliedAt.UTC().Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(stdout, "%-8d %-9s %-20s %s\n", s.Version, state, at, s.Name)
	}
	return nil
}
