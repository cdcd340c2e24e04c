package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestProfileService_Create(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, _ := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))

	t.Run("OK", func(t *testing.T) {
		p := MustProfile(t, profiles, "Sophos EU", map[string]secret.Value{"client_secret": secret.New("s")})
		if p.ID == "" || p.CreatedAt.IsZero() {
			t.Fatalf("got id %q created %v, want both set", p.ID, p.CreatedAt)
		}
		got, err := profiles.FindProfileByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Sophos EU" || got.Values["region"] != "eu" || got.SecretMasks["client_secret"] == "" {
			t.Errorf("got %+v, want the stored profile with a mask", got)
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		p := &linkhub.Profile{ConnectorID: "jamf", Name: "sophos eu"}
		err := profiles.CreateProfile(ctx, linkhub.SystemActor, p, nil)
		if code := linkhub.ErrorCode(err); code != linkhub.ECONFLICT {
			t.Fatalf("got %v, want %s", err, linkhub.ECONFLICT)
		}
		if msg, want := linkhub.ErrorMessage(err), `A profile named "sophos eu" already exists.`; msg != want {
			t.Errorf("got %q, want %q", msg, want)
		}
	})
	t.Run("ErrNameRequired", func(t *testing.T) {
		err := profiles.CreateProfile(ctx, linkhub.SystemActor, &linkhub.Profile{ConnectorID: "jamf", Name: "  "}, nil)
		if code := linkhub.ErrorCode(err); code != linkhub.EINVALID {
			t.Errorf("got %v, want %s", err, linkhub.EINVALID)
		}
	})
	t.Run("DefaultMoves", func(t *testing.T) {
		a := &linkhub.Profile{ConnectorID: "ninjaone", Name: "A", IsDefault: true}
		b := &linkhub.Profile{ConnectorID: "ninjaone", Name: "B", IsDefault: true}
		for _, p := range []*linkhub.Profile{a, b} {
			if err := profiles.CreateProfile(ctx, linkhub.SystemActor, p, nil); err != nil {
				t.Fatal(err)
			}
		}
		got, _ := profiles.FindProfileByID(ctx, a.ID)
		if got.IsDefault {
			t.Errorf("got A still default, want the new default B to replace it")
		}
	})
}

func TestProfileService_Find(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, _ := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	a := MustProfile(t, profiles, "Alpha", map[string]secret.Value{"client_secret": secret.New("alpha-secret-1234")})
	b := MustProfile(t, profiles, "Beta", nil)
	off := false
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, b.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	jamf := &linkhub.Profile{ConnectorID: "jamf", Name: "Gamma", Enabled: true}
	if err := profiles.CreateProfile(ctx, linkhub.SystemActor, jamf, nil); err != nil {
		t.Fatal(err)
	}
	conn, on, bad := "sophos", true, "nope"
	tests := []struct {
		name   string
		filter linkhub.ProfileFilter
		want   []string
	}{
		{"All", linkhub.ProfileFilter{}, []string{"Alpha", "Beta", "Gamma"}},
		{"ID", linkhub.ProfileFilter{ID: &a.ID}, []string{"Alpha"}},
		{"BadID", linkhub.ProfileFilter{ID: &bad}, nil},
		{"Connector", linkhub.ProfileFilter{ConnectorID: &conn}, []string{"Alpha", "Beta"}},
		{"Enabled", linkhub.ProfileFilter{Enabled: &on}, []string{"Alpha", "Gamma"}},
		{"IDs", linkhub.ProfileFilter{IDs: []string{b.ID, jamf.ID}}, []string{"Beta", "Gamma"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := profiles.FindProfiles(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range list {
				got = append(got, p.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("StoredSecrets", func(t *testing.T) {
		list, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := list[0].StoredSecrets; !slices.Equal(got, []string{"client_secret"}) || !list[0].HasSecret("client_secret") {
			t.Errorf("Alpha: got stored secrets %q, want [client_secret]", got)
		}
		if list[0].SecretMasks != nil {
			t.Errorf("Alpha: a list opened secrets for masks: %q", list[0].SecretMasks)
		}
		if got := list[1].StoredSecrets; len(got) != 0 {
			t.Errorf("Beta: got stored secrets %q, want none", got)
		}
		one, err := profiles.FindProfileByID(ctx, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := one.SecretMasks["client_secret"], "••••••••1234"; got != want {
			t.Errorf("Alpha by id: got mask %q, want %q", got, want)
		}
	})
	if _, err := profiles.FindProfileByID(ctx, "not-a-uuid"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("bad id: got %v, want %s", err, linkhub.ENOTFOUND)
	}
	if _, err := profiles.FindProfileByID(ctx, "00000000-0000-0000-0000-000000000000"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("missing id: got %v, want %s", err, linkhub.ENOTFOUND)
	}
}

func TestProfileService_Update(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, _ := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", map[string]secret.Value{
		"client_secret": secret.New("old-secret"), "other": secret.New("keep-me"),
	})
	MustProfile(t, profiles, "Taken", nil)

	t.Run("OK", func(t *testing.T) {
		name, actions := "Partner EU", []string{"list_alerts"}
		got, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{
			Name: &name, Actions: &actions, Values: map[string]string{"region": "us"},
			// A blank secret keeps the stored value: forms are write-only.
			Secrets: map[string]secret.Value{"client_secret": secret.New("new-secret"), "other": {}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != name || got.Values["region"] != "us" || len(got.Actions) != 1 || !got.Enabled {
			t.Errorf("got %+v, want the new name, values and actions, still enabled", got)
		}
		s, err := profiles.FindProfileSecrets(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s["client_secret"].Reveal() != "new-secret" || s["other"].Reveal() != "keep-me" {
			t.Errorf("got secrets %q, %q, want new-secret, keep-me", s["client_secret"].Reveal(), s["other"].Reveal())
		}
	})
	t.Run("Featured", func(t *testing.T) {
		on := true
		if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Featured: &on}); err != nil {
			t.Fatal(err)
		}
		name := "Partner featured"
		// Another update leaves the mark alone, and every read shows it.
		if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		got, err := profiles.FindProfileByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{ID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !got.Featured || len(list) != 1 || !list[0].Featured {
			t.Errorf("got featured %t by id and %+v in the list, want it featured in both", got.Featured, list)
		}
	})
	t.Run("ErrNameTaken", func(t *testing.T) {
		name := "TAKEN"
		_, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Name: &name})
		if linkhub.ErrorCode(err) != linkhub.ECONFLICT {
			t.Errorf("got %v, want %s", err, linkhub.ECONFLICT)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, "00000000-0000-0000-0000-000000000000", linkhub.ProfileUpdate{})
		if linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("got %v, want %s", err, linkhub.ENOTFOUND)
		}
	})
}

func TestProfileService_Delete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Used", map[string]secret.Value{"client_secret": secret.New("s")})
	a := MustAccount(t, accounts, p.ID, "o1", map[string]secret.Value{"client_secret": secret.New("s")})

	_, err := profiles.DeleteProfile(ctx, linkhub.SystemActor, p.ID, false)
	if linkhub.ErrorCode(err) != linkhub.ECONFLICT || !strings.Contains(linkhub.ErrorMessage(err), "1 linked account") {
		t.Fatalf("got %v, want ECONFLICT naming the 1 account", err)
	}
	if n, err := profiles.DeleteProfile(ctx, linkhub.SystemActor, p.ID, true); err != nil || n != 1 {
		t.Fatalf("cascade: got %d accounts deleted (%v), want 1", n, err)
	}
	if _, err := accounts.FindAccountByID(ctx, a.ID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("account after cascade: got %v, want %s", err, linkhub.ENOTFOUND)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM secrets`).Scan(&n); err != nil || n != 0 {
		t.Errorf("got %d secrets left (%v), want 0", n, err)
	}
	if _, err := profiles.DeleteProfile(ctx, linkhub.SystemActor, p.ID, false); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("second delete: got %v, want %s", err, linkhub.ENOTFOUND)
	}
}

func TestProfileService_DisableMakesAccountsInactive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	p := MustProfile(t, profiles, "Jamf", nil)
	active := MustAccount(t, accounts, p.ID, "o1", nil)
	byAdmin := MustAccount(t, accounts, p.ID, "o2", nil)
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, byAdmin.ID, linkhub.AccountDisabled, "admin"); err != nil {
		t.Fatal(err)
	}
	status := func(id string) string {
		a, err := accounts.FindAccountByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return a.Status
	}
	off, on := false, true
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	if got := status(active.ID); got != linkhub.AccountInactive {
		t.Errorf("after disabling the profile: got %q, want inactive", got)
	}
	if got := status(byAdmin.ID); got != linkhub.AccountDisabled {
		t.Errorf("an admin-disabled account: got %q, want it to stay disabled", got)
	}
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	if got := status(active.ID); got != linkhub.AccountActive {
		t.Errorf("after enabling the profile: got %q, want active", got)
	}
	if got := status(byAdmin.ID); got != linkhub.AccountDisabled {
		t.Errorf("an admin-disabled account after enabling the profile: got %q, want disabled", got)
	}
}
