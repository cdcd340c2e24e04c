package e2e

import (
	"context"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// Vendors are fake Jamf Pro, Sophos Central and NinjaOne servers on loopback
// TLS, answering like the real ones.
type Vendors struct {
	Jamf     *fake.Jamf
	Sophos   *fake.Sophos
	NinjaOne *fake.NinjaOne
	env      []string
}

// startVendors starts the fakes; Env is what a Linkhub needs to reach and
// trust them, as an operator would configure it.
func startVendors(t *testing.T) *Vendors {
	t.Helper()
	v := &Vendors{Jamf: fake.NewJamf(t), Sophos: fake.NewSophos(t), NinjaOne: fake.NewNinjaOne(t)}
	ca := filepath.Join(t.TempDir(), "vendors-ca.pem")
	var pemData []byte
	for _, s := range []*fake.Server{v.Jamf.Server, v.Sophos.Server, v.NinjaOne.Server} {
		pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})...)
	}
	if err := os.WriteFile(ca, pemData, 0o600); err != nil {
		t.Fatal(err)
	}
	v.env = []string{
		"LINKHUB_ALLOW_PRIVATE_NETWORKS=true", // the fakes listen on loopback
		"LINKHUB_EXTRA_CA_FILE=" + ca,
		"LINKHUB_CONNECTOR_SOPHOS_HOSTS=id=" + v.Sophos.URL + ",api=" + v.Sophos.URL,
		"LINKHUB_CONNECTOR_NINJAONE_HOSTS=instance.eu=" + v.NinjaOne.URL,
	}
	return v
}

// Env returns the Linkhub settings that point it at the fakes.
func (v *Vendors) Env() []string { return v.env }

// Seed writes rows into a running Linkhub's database through its services,
// for journeys that start from an already set-up Linkhub.
type Seed struct {
	t        *testing.T
	db       *postgres.DB
	keys     *secret.Keyring
	Profiles *postgres.ProfileService
	Accounts *postgres.AccountService
}

func newSeed(t *testing.T, lh *Linkhub) *Seed {
	t.Helper()
	db, err := postgres.Open(context.Background(), lh.DBURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return &Seed{t: t, db: db, keys: lh.Keys, Profiles: postgres.NewProfileService(db, lh.Keys),
		Accounts: postgres.NewAccountService(db, lh.Keys)}
}

// Profile creates an enabled profile with every action of its connector the
// journeys use.
func (s *Seed) Profile(p *linkhub.Profile, secrets map[string]secret.Value) *linkhub.Profile {
	s.t.Helper()
	p.Enabled = true
	if err := s.Profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, secrets); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// JamfProfile creates the "Jamf Pro" profile with its read actions.
func (s *Seed) JamfProfile() *linkhub.Profile {
	return s.Profile(&linkhub.Profile{ConnectorID: "jamf", Name: "Jamf Pro",
		Actions: []string{"list_computers", "list_departments"}}, nil)
}

// SophosPartnerProfile creates a Sophos Central profile whose credential,
// filled in by the admin, is the partner's: users only pick a tenant.
func (s *Seed) SophosPartnerProfile(v *Vendors) *linkhub.Profile {
	v.Sophos.AsPartner()
	return s.Profile(&linkhub.Profile{ConnectorID: "sophos", Name: "Sophos Central",
		Actions: []string{"list_endpoints"},
		Values:  map[string]string{"client_id": v.Sophos.ClientID}},
		map[string]secret.Value{"client_secret": secret.New(v.Sophos.ClientSecret)})
}

// EmbedOrigins sets the origins allowed to frame the hub.
func (s *Seed) EmbedOrigins(origins ...string) {
	s.t.Helper()
	st := linkhub.DefaultSettings()
	st.EmbedOrigins = origins
	if _, err := postgres.NewSettingsService(s.db).UpdateSettings(context.Background(), linkhub.SystemActor, st); err != nil {
		s.t.Fatal(err)
	}
}

// APIKey creates an API key and returns its text.
func (s *Seed) APIKey() string {
	s.t.Helper()
	_, key, err := postgres.NewAPIKeyService(s.db).CreateAPIKey(context.Background(), linkhub.SystemActor, "e2e")
	if err != nil {
		s.t.Fatal(err)
	}
	return key
}

// Admin creates an admin who signs in with this email and password.
func (s *Seed) Admin(email, pw string) {
	s.t.Helper()
	admins := postgres.NewAdminService(s.db, password.New(1))
	if _, err := admins.CreateAdmin(context.Background(), linkhub.SystemActor, email, pw); err != nil {
		s.t.Fatal(err)
	}
}

// Webhook creates an enabled endpoint for every event, with one test event
// queued for it, and returns its id. Its address is taken as given: no
// delivery reaches it in these tests.
func (s *Seed) Webhook(url string) string {
	s.t.Helper()
	asGiven := func(_ context.Context, u string) (string, error) { return u, nil }
	hooks := postgres.NewWebhookService(s.db, s.keys, asGiven)
	w := &linkhub.Webhook{URL: url, Events: linkhub.WebhookEvents, Enabled: true}
	if _, err := hooks.CreateWebhook(context.Background(), linkhub.SystemActor, w); err != nil {
		s.t.Fatal(err)
	}
	if _, err := hooks.SendTestEvent(context.Background(), linkhub.SystemActor, w.ID); err != nil {
		s.t.Fatal(err)
	}
	return w.ID
}
