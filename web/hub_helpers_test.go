package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/internal/webhook"
	"github.com/linkhub/linkhub/web"
)

// embedOrigin is the one origin the test settings allow to embed the hub.
const embedOrigin = "https://app.example.test"

// hubEnv is the whole server on a fresh database with fake vendors.
type hubEnv struct {
	srv      *httptest.Server
	db       *postgres.DB
	profiles *postgres.ProfileService
	accounts *postgres.AccountService
	attempts *postgres.AttemptService
	jamf     *fake.Jamf
	sophos   *fake.Sophos
	logs     *syncBuffer
	client   *http.Client // does not follow redirects
	apiKey   string
	apiKeyID string
	settings *postgres.SettingsService
	audit    *postgres.AuditService
	cache    *connector.TokenCache
	admins   *postgres.AdminService
	webhooks *postgres.WebhookService
}

// MustHubEnv starts the server with real services and fake vendors.
func MustHubEnv(t testing.TB, limits web.HubLimits) *hubEnv {
	t.Helper()
	return mustHubEnvTimeout(t, limits, 5*time.Second)
}

// mustHubEnvTimeout is MustHubEnv with the vendor timeout given.
func mustHubEnvTimeout(t testing.TB, limits web.HubLimits, vendorTimeout time.Duration) *hubEnv {
	t.Helper()
	return mustHubEnvHosts(t, limits, vendorTimeout, nil)
}

// mustHubEnvHosts is mustHubEnvTimeout with defined connectors' host
// overrides (LINKHUB_CONNECTOR_<ID>_HOSTS), by definition id.
func mustHubEnvHosts(t testing.TB, limits web.HubLimits, vendorTimeout time.Duration, defs map[string]map[string]string) *hubEnv {
	t.Helper()
	key, err := secret.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secret.ParseKeyring("1:"+key, "1")
	if err != nil {
		t.Fatal(err)
	}
	env := &hubEnv{db: pgtest.DB(t), jamf: fake.NewJamf(t), sophos: fake.NewSophos(t), logs: &syncBuffer{}}
	cfg := fake.Config(vendorTimeout, env.jamf.Server.Server, env.sophos.Server.Server)
	hosts := map[string]map[string]string{"sophos": {"id": env.sophos.URL, "api": env.sophos.URL}}
	maps.Copy(hosts, defs)
	cfg.Hosts = connector.Hosts{Definitions: hosts}
	env.cache = connector.NewTokenCache(100)
	deps := pgDeps(env.db, keys, cfg, env.cache, slog.New(slog.NewTextHandler(env.logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	env.profiles, env.accounts = deps.Profiles.(*postgres.ProfileService), deps.Accounts.(*postgres.AccountService)
	env.attempts, env.settings = deps.Attempts.(*postgres.AttemptService), deps.Settings.(*postgres.SettingsService)
	env.audit, env.admins = deps.Audit.(*postgres.AuditService), deps.Admins.(*postgres.AdminService)
	// Webhook receivers in these tests are on loopback, like the fakes.
	env.webhooks = postgres.NewWebhookService(env.db, keys, webhook.URLChecker(connector.Config{AllowPrivate: true}))
	deps.Webhooks = env.webhooks
	k, apiKey, err := deps.APIKeys.CreateAPIKey(context.Background(), linkhub.SystemActor, "host")
	if err != nil {
		t.Fatal(err)
	}
	env.apiKey, env.apiKeyID = apiKey, k.ID
	st := linkhub.DefaultSettings()
	st.EmbedOrigins = []string{embedOrigin}
	if _, err := env.settings.UpdateSettings(context.Background(), linkhub.SystemActor, st); err != nil {
		t.Fatal(err)
	}
	env.srv = mustServer(t, web.Config{BaseURL: "http://linkhub.test", HubLimits: limits}, deps)
	env.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return env
}

// MustProfile creates an enabled profile of connector with enabled actions:
// none given, the connector's default ones, as a new profile's form has
// them, and a stand-in for each field the profile must fill (the profile
// service holds profiles to their connector's rules).
func (e *hubEnv) MustProfile(t testing.TB, connectorID, name string, actions ...string) *linkhub.Profile {
	t.Helper()
	if len(actions) == 0 {
		actions = defaultActions(connectorID)
	}
	p := &linkhub.Profile{ConnectorID: connectorID, Name: name, Enabled: true, Actions: actions, Values: map[string]string{}}
	secrets := map[string]secret.Value{}
	if conn, ok := connector.NewRegistry(connector.Config{}).Get(connectorID); ok {
		for _, f := range conn.Spec().Fields {
			if f.Scope != linkhub.ScopeProfile || !f.Required {
				continue
			}
			switch {
			case f.Secret:
				secrets[f.ID] = secret.New("stand-in-secret")
			case f.Kind == linkhub.KindURL:
				p.Values[f.ID] = "https://" + connectorID + ".example"
			case f.Kind == linkhub.KindUUID:
				p.Values[f.ID] = "5c4b6a1e-8f2d-4e3a-b1c0-9d8e7f6a5b4c"
			case f.Kind == linkhub.KindSelect:
				p.Values[f.ID] = f.Options[0].Value
			default:
				p.Values[f.ID] = "stand-in"
			}
		}
	}
	if err := e.profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, secrets); err != nil {
		t.Fatal(err)
	}
	return p
}

// createSession posts body to the API and decodes the answer.
func (e *hubEnv) createSession(t testing.TB, body map[string]any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := e.api(t, "application/json", string(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// api posts body to the connect-session API with the env's API key.
func (e *hubEnv) api(t testing.TB, contentType, body string) (*http.Response, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/connect_sessions", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+e.apiKey)
	return http.DefaultClient.Do(req)
}

// MustToken creates a session for owner-1 with extra fields and returns its token.
func (e *hubEnv) MustToken(t testing.TB, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"origin_owner_id": "owner-1", "origin_owner_name": "Owner One"}
	for k, v := range extra {
		body[k] = v
	}
	status, out := e.createSession(t, body)
	if status != http.StatusCreated {
		t.Fatalf("create session: got %d %v, want 201", status, out)
	}
	return out["token"].(string)
}

// MustOpen spends token and returns the hub path it redirects to.
func (e *hubEnv) MustOpen(t testing.TB, token string) string {
	t.Helper()
	resp, err := e.client.Get(e.srv.URL + "/connect?token=" + url.QueryEscape(token))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/hub/") || strings.Contains(loc, token) {
		t.Fatalf("open token: got %d to %q, want 303 to a token-free /hub/ URL", resp.StatusCode, loc)
	}
	return loc
}

// get fetches path without following redirects.
func (e *hubEnv) get(t testing.TB, path string) (*http.Response, *goquery.Document) {
	t.Helper()
	resp, err := e.client.Get(e.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

// post submits a form as a same-origin browser would from inside an iframe.
func (e *hubEnv) post(t testing.TB, path string, form url.Values) (*http.Response, *goquery.Document) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", e.srv.URL)
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

// formOf follows the hub's single-profile redirect and returns the form's
// action.
func (e *hubEnv) formOf(t testing.TB, hubPath string) (string, *goquery.Document) {
	t.Helper()
	resp, _ := e.get(t, hubPath)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("hub with one profile: got %d, want 303 to the form", resp.StatusCode)
	}
	resp, doc := e.get(t, resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("form: got %d, want 200", resp.StatusCode)
	}
	action, ok := doc.Find(`[data-testid="hub-form"]`).Attr("action")
	if !ok {
		t.Fatal("no hub form")
	}
	return action, doc
}

// accounts returns every stored account.
func (e *hubEnv) allAccounts(t testing.TB) []*linkhub.Account {
	t.Helper()
	list, _, err := e.accounts.FindAccounts(context.Background(), linkhub.AccountFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// jamfForm is the Jamf form filled with the fake's URL pasted untidily.
func (e *hubEnv) jamfForm(secretValue string) url.Values {
	return url.Values{"url": {" " + e.jamf.URL + "/index.html "}, "client_id": {e.jamf.ClientID}, "client_secret": {secretValue}}
}

// MustBareProfile stores a profile with no actions, as rows written before
// the profile rules may be: the service holds to its rules only what is
// created or filled in, so this one goes in beside it.
func (e *hubEnv) MustBareProfile(t testing.TB, connectorID, name string) *linkhub.Profile {
	t.Helper()
	p := &linkhub.Profile{ConnectorID: connectorID, Name: name, Enabled: true}
	if err := postgres.NewProfileService(e.db, nil).CreateProfile(context.Background(), linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

// defaultActions are the actions a new profile of connectorID enables: all
// but the opt-in ones.
func defaultActions(connectorID string) []string {
	conn, ok := connector.NewRegistry(connector.Config{}).Get(connectorID)
	if !ok {
		return nil
	}
	var out []string
	for _, a := range conn.Spec().Actions {
		if !a.OptIn {
			out = append(out, a.ID)
		}
	}
	return out
}
