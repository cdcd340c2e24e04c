package linking_test

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/health"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// env is the linking service on a fresh database, with a fake Jamf Pro
// (and a fake Sophos Central when asked for).
type env struct {
	db       *postgres.DB
	svc      *linking.Service
	profiles *postgres.ProfileService
	accounts *postgres.AccountService
	attempts *postgres.AttemptService
	sessions *postgres.ConnectSessionService
	settings *postgres.SettingsService
	audit    *postgres.AuditService
	jamf     *fake.Jamf
	sophos   *fake.Sophos // nil unless envOptions.sophos
}

// envOptions is what a test's env differs in.
type envOptions struct {
	vendorTimeout time.Duration // the connectors' timeout; 10s when zero
	sophos        bool          // a fake Sophos Central besides Jamf Pro
}

// mustEnv is the env most tests use: Jamf Pro only, a 10s vendor timeout.
func mustEnv(t *testing.T) *env {
	t.Helper()
	return mustEnvWith(t, envOptions{})
}

func mustEnvWith(t *testing.T, o envOptions) *env {
	t.Helper()
	db := pgtest.DB(t)
	key, err := secret.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secret.ParseKeyring("1:"+key, "1")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, profiles: postgres.NewProfileService(db, keys), accounts: postgres.NewAccountService(db, keys),
		attempts: postgres.NewAttemptService(db, keys), sessions: postgres.NewConnectSessionService(db),
		settings: postgres.NewSettingsService(db), audit: postgres.NewAuditService(db), jamf: fake.NewJamf(t)}
	if o.vendorTimeout == 0 {
		o.vendorTimeout = 10 * time.Second
	}
	servers := []*httptest.Server{e.jamf.Server.Server}
	if o.sophos {
		e.sophos = fake.NewSophos(t)
		servers = append(servers, e.sophos.Server.Server)
	}
	cfg := fake.Config(o.vendorTimeout, servers...)
	if o.sophos {
		cfg.Hosts = connector.Hosts{Definitions: map[string]map[string]string{"sophos": {"id": e.sophos.URL, "api": e.sophos.URL}}}
	}
	registry := connector.NewRegistry(cfg)
	e.svc = linking.New(linking.Services{Profiles: e.profiles, Accounts: e.accounts, Attempts: e.attempts,
		ConnectSessions: e.sessions, Settings: e.settings, Audit: e.audit, Connectors: registry,
		Tester: health.NewChecker(e.profiles, e.accounts, registry)})
	return e
}

// mustProfile creates an enabled Jamf Pro profile.
func (e *env) mustProfile(t *testing.T, name string) *linkhub.Profile {
	t.Helper()
	p := &linkhub.Profile{ConnectorID: "jamf", Name: name, Enabled: true, Actions: []string{"list_computers"}}
	if err := e.profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustSession creates a connect session through the service and opens its
// hub session, as the hub does.
func (e *env) mustSession(t *testing.T, req linking.SessionRequest) (*linkhub.ConnectSession, string) {
	t.Helper()
	return e.mustOpen(t, e.mustToken(t, req))
}

// mustStart is a Jamf Pro profile and a hub session on it for org-1.
func (e *env) mustStart(t *testing.T) (*linkhub.Profile, *linkhub.ConnectSession, string) {
	t.Helper()
	p := e.mustProfile(t, "Jamf")
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "org-1", OriginOwnerName: "Org 1", Label: "Main"})
	return p, cs, handle
}

// jamfForm is the Jamf Pro form filled in with secretValue.
func (e *env) jamfForm(secretValue string) linking.Form {
	return linking.Form{Values: map[string]string{"url": e.jamf.URL, "client_id": e.jamf.ClientID},
		Secrets: map[string]secret.Value{"client_secret": secret.New(secretValue)}}
}

// submit posts form for session cs on profile p, allowed by the limits.
func (e *env) submit(t *testing.T, cs *linkhub.ConnectSession, handle string, p *linkhub.Profile, form linking.Form, id string) (*linking.Outcome, error) {
	t.Helper()
	ctx := context.Background()
	target, err := e.svc.Target(ctx, cs, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return e.svc.Submit(ctx, linking.Submission{Session: cs, Handle: handle, Target: target, Form: form, ID: id,
		IP: "192.0.2.1", Allow: func() bool { return true }})
}

func (e *env) allAccounts(t *testing.T) []*linkhub.Account {
	t.Helper()
	list, _, err := e.accounts.FindAccounts(context.Background(), linkhub.AccountFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// mustProfileOf creates an enabled profile of connectorID with actions.
func (e *env) mustProfileOf(t *testing.T, connectorID string, actions ...string) *linkhub.Profile {
	t.Helper()
	p := &linkhub.Profile{ConnectorID: connectorID, Name: connectorID, Enabled: true, Actions: actions}
	if err := e.profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// mustToken creates a connect session through the service and returns its
// token, which opens any number of hub sessions (mustOpen).
func (e *env) mustToken(t *testing.T, req linking.SessionRequest) string {
	t.Helper()
	_, tok, err := e.svc.CreateSession(context.Background(), linkhub.SystemActor, req)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// mustOpen opens a hub session with tok, as the hub's /connect does.
func (e *env) mustOpen(t *testing.T, tok string) (*linkhub.ConnectSession, string) {
	t.Helper()
	handle, cs, err := e.sessions.OpenHubSession(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	return cs, handle
}

// count runs a count query.
func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sophosForm is the Sophos form filled with the fake's credential.
func (e *env) sophosForm() linking.Form {
	return linking.Form{Values: map[string]string{"client_id": e.sophos.ClientID},
		Secrets: map[string]secret.Value{"client_secret": secret.New(e.sophos.ClientSecret)}}
}
