package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// twoProcesses opens two pools on one database, as two Linkhub processes
// do, and starts the account listener of the first; it returns both
// account services and their databases.
func twoProcesses(t *testing.T) (here, there *postgres.AccountService, hereDB, thereDB *postgres.DB) {
	t.Helper()
	url := pgtest.URL(t)
	open := func() *postgres.DB {
		db, err := postgres.Open(context.Background(), url, 4)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		return db
	}
	hereDB, thereDB = open(), open()
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	here, there = postgres.NewAccountService(hereDB, kr), postgres.NewAccountService(thereDB, kr)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { here.ListenAccountChanges(ctx, slog.New(slog.NewTextHandler(io.Discard, nil))); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the listener", func() bool { on, _ := hereDB.AccountCache(); return on })
	return here, there, hereDB, thereDB
}

// waitFor polls ok for up to 30 s: a change arrives within milliseconds,
// and only a lost one reaches the bound, even under -race on a busy machine.
func waitFor(t *testing.T, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > 30*time.Second {
			t.Fatalf("%s: not within 30 s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// TestAccountService_ListenAccountChanges: accounts read are kept in memory
// while the listener runs, and any change, by this process, another one or
// plain SQL, reaches the reader at once or within milliseconds.
func TestAccountService_ListenAccountChanges(t *testing.T) {
	ctx := context.Background()
	here, there, hereDB, thereDB := twoProcesses(t)
	profiles := postgres.NewProfileService(thereDB, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	a := MustAccount(t, there, p.ID, "o1", nil)
	status := func() string {
		got, err := here.FindAccountByID(ctx, a.ID)
		if linkhub.ErrorCode(err) == linkhub.ENOTFOUND {
			return "gone"
		} else if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	if s := status(); s != linkhub.AccountActive {
		t.Fatalf("got %s, want active", s)
	}
	if _, n := hereDB.AccountCache(); n != 1 {
		t.Fatalf("%d accounts cached after a read, want 1", n)
	}

	// Another process disables it.
	if _, err := there.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountDisabled, ""); err != nil {
		t.Fatal(err)
	}
	t.Logf("another process's change seen after %v", waitFor(t, "disabled", func() bool { return status() == linkhub.AccountDisabled }))

	// This process enables it: seen at once, without waiting for the announcement.
	if _, err := here.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountActive, ""); err != nil {
		t.Fatal(err)
	}
	if s := status(); s != linkhub.AccountActive {
		t.Errorf("this process's own change: got %s, want active at once", s)
	}

	// An operator's SQL.
	if _, err := thereDB.Pool.Exec(ctx, `UPDATE accounts SET status = 'needs_relink' WHERE id = $1`, a.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "needs_relink from SQL", func() bool { return status() == linkhub.AccountNeedsRelink })

	// A profile disabled elsewhere marks its accounts inactive.
	off := false
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "inactive with its profile", func() bool { return status() == linkhub.AccountInactive })

	if err := there.DeleteAccount(ctx, linkhub.SystemActor, a.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "deleted", func() bool { return status() == "gone" })
}

// TestAccountService_ListenerLost: while the listening connection is gone
// nothing is cached (a change could go unheard); the listener comes back on
// its own.
func TestAccountService_ListenerLost(t *testing.T) {
	ctx := context.Background()
	here, there, hereDB, thereDB := twoProcesses(t)
	p := MustProfile(t, postgres.NewProfileService(thereDB, MustKeyring(t, map[int]string{}, 1, 1)), "Partner", nil)
	a := MustAccount(t, there, p.ID, "o1", nil)
	if _, err := here.FindAccountByID(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := thereDB.Pool.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE query = 'LISTEN linkhub_account_changed' AND pid <> pg_backend_pid()`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the cache off", func() bool { on, n := hereDB.AccountCache(); return !on && n == 0 })
	if _, err := there.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountDisabled, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := here.FindAccountByID(ctx, a.ID); err != nil || got.Status != linkhub.AccountDisabled {
		t.Fatalf("without the listener: got %v, %v, want the disabled account from the database", got, err)
	}
	waitFor(t, "the listener back", func() bool { on, _ := hereDB.AccountCache(); return on })
	if _, err := there.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountActive, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "active after the listener came back", func() bool {
		got, err := here.FindAccountByID(ctx, a.ID)
		return err == nil && got.Status == linkhub.AccountActive
	})
}

// TestAccountService_NoListenerNoCache: without a listener every read goes
// to the database.
func TestAccountService_NoListenerNoCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	a := MustAccount(t, accounts, MustProfile(t, profiles, "Partner", nil).ID, "o1", nil)
	if _, err := accounts.FindAccountByID(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, n := db.AccountCache(); n != 0 {
		t.Errorf("%d accounts cached without a listener, want none", n)
	}
}

// TestAccountService_ScheduleNotAnnounced: moving an account's next test,
// which the scheduler does at every claim and test, is not announced as a
// change: no process's cache drops the account for it. Notifications come
// in commit order, so the first one heard after a schedule change and a
// status change of another account is the latter's.
func TestAccountService_ScheduleNotAnnounced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	scheduled, changed := MustAccount(t, accounts, p.ID, "o1", nil), MustAccount(t, accounts, p.ID, "o2", nil)
	// Disabled, changed is never claimed: only scheduled's schedule moves.
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, changed.ID, linkhub.AccountDisabled, ""); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `LISTEN linkhub_account_changed`); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = conn.Exec(ctx, `UNLISTEN *`) }() // the pool's connection goes back clean
	if ids, err := accounts.ClaimDueAccounts(ctx, time.Now().Add(time.Hour), time.Minute, time.Minute, 10); err != nil || len(ids) != 1 {
		t.Fatalf("claimed %v (%v), want %s", ids, err, scheduled.ID)
	}
	if err := accounts.ScheduleTests(ctx, []string{scheduled.ID}, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, changed.ID, linkhub.AccountActive, ""); err != nil {
		t.Fatal(err)
	}
	wait, cancel := context.WithTimeout(ctx, 30*time.Second) // only a lost notification waits this long
	defer cancel()
	n, err := conn.Conn().WaitForNotification(wait)
	if err != nil {
		t.Fatal(err)
	}
	if n.Payload != changed.ID {
		t.Fatalf("first notification for %s, want %s (the status change; %s was only scheduled)", n.Payload, changed.ID, scheduled.ID)
	}
}
