// Package web is Linkhub's HTTP layer: the echo handlers, the one route table,
// middleware, the admin and hub sessions, and the JSON API.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Config is what the HTTP layer needs to know about its deployment.
type Config struct {
	Version        string
	BaseURL        string         // public URL, e.g. https://linkhub.example.com
	TrustedProxies []netip.Prefix // X-Forwarded-For is believed only from these
	MaxBodyBytes   int64
	// HubLimits caps credential tests in the hub; zero fields take defaults.
	HubLimits HubLimits
	// SessionKeys are the admin cookie's hash and block keys, in pairs, the
	// current pair first (older pairs still read cookies during rotation).
	// Empty means random keys: cookies then die with the process.
	SessionKeys [][]byte
	// Drain lets a shutdown refuse new hub link submissions and wait for
	// the running ones before the server stops (NewDrain).
	Drain *Drain
}

// Deps are the services the handlers use; every one is required.
type Deps struct {
	Logger          *slog.Logger
	DB              Pinger
	Profiles        linkhub.ProfileService
	Accounts        linkhub.AccountService
	Admins          linkhub.AdminService
	APIKeys         linkhub.APIKeyService
	Audit           linkhub.AuditService
	Settings        linkhub.SettingsService
	ConnectSessions linkhub.ConnectSessionService
	Attempts        linkhub.AttemptService
	Connectors      Connectors
	// Runtime manages the admins' runtime connectors; *connector.Runtime is one.
	Runtime RuntimeConnectors
	// Tokens hands out access tokens of linked accounts; *tokens.Service is one.
	Tokens Tokens
	// Vendor forwards the host API's proxy and action calls; *proxy.Forwarder is one.
	Vendor   linkhub.Vendor
	Webhooks linkhub.WebhookService
	Health   linkhub.AccountTester // re-tests stored accounts and records the result
	// Linking is the linking use case: the hub's submissions and choices,
	// connect sessions, relinks, the admin's tests.
	Linking Linking
	// ConnectorSchema is the JSON Schema of connector definitions, served
	// as is; definition.Schema() is it.
	ConnectorSchema []byte
}

// Linking runs the linking use case; *linking.Service is one.
type Linking interface {
	Profiles(ctx context.Context, cs *linkhub.ConnectSession) ([]*linkhub.Profile, error)
	Target(ctx context.Context, cs *linkhub.ConnectSession, profileID string) (*linking.Target, error)
	Submit(ctx context.Context, sub linking.Submission) (*linking.Outcome, error)
	Choose(ctx context.Context, cs *linkhub.ConnectSession, attemptID, choiceID, ip string) (*linking.Outcome, error)
	CreateSession(ctx context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error)
	Relink(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.ConnectSession, string, error)
	TestProfile(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Profile, linkhub.Connector, linkhub.Report, error)
	TestAccount(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error)
}

// Tokens gives an access token for a linked account.
type Tokens interface {
	Token(ctx context.Context, accountID string) (linkhub.Token, error)
}

// Connectors finds connectors by id; *connector.Registry is one.
type Connectors interface {
	Get(id string) (linkhub.Connector, bool)
	All() []linkhub.Connector
}

// NewServer returns Linkhub's whole HTTP handler: echo with its routes and
// middleware, wrapped in net/http's cross-origin protection so that no
// state-changing request from another site gets through.
func NewServer(cfg Config, deps Deps) http.Handler {
	e := newEcho(cfg, deps)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deps.Logger.Warn("cross-origin request refused", "method", r.Method, "path", redactPath(r.URL.Path),
			"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusForbidden, "cross_origin", "Cross-origin requests are not allowed here.")
			return
		}
		http.Error(w, "Cross-origin request refused: reload the page and try again from this site.", http.StatusForbidden)
	}))
	return cop.Handler(e)
}

// newEcho returns echo with its settings and the route table.
func newEcho(cfg Config, deps Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	addRoutes(e, cfg, deps)
	return e
}

// ipExtractor trusts X-Forwarded-For only from the configured proxies; with
// none configured the peer address is the client (echo's default trusts any).
func ipExtractor(proxies []netip.Prefix) echo.IPExtractor {
	if len(proxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range proxies {
		n := prefixToIPNet(p)
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
