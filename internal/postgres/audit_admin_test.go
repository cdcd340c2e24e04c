package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestAudit_AdminChanges: each change an admin makes to profiles and
// accounts in the console is one audit entry by that admin, in order, and no
// entry's details hold a secret given to the change.
func TestAudit_AdminChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	admin := linkhub.Actor{Kind: "admin", ID: "adm-1", Label: "ada@example.com", IP: "192.0.2.7"}
	first, second := "first-secret-0123456789", "second-secret-0123456789"

	p := &linkhub.Profile{ConnectorID: "sophos", Name: "Sophos", Enabled: true, Actions: []string{"list_endpoints"}}
	if err := profiles.CreateProfile(ctx, admin, p, map[string]secret.Value{"client_secret": secret.New(first)}); err != nil {
		t.Fatal(err)
	}
	name, off, on := "Sophos EU", false, true
	if _, err := profiles.UpdateProfile(ctx, admin, p.ID, linkhub.ProfileUpdate{Name: &name,
		Secrets: map[string]secret.Value{"client_secret": secret.New(second)}}); err != nil {
		t.Fatal(err)
	}
	a := MustAccount(t, accounts, p.ID, "o1", map[string]secret.Value{"client_secret": secret.New(first)})
	for _, st := range []string{linkhub.AccountDisabled, linkhub.AccountActive} {
		if _, err := accounts.SetAccountStatus(ctx, admin, a.ID, st, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := accounts.DeleteAccount(ctx, admin, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, enabled := range []*bool{&off, &on} {
		if _, err := profiles.UpdateProfile(ctx, admin, p.ID, linkhub.ProfileUpdate{Enabled: enabled}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := profiles.DeleteProfile(ctx, admin, p.ID, false); err != nil {
		t.Fatal(err)
	}

	entries, _, err := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{Actor: &admin.Label})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range slices.Backward(entries) { // newest first
		got = append(got, e.Action)
		for k, v := range e.Details {
			if strings.Contains(v, first) || strings.Contains(v, second) {
				t.Errorf("%s: details[%s] holds a secret", e.Action, k)
			}
		}
	}
	want := []string{linkhub.ActionProfileCreated, linkhub.ActionProfileUpdated, linkhub.ActionAccountDisabled,
		linkhub.ActionAccountEnabled, linkhub.ActionAccountDeleted, linkhub.ActionProfileDisabled, linkhub.ActionProfileEnabled,
		linkhub.ActionProfileDeleted}
	if !slices.Equal(got, want) {
		t.Errorf("got audit %v, want %v", got, want)
	}
}
