package postgres_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

func TestAccountService_CountAccountsByProfile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	busy, quiet, empty := MustProfile(t, profiles, "Busy", nil), MustProfile(t, profiles, "Quiet", nil), MustProfile(t, profiles, "Empty", nil)
	for i := range 3 {
		MustAccount(t, accounts, busy.ID, "b"+string(rune('0'+i)), nil)
	}
	MustAccount(t, accounts, quiet.ID, "q", nil)
	got, err := accounts.CountAccountsByProfile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{busy.ID: 3, quiet.ID: 1}; !maps.Equal(got, want) {
		t.Fatalf("got %v, want %v (none for %s)", got, want, empty.ID)
	}
}

// adminDisabledAccount returns a database with a profile "Jamf" and an
// account of it that an admin disabled.
func adminDisabledAccount(t *testing.T) (*postgres.DB, *postgres.ProfileService, *postgres.AccountService, *linkhub.Profile, *linkhub.Account) {
	t.Helper()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Jamf", nil)
	a := MustAccount(t, accounts, p.ID, "o1", nil)
	if _, err := accounts.SetAccountStatus(context.Background(), linkhub.SystemActor, a.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
		t.Fatal(err)
	}
	return db, profiles, accounts, p, a
}

// TestAccountService_EnableUnderDisabledProfile: enabling an account of a
// disabled profile is ECONFLICT naming the profile, and changes nothing.
func TestAccountService_EnableUnderDisabledProfile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, profiles, accounts, p, a := adminDisabledAccount(t)
	off := false
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	_, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountActive, "")
	if linkhub.ErrorCode(err) != linkhub.ECONFLICT || linkhub.ErrorMessage(err) !=
		"The profile “Jamf” of this account is disabled: enable the profile first, then the account." {
		t.Fatalf("got %v, want ECONFLICT naming the profile", err)
	}
	if got := mustStatus(t, accounts, a.ID); got != linkhub.AccountDisabled {
		t.Errorf("status: got %q, want disabled", got)
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, "not-a-uuid", linkhub.AccountActive, ""); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("unknown account: got %v, want %s", err, linkhub.ENOTFOUND)
	}
}

// TestAccountService_EnableWhileProfileBeingDisabled: an enable that runs
// while the profile is being disabled waits for that transaction and is
// refused, rather than reading the profile as still enabled and leaving an
// active account under a disabled profile. The profile's transaction skips
// the admin-disabled account, so only the profile's row lock orders the two.
func TestAccountService_EnableWhileProfileBeingDisabled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _, accounts, p, a := adminDisabledAccount(t)
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	var pid int
	if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `UPDATE profiles SET enabled = false WHERE id = $1`, p.ID); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountActive, "")
		done <- err
	}()
	// The enable must come to wait on the disabling transaction.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var waiting bool
		if err := db.Pool.QueryRow(ctx, `SELECT exists(SELECT FROM pg_stat_activity
			WHERE $1 = ANY(pg_blocking_pids(pid)))`, pid).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the enable finished (%v) while the profile was being disabled, want it to wait", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the enable neither waited nor finished within 30s")
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; linkhub.ErrorCode(err) != linkhub.ECONFLICT {
		t.Fatalf("enable after the profile was disabled: got %v, want %s", err, linkhub.ECONFLICT)
	}
	if got := mustStatus(t, accounts, a.ID); got != linkhub.AccountDisabled {
		t.Errorf("status: got %q, want disabled", got)
	}
}

// TestAccountService_RelinkKeepsInactive: new credentials for an account of
// a disabled profile are stored, but the account stays inactive until the
// profile is enabled again.
func TestAccountService_RelinkKeepsInactive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Jamf", nil)
	a := MustAccount(t, accounts, p.ID, "o1", nil)
	off := false
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	at := &linkhub.Attempt{ProfileID: p.ID, AccountID: a.ID, Kind: linkhub.AttemptRelink}
	if err := postgres.NewAttemptService(db, nil).CreateAttempt(ctx, at); err != nil {
		t.Fatal(err)
	}
	got, err := accounts.RelinkAccount(ctx, a.ID, map[string]string{"url": "https://new"}, nil, nil,
		linkhub.LinkAttempt{ID: at.ID, Actor: linkhub.Actor{Kind: "end_user", ID: "o1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != linkhub.AccountInactive || got.CredentialVersion != 2 {
		t.Fatalf("got %s at version %d, want inactive at version 2", got.Status, got.CredentialVersion)
	}
}

func mustStatus(t *testing.T, accounts interface {
	FindAccountByID(context.Context, string) (*linkhub.Account, error)
}, id string) string {
	t.Helper()
	a, err := accounts.FindAccountByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Status
}
