package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/linkhub/linkhub/static"
)

// addRoutes is the one route table of Linkhub.
func addRoutes(e *echo.Echo, cfg Config, deps Deps) {
	e.Pre(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		RequestIDHandler: func(c echo.Context, id string) { c.Set("request_id", id) },
	}))
	e.Use(requestLogger(deps.Logger)) // outside the recoverer, so a panic is logged as its 500
	e.Use(recoverer(deps.Logger))
	e.Use(securityHeaders())
	e.Use(checkParams())
	e.Use(middleware.BodyLimit(bodyLimit(cfg.MaxBodyBytes)))

	// Probes for orchestrators and load balancers.
	e.GET("/healthz", handleHealthz())
	e.GET("/readyz", handleReadyz(deps.DB, cfg.Drain))

	// Public pages and assets.
	e.GET("/", handleHome(cfg))
	e.GET("/docs", handleDocs(cfg))
	// Static assets are gzipped (Vary: Accept-Encoding); HTML never is: hub
	// pages hold the hub handle next to reflected input (BREACH).
	e.GET("/static/*", echo.WrapHandler(static.Handler()), middleware.Gzip())
	e.GET("/favicon.ico", func(c echo.Context) error { // browsers ask for it whatever the page says
		return c.Redirect(http.StatusMovedPermanently, static.Path("img/favicon.svg"))
	})

	// Admin console: every page no-store, with its flash in the context;
	// all but sign-in and first-run setup need a live admin session.
	sess := newAdminSessions(cfg.BaseURL, cfg.SessionKeys)
	authLimit := newIPLimiter(3*time.Second, 20) // per IP: bursts of 20, then one every 3 s
	adm := e.Group("/admin", adminPages(sess))
	auth := requireAdmin(deps.Admins, sess)
	adm.GET("/setup", handleSetupPage(deps.Admins))
	adm.POST("/setup", handleSetup(deps.Admins, sess, authLimit))
	adm.GET("/login", handleLoginPage(deps.Admins, sess))
	adm.POST("/login", handleLogin(deps.Admins, sess, authLimit))
	adm.POST("/logout", handleLogout(deps.Admins, sess), auth)
	adm.GET("", handleAdminHome(), auth)
	adm.GET("/api-keys", handleAPIKeys(deps.APIKeys), auth)
	adm.POST("/api-keys", handleAPIKeyCreate(deps.APIKeys), auth)
	adm.GET("/api-keys/:id/revoke", handleAPIKeyRevokePage(deps.APIKeys), auth)
	adm.POST("/api-keys/:id/revoke", handleAPIKeyRevoke(deps.APIKeys, sess), auth)
	adm.GET("/profiles", handleProfileList(deps.Profiles, deps.Accounts, deps.Connectors), auth)
	adm.GET("/profiles/new", handleProfileNew(deps.Connectors), auth)
	adm.POST("/profiles", handleProfileCreate(deps.Profiles, deps.Connectors, sess), auth)
	adm.GET("/profiles/:id", handleProfileEdit(deps.Profiles, deps.Connectors), auth)
	adm.POST("/profiles/:id", handleProfileUpdate(deps.Profiles, deps.Connectors, sess), auth)
	adm.POST("/profiles/:id/test", handleProfileTest(deps.Linking, sess), auth)
	adm.POST("/profiles/:id/enable", handleProfileSetEnabled(deps.Profiles, sess, true), auth)
	adm.POST("/profiles/:id/disable", handleProfileSetEnabled(deps.Profiles, sess, false), auth)
	adm.GET("/profiles/:id/delete", handleProfileDeletePage(deps.Profiles, deps.Accounts), auth)
	adm.POST("/profiles/:id/delete", handleProfileDelete(deps.Profiles, deps.Accounts, sess), auth)
	adm.GET("/connectors", handleConnectorList(deps.Runtime, deps.Profiles), auth)
	adm.GET("/connectors/new", handleConnectorNew(), auth)
	adm.POST("/connectors", handleConnectorSubmit(deps.Runtime, deps.Profiles, sess), auth)
	adm.GET("/connectors/runtime/:connector", handleConnectorEdit(deps.Runtime, deps.Profiles), auth)
	adm.POST("/connectors/runtime/:connector", handleConnectorSubmit(deps.Runtime, deps.Profiles, sess), auth)
	adm.POST("/connectors/runtime/:connector/enable", handleConnectorSetDisabled(deps.Runtime, sess, false), auth)
	adm.POST("/connectors/runtime/:connector/disable", handleConnectorSetDisabled(deps.Runtime, sess, true), auth)
	adm.GET("/connectors/runtime/:connector/delete", handleConnectorDeletePage(deps.Runtime, deps.Profiles), auth)
	adm.POST("/connectors/runtime/:connector/delete", handleConnectorDelete(deps.Runtime, deps.Profiles, sess), auth)
	adm.GET("/accounts", handleAccounts(deps.Accounts, deps.Profiles, deps.Connectors), auth)
	adm.POST("/accounts/:id/relink", handleAccountRelink(deps.Linking, cfg.BaseURL), auth)
	adm.GET("/accounts/:id", handleAccount(deps.Accounts, deps.Profiles, deps.Connectors, deps.Attempts), auth)
	adm.POST("/accounts/:id/test", handleAccountTest(deps.Linking, deps.Profiles, deps.Connectors, deps.Attempts), auth)
	adm.POST("/accounts/:id/enable", handleAccountSetEnabled(deps.Accounts, sess, true), auth)
	adm.POST("/accounts/:id/disable", handleAccountSetEnabled(deps.Accounts, sess, false), auth)
	adm.GET("/accounts/:id/delete", handleAccountDeletePage(deps.Accounts), auth)
	adm.POST("/accounts/:id/delete", handleAccountDelete(deps.Accounts, sess), auth)
	adm.GET("/webhooks", handleWebhooks(deps.Webhooks), auth)
	adm.POST("/webhooks", handleWebhookCreate(deps.Webhooks, sess), auth)
	adm.GET("/webhooks/:id", handleWebhook(deps.Webhooks), auth)
	adm.POST("/webhooks/:id/test", handleWebhookTest(deps.Webhooks, sess), auth)
	adm.POST("/webhooks/:id/enable", handleWebhookSetEnabled(deps.Webhooks, sess, true), auth)
	adm.POST("/webhooks/:id/disable", handleWebhookSetEnabled(deps.Webhooks, sess, false), auth)
	adm.GET("/webhooks/:id/delete", handleWebhookDeletePage(deps.Webhooks), auth)
	adm.POST("/webhooks/:id/delete", handleWebhookDelete(deps.Webhooks, sess), auth)
	adm.GET("/settings", handleSettings(deps.Settings), auth)
	adm.POST("/settings", handleSettingsUpdate(deps.Settings, sess), auth)
	adm.GET("/audit", handleAudit(deps.Audit), auth)
	adm.GET("/admins", handleAdmins(deps.Admins), auth)
	adm.POST("/admins", handleAdminCreate(deps.Admins, sess), auth)
	adm.POST("/admins/:id/disable", handleAdminSetDisabled(deps.Admins, sess, true), auth)
	adm.POST("/admins/:id/enable", handleAdminSetDisabled(deps.Admins, sess, false), auth)

	// JSON API for the host product's backend, behind API keys.
	api := e.Group("/api/v1", requireAPIKey(deps.APIKeys))
	api.GET("/ping", handlePing())
	api.POST("/connect_sessions", handleConnectSessionCreate(cfg.BaseURL, deps.Linking))
	api.GET("/connectors", handleConnectors(deps.Connectors))
	api.GET("/profiles", handleProfiles(deps.Profiles, deps.Connectors))
	api.GET("/accounts", handleAPIAccounts(deps.Accounts, deps.Connectors))
	api.GET("/accounts/:id", handleAPIAccount(deps.Accounts, deps.Connectors))
	api.DELETE("/accounts/:id", handleAPIAccountDelete(deps.Accounts))
	api.POST("/accounts/:id/disable", handleAPIAccountSetEnabled(deps.Accounts, deps.Connectors, false))
	api.POST("/accounts/:id/enable", handleAPIAccountSetEnabled(deps.Accounts, deps.Connectors, true))
	api.GET("/connector_definitions", handleDefinitions(deps.Runtime))
	api.GET("/connector_definitions/:connector", handleDefinition(deps.Runtime))
	api.PUT("/connector_definitions/:connector", handleDefinitionPut(deps.Runtime))
	api.DELETE("/connector_definitions/:connector", handleDefinitionDelete(deps.Runtime))
	api.POST("/accounts/:id/token", handleAccountToken(deps.Tokens))
	api.Match(proxyMethods, "/accounts/:id/proxy/*", handleAccountProxy(deps.Accounts, deps.Connectors, deps.Vendor))
	api.POST("/accounts/:id/actions/:action", handleAccountAction(deps.Accounts, deps.Profiles, deps.Connectors, deps.Vendor))
	e.GET("/api/openapi.json", handleOpenAPI())
	e.GET("/api/connector-schema.json", handleConnectorSchema(deps.ConnectorSchema))
	api.POST("/accounts/:id/test", handleAccountTestAPI(deps.Linking, deps.Connectors))

	// The end-user hub: a connect token opens a hub session whose handle is
	// carried in the path, never in a cookie (the hub lives in iframes).
	e.GET("/connect", handleConnect(deps.ConnectSessions, deps.Settings))
	e.GET("/hub-theme.css", handleHubTheme())
	hub := e.Group("/hub/:handle", requireHub(deps.ConnectSessions, deps.Settings))
	hub.GET("", handleHubPicker(deps.Linking, deps.Connectors))
	hub.GET("/profiles/:profile", handleHubForm(deps.Linking))
	// The drain guard is outermost: once shutdown begins, a new submission is
	// refused before any stream starts.
	hub.POST("/profiles/:profile/connect", handleHubConnect(deps.Linking, deps.Settings, newHubLimiters(cfg.HubLimits)), cfg.Drain.guard, streamHubProgress)
	hub.POST("/attempts/:attempt/choose", handleHubChoose(deps.Linking, deps.Settings), cfg.Drain.guard)
	hub.POST("/locale", handleHubLocale(deps.ConnectSessions))
}
