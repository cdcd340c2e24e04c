package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// acmeSpec is a connector with each kind of profile rule: a required
// profile secret, a required profile URL, a shared UUID default and actions.
var acmeSpec = linkhub.ConnectorSpec{ID: "acme", Name: "Acme",
	Fields: []linkhub.Field{
		{ID: "url", Label: "Server URL", Scope: linkhub.ScopeProfile, Kind: linkhub.KindURL, Required: true},
		{ID: "api_key", Label: "API key", Scope: linkhub.ScopeProfile, Kind: linkhub.KindSecret, Secret: true, Required: true},
		{ID: "tenant", Label: "Tenant ID", Scope: linkhub.ScopeAccount, Kind: linkhub.KindUUID, Required: true},
	},
	Actions: []linkhub.Action{{ID: "list"}, {ID: "wipe", OptIn: true}},
}

type acmeConnector struct{}

func (acmeConnector) Spec() linkhub.ConnectorSpec { return acmeSpec }
func (acmeConnector) Test(context.Context, linkhub.TestInput) linkhub.Report {
	return linkhub.Report{}
}
func (acmeConnector) Token(context.Context, linkhub.Credentials, map[string]string) (linkhub.Token, error) {
	return linkhub.Token{}, nil
}

type acmeOnly struct{}

func (acmeOnly) Get(id string) (linkhub.Connector, bool) { return acmeConnector{}, id == "acme" }

// TestProfileService_ConnectorRules: the profile form's rules hold in the
// service's transaction, every problem named at once, and a refused
// create or update changes nothing and audits nothing.
func TestProfileService_ConnectorRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles := postgres.NewProfileService(db, MustKeyring(t, map[int]string{}, 1, 1), postgres.CheckProfilesWith(acmeOnly{}))
	audit := postgres.NewAuditService(db)
	entries := func() int {
		list, _, err := audit.FindAuditEntries(ctx, linkhub.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	problems := func(t *testing.T, err error, want ...string) {
		t.Helper()
		var pp linkhub.ProfileProblems
		if !errors.As(err, &pp) || linkhub.ErrorCode(err) != linkhub.EINVALID || len(pp) != len(want) {
			t.Fatalf("got %v, want EINVALID problems on %v", err, want)
		}
		for _, k := range want {
			if pp[k] == "" {
				t.Errorf("no problem on %s in %v", k, pp)
			}
		}
	}

	t.Run("ErrCreate", func(t *testing.T) {
		err := profiles.CreateProfile(ctx, linkhub.SystemActor, &linkhub.Profile{ConnectorID: "acme", Name: " ",
			Values: map[string]string{"url": "ftp:nowhere", "tenant": "not-a-uuid"}}, nil)
		problems(t, err, "name", "url", "api_key", "tenant", "actions")
		if list, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{}); err != nil || len(list) != 0 || entries() != 0 {
			t.Errorf("got %d profiles and %d audit entries (%v), want none", len(list), entries(), err)
		}
	})

	p := &linkhub.Profile{ConnectorID: "acme", Name: "Acme", Actions: []string{"list"},
		Values: map[string]string{"url": "https://acme.example"}}
	if err := profiles.CreateProfile(ctx, linkhub.SystemActor, p, map[string]secret.Value{"api_key": secret.New("k")}); err != nil {
		t.Fatalf("valid profile: %v", err)
	}
	before := entries()

	t.Run("UpdateKeepsStoredSecret", func(t *testing.T) {
		// The stored key satisfies the rule: a blank one in the form keeps it.
		name := "Acme 2"
		if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Name: &name,
			Values: map[string]string{"url": "https://acme.example"}, Secrets: map[string]secret.Value{"api_key": {}}}); err != nil {
			t.Fatal(err)
		}
		before = entries()
	})

	t.Run("ErrUpdate", func(t *testing.T) {
		none, long := []string{}, strings.Repeat("n", linkhub.MaxProfileNameLen+1)
		_, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Name: &long, Actions: &none,
			Values: map[string]string{"tenant": "x"}})
		problems(t, err, "name", "url", "tenant", "actions")
		got, err := profiles.FindProfileByID(ctx, p.ID)
		if err != nil || got.Name != "Acme 2" || len(got.Actions) != 1 || got.Values["url"] != "https://acme.example" || entries() != before {
			t.Errorf("got %+v (%v) and %d audit entries, want the profile and the log unchanged", got, err, entries())
		}
	})

	t.Run("SwitchingLeavesRulesAlone", func(t *testing.T) {
		off, on := false, true
		for _, upd := range []linkhub.ProfileUpdate{{Enabled: &off}, {Featured: &on}, {IsDefault: &on}} {
			if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, upd); err != nil {
				t.Errorf("%+v: %v", upd, err)
			}
		}
	})
}
