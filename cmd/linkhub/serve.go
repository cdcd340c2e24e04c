package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/health"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/proxy"
	"github.com/linkhub/linkhub/internal/tokens"
	"github.com/linkhub/linkhub/internal/webhook"
	"github.com/linkhub/linkhub/web"
)

// runServe handles "linkhub serve": database, migrations, HTTP server, and a
// graceful shutdown when ctx ends.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	started := time.Now()
	cfg, err := parseConfig("serve", args, getenv, stdout)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	keys, err := loadKeyring(cfg, log)
	if err != nil {
		return err
	}
	sessionKeys, err := resolveSessionKeys(cfg, log)
	if err != nil {
		return err
	}
	// Listen before the database work so a taken port fails fast and cheaply.
	ln, err := listen(cfg)
	if err != nil {
		return err
	}
	defer ln.Close()
	if cfg.PprofAddr != "" {
		stop, err := servePprof(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}

	if cfg.DatabaseURL == "" {
		unlock, err := lockDataDir(cfg.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	db, closeDB, err := openDatabase(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer closeDB()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("migrations applied", "count", n)
	}
	if err := checkKeyring(ctx, db, keys); err != nil {
		return err
	}
	log.Info("encryption keys loaded", "active_key_id", keys.ActiveID(), "key_ids", keys.IDs())

	if cfg.AllowPrivateNetworks {
		log.Warn("LINKHUB_ALLOW_PRIVATE_NETWORKS is on: vendor calls may reach loopback and private networks. " +
			"Use this only for development and tests, never in production.")
	}
	outbound := connectorConfig(cfg)
	registry := connector.NewRegistry(outbound, cfg.Definitions...)
	runtimeStore := postgres.NewRuntimeConnectorService(db)
	stopRuntime, err := followRuntimeConnectors(ctx, db, registry, runtimeStore, log)
	if err != nil {
		return err
	}
	defer stopRuntime()
	attempts := postgres.NewAttemptService(db, keys)
	profiles := postgres.NewProfileService(db, keys, postgres.CheckProfilesWith(registry))
	accounts := postgres.NewAccountService(db, keys)
	webhooks := postgres.NewWebhookService(db, keys, webhook.URLChecker(outbound))
	checker := health.NewChecker(profiles, accounts, registry)
	// Webhook deliveries and scheduled tests run until after the HTTP
	// server has drained; what is in flight then finishes and is recorded.
	stopWork := runBackground(log, cfg, outbound, webhooks, accounts, checker)
	defer stopWork()
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go sweepAttempts(sweepCtx, attempts, log, 5*time.Minute)
	admins := postgres.NewAdminService(db, password.New(2))
	apiKeys := postgres.NewAPIKeyService(db)
	if err := logSetupURL(ctx, admins, cfg.BaseURL, log); err != nil {
		return err
	}
	// Key use is written in batches; the final flush runs after Shutdown.
	flushCtx, stopFlush := context.WithCancel(context.Background())
	flushed := make(chan struct{})
	go func() { apiKeys.Run(flushCtx, 30*time.Second, log); close(flushed) }()
	defer func() { stopFlush(); <-flushed }()
	// Accounts are kept in memory while every change to them is heard.
	listenCtx, stopListen := context.WithCancel(context.Background())
	listened := make(chan struct{})
	go func() { accounts.ListenAccountChanges(listenCtx, log); close(listened) }()
	defer func() { stopListen(); <-listened }()

	// Tokens live only in this process's memory; 10,000 accounts' tokens
	// are a few MiB.
	tokenService := tokens.New(profiles, accounts, registry, connector.NewTokenCache(cfg.TokenCacheSize))

	connectSessions, audit, settings := postgres.NewConnectSessionService(db), postgres.NewAuditService(db), postgres.NewSettingsService(db)
	linker := linking.New(linking.Services{Profiles: profiles, Accounts: accounts, Attempts: attempts,
		ConnectSessions: connectSessions, Settings: settings, Audit: audit, Connectors: registry, Tester: checker})

	drain := web.NewDrain()
	handler := web.NewServer(web.Config{
		Version:        buildVersion(),
		BaseURL:        cfg.BaseURL,
		TrustedProxies: cfg.TrustedProxies,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		SessionKeys:    sessionKeys,
		Drain:          drain,
	}, web.Deps{
		Logger:          log,
		DB:              db,
		Profiles:        profiles,
		Accounts:        accounts,
		Tokens:          tokenService,
		Vendor:          proxy.New(tokenService, outbound),
		Webhooks:        webhooks,
		Health:          checker,
		ConnectSessions: connectSessions,
		Attempts:        attempts,
		Connectors:      registry,
		Runtime:         connector.NewRuntime(registry, runtimeStore),
		Admins:          admins,
		APIKeys:         apiKeys,
		Audit:           audit,
		Settings:        settings,
		Linking:         linker,
		ConnectorSchema: definition.Schema(),
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("Linkhub is ready", "url", cfg.BaseURL, "listen", ln.Addr().String(),
		"version", buildVersion(), "startup_ms", time.Since(started).Milliseconds())

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	// Link submissions stop first: new ones answer 503 "try again", the
	// running ones may finish until a margin before the bound, when they
	// are cut short so that they still answer before the process exits.
	drain.Close()
	margin := min(time.Second, cfg.ShutdownTimeout/4)
	linksCtx, stopLinks := context.WithTimeout(shutdownCtx, cfg.ShutdownTimeout-margin)
	if !drain.Wait(linksCtx, shutdownCtx) {
		log.Warn("link submissions still running at the shutdown bound")
	}
	stopLinks()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

// connectorConfig is the outbound-call policy of the connectors.
func connectorConfig(cfg *Config) connector.Config {
	return connector.Config{
		Timeout:      cfg.VendorTimeout,
		AllowPrivate: cfg.AllowPrivateNetworks,
		RootCAs:      cfg.VendorRootCAs,
		Hosts: connector.Hosts{
			// Connectors defined as data (LINKHUB_CONNECTOR_<ID>_HOSTS).
			Definitions: cfg.ConnectorHosts,
		},
	}
}

// runBackground starts the webhook worker and, unless turned off, the
// health scheduler; the returned func stops both and waits for them.
func runBackground(log *slog.Logger, cfg *Config, outbound connector.Config, webhooks *postgres.WebhookService,
	accounts *postgres.AccountService, checker *health.Checker) func() {
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { webhook.NewWorker(webhooks, outbound, log, webhook.Options{}).Run(ctx) })
	if cfg.HealthInterval > 0 {
		s := health.NewScheduler(accounts, checker, log, cfg.HealthInterval)
		wg.Go(func() { s.Run(ctx) })
	} else {
		log.Info("scheduled account tests are off (LINKHUB_HEALTH_INTERVAL=0)")
	}
	return func() { stop(); wg.Wait() }
}

// sweepAttempts expires the attempts of expired connect sessions every
// interval, deleting the secrets of choices never made.
func sweepAttempts(ctx context.Context, attempts *postgres.AttemptService, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := attempts.ExpireAttempts(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("expire attempts", "err", err)
		} else if n > 0 {
			log.Info("attempts expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// logSetupURL logs a one-time link to create the first admin while there is
// none; each start issues a new one, valid for an hour.
func logSetupURL(ctx context.Context, admins linkhub.AdminService, baseURL string, log *slog.Logger) error {
	token, err := admins.IssueSetupToken(ctx)
	if linkhub.ErrorCode(err) == linkhub.ECONFLICT {
		return nil
	} else if err != nil {
		return err
	}
	log.Warn("no admin yet: open this one-time link within an hour to create the first admin",
		"url", baseURL+"/admin/setup?token="+token)
	return nil
}

// servePprof serves Go's profiles on addr (a loopback address, see
// LINKHUB_PPROF_ADDR) until stop is called. The command line is left out
// (pprof.Cmdline): it holds the flags, such as --encryption-keys or a
// --database-url with its password, and any local user may reach loopback.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for profiles on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Warn("Go profiles are served on " + ln.Addr().String() + "/debug/pprof/: for diagnosis only")
	return func() { _ = srv.Close() }, nil
}
