package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/health"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/logbuf"
	"github.com/linkhub/linkhub/internal/mock"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/proxy"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/internal/tokens"
	"github.com/linkhub/linkhub/internal/webhook"
	"github.com/linkhub/linkhub/web"
)

// mustServer is the one test-server builder: the whole server on deps,
// with what a test leaves out of cfg as production has it.
func mustServer(t testing.TB, cfg web.Config, deps web.Deps) *httptest.Server {
	t.Helper()
	if cfg.Version == "" {
		cfg.Version = "test"
	}
	if cfg.Drain == nil {
		cfg.Drain = web.NewDrain()
	}
	srv := httptest.NewServer(web.NewServer(cfg, deps))
	t.Cleanup(srv.Close)
	return srv
}

// pgDeps are the services cmd/linkhub wires, on db: the PostgreSQL-backed
// whole-server tests use them, and the services they keep for setting up
// and checking come from here.
func pgDeps(db *postgres.DB, keys *secret.Keyring, cfg connector.Config, cache *connector.TokenCache, log *slog.Logger) web.Deps {
	registry := connector.NewRegistry(cfg)
	profiles := postgres.NewProfileService(db, keys, postgres.CheckProfilesWith(registry))
	accounts := postgres.NewAccountService(db, keys)
	checker := health.NewChecker(profiles, accounts, registry)
	tokenService := tokens.New(profiles, accounts, registry, cache)
	d := web.Deps{Logger: log, DB: db, Profiles: profiles, Accounts: accounts,
		Admins: postgres.NewAdminService(db, password.New(2)), APIKeys: postgres.NewAPIKeyService(db),
		Audit: postgres.NewAuditService(db), Settings: postgres.NewSettingsService(db),
		ConnectSessions: postgres.NewConnectSessionService(db), Attempts: postgres.NewAttemptService(db, keys),
		Connectors: registry, Tokens: tokenService, Vendor: proxy.New(tokenService, cfg),
		Runtime:  connector.NewRuntime(registry, postgres.NewRuntimeConnectorService(db)),
		Webhooks: postgres.NewWebhookService(db, keys, webhook.URLChecker(cfg)), Health: checker,
		ConnectorSchema: definition.Schema()}
	d.Linking = linking.New(linking.Services{Profiles: d.Profiles, Accounts: d.Accounts, Attempts: d.Attempts,
		ConnectSessions: d.ConnectSessions, Settings: d.Settings, Audit: d.Audit, Connectors: registry, Tester: checker})
	return d
}

// mocks are the function-field mocks behind mockDeps.
type mocks struct {
	db              *mock.Pinger
	profiles        *mock.ProfileService
	accounts        *mock.AccountService
	admins          *mock.AdminService
	apiKeys         *mock.APIKeyService
	audit           *mock.AuditService
	settings        *mock.SettingsService
	connectSessions *mock.ConnectSessionService
	attempts        *mock.AttemptService
	tokens          *mock.Tokens
	vendor          *mock.Vendor
	webhooks        *mock.WebhookService
	health          *mock.AccountTester
	linking         *mock.Linking
	runtime         *mock.RuntimeConnectors
}

// mockDeps are the server's dependencies as mocks, for the tests of HTTP
// behaviour, which need no database: a test sets the functions its requests
// call. The connectors are the real registry (data, no network).
func mockDeps(logs io.Writer) (web.Deps, *mocks) {
	m := &mocks{db: &mock.Pinger{}, profiles: &mock.ProfileService{}, accounts: &mock.AccountService{},
		admins: &mock.AdminService{}, apiKeys: &mock.APIKeyService{}, audit: &mock.AuditService{},
		settings: &mock.SettingsService{}, connectSessions: &mock.ConnectSessionService{}, attempts: &mock.AttemptService{},
		tokens: &mock.Tokens{}, vendor: &mock.Vendor{}, webhooks: &mock.WebhookService{}, health: &mock.AccountTester{},
		linking: &mock.Linking{}, runtime: &mock.RuntimeConnectors{}}
	return web.Deps{Logger: slog.New(slog.NewTextHandler(logs, nil)), DB: m.db, Profiles: m.profiles,
		Accounts: m.accounts, Admins: m.admins, APIKeys: m.apiKeys, Audit: m.audit, Settings: m.settings,
		ConnectSessions: m.connectSessions, Attempts: m.attempts, Connectors: connector.NewRegistry(connector.Config{}),
		Tokens: m.tokens, Vendor: m.vendor, Webhooks: m.webhooks, Health: m.health, Linking: m.linking, ConnectorSchema: definition.Schema(),
		Runtime: m.runtime}, m
}

// syncBuffer collects a server's log lines from its goroutines.
type syncBuffer = logbuf.Buffer
