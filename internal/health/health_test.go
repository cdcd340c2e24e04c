package health_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/health"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/passcount"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// env is a database with a Jamf profile and a fake Jamf Pro.
type env struct {
	db       *postgres.DB
	accounts *postgres.AccountService
	profiles *postgres.ProfileService
	profile  *linkhub.Profile
	jamf     *fake.Jamf
	checker  *health.Checker
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := pgtest.DB(t)
	k, _ := secret.GenerateKey()
	kr, err := secret.ParseKeyring("1:"+k, "1")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, accounts: postgres.NewAccountService(db, kr), jamf: fake.NewJamf(t)}
	profiles := postgres.NewProfileService(db, kr)
	e.profiles = profiles
	e.profile = &linkhub.Profile{ConnectorID: "jamf", Name: "Jamf", Enabled: true}
	if err := profiles.CreateProfile(context.Background(), linkhub.SystemActor, e.profile, nil); err != nil {
		t.Fatal(err)
	}
	// No test here waits for the vendor timeout: it is a bound that only a
	// failure reaches, TLS handshakes under -race on a busy machine included.
	reg := connector.NewRegistry(fake.Config(10*time.Second, e.jamf.Server.Server))
	e.checker = health.NewChecker(profiles, e.accounts, reg)
	return e
}

// account links an account to the fake Jamf Pro, last tested at tested.
func (e *env) account(t *testing.T, owner string, tested time.Time) *linkhub.Account {
	t.Helper()
	a := &linkhub.Account{ProfileID: e.profile.ID, OriginOwnerID: owner, OriginOwnerName: owner, LastTestedAt: &tested,
		Values: map[string]string{"url": e.jamf.URL, "client_id": e.jamf.ClientID}}
	if err := e.accounts.CreateAccount(context.Background(), a,
		map[string]secret.Value{"client_secret": secret.New(e.jamf.ClientSecret)}); err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *env) scheduler(interval time.Duration, now func() time.Time) *health.Scheduler {
	s := health.NewScheduler(e.accounts, e.checker, slog.New(slog.DiscardHandler), interval)
	s.Now = now
	return s
}

// statusEvents returns the account.status_changed events as "prev>new".
func (e *env) statusEvents(t *testing.T) []string {
	t.Helper()
	rows, _ := e.db.Pool.Query(context.Background(), `
		SELECT body->>'previous_status' || '>' || (body->>'status') FROM webhook_events
		WHERE type = 'account.status_changed' ORDER BY seq`)
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestScheduler_StatusTransitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now()
	a := e.account(t, "owner-1", now)
	s := e.scheduler(6*time.Hour, func() time.Time { return now })
	if n, _ := s.RunOnce(ctx); n != 0 {
		t.Fatalf("tested %d accounts tested just now, want 0", n)
	}
	steps := []struct {
		name           string
		down, revoked  bool
		status, reason string
	}{
		{"VendorDown", true, false, linkhub.AccountError, linkhub.ReasonVendorUnavailable},
		{"SecretRevoked", false, true, linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials},
		{"Recovered", false, false, linkhub.AccountActive, ""},
	}
	for _, st := range steps {
		e.jamf.SetDown(st.down)
		e.jamf.SetSecretRevoked(st.revoked)
		now = now.Add(7 * time.Hour) // past the interval and its jitter
		if n, err := s.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("%s: tested %d (%v), want 1", st.name, n, err)
		}
		got, err := e.accounts.FindAccountByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != st.status || got.StatusReason != st.reason {
			t.Fatalf("%s: got %s/%s, want %s/%s", st.name, got.Status, got.StatusReason, st.status, st.reason)
		}
		if got.CredentialVersion != a.CredentialVersion || got.LastTestedAt == nil || !got.LastTestedAt.After(*a.LastTestedAt) {
			t.Fatalf("%s: credential version %d, last tested %v", st.name, got.CredentialVersion, got.LastTestedAt)
		}
		if n, _ := s.RunOnce(ctx); n != 0 {
			t.Fatalf("%s: tested again at once, want the next test an interval later", st.name)
		}
	}
	want := "[active>error error>needs_relink needs_relink>active]"
	if got := fmt.Sprint(e.statusEvents(t)); got != want {
		t.Fatalf("got events %s, want %s", got, want)
	}
}

func TestScheduler_SkipsDisabled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	a := e.account(t, "owner-1", time.Now().Add(-24*time.Hour))
	if _, err := e.accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.scheduler(time.Hour, time.Now).RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("tested %d (%v), want 0 for a disabled account", n, err)
	}
}

// TestScheduler_TwoSchedulersShareWork: two schedulers on one database
// test each due account once between them.
func TestScheduler_TwoSchedulersShareWork(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	const accounts = 12
	for i := range accounts {
		e.account(t, fmt.Sprintf("owner-%d", i), time.Now().Add(-7*time.Hour))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 2 {
		s := e.scheduler(6*time.Hour, time.Now)
		s.Batch = 3
		wg.Go(func() {
			for {
				n, err := s.RunOnce(ctx)
				if err != nil {
					t.Error(err)
				}
				if n == 0 {
					return
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if total != accounts {
		t.Fatalf("claimed %d tests, want %d", total, accounts)
	}
	// Each test asks the fake for one token: twelve tests, twelve tokens.
	if got := e.jamf.TokenRequests(); got != accounts {
		t.Fatalf("the fake got %d token requests, want %d", got, accounts)
	}
	var untested int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE last_tested_at < now() - interval '1 hour'`).Scan(&untested); err != nil {
		t.Fatal(err)
	}
	if untested != 0 {
		t.Fatalf("%d accounts were not tested", untested)
	}
}

// TestScheduler_TwoReplicasOncePerInterval: two schedulers running their
// loops on one database, as two replicas do, test each account exactly once
// per interval. Over two intervals every account's last test moves on in
// each, and the fake Jamf Pro counts one token request per account per
// interval: at least once each and no more in total means once each.
func TestScheduler_TwoReplicasOncePerInterval(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const accounts, interval = 40, 6 * time.Hour
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	for i := range accounts {
		e.account(t, fmt.Sprintf("owner-%d", i), now.Add(-7*time.Hour))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	var loops [2]*passCounter
	for i := range loops {
		loops[i] = &passCounter{Claimer: e.accounts}
		s := health.NewScheduler(loops[i], e.checker, slog.New(slog.DiscardHandler), interval)
		s.Now, s.Poll, s.Batch = clock, 5*time.Millisecond, 3
		wg.Go(func() { s.Run(ctx) })
	}
	for round := 1; round <= 2; round++ {
		began := time.Now()
		want := round * accounts
		for deadline := time.Now().Add(20 * time.Second); e.jamf.TokenRequests() < want && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		// A doubled test comes from a claim that found an account due: once
		// each loop has made a claim since, which found nothing, every
		// earlier batch of that loop has finished and is counted.
		for _, l := range loops {
			l.empty.WaitMore(t, 2, 20*time.Second)
		}
		if got := e.jamf.TokenRequests(); got != want {
			t.Fatalf("interval %d: the fake got %d token requests in all, want %d", round, got, want)
		}
		var tested int
		if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE last_tested_at >= $1`, began).Scan(&tested); err != nil {
			t.Fatal(err)
		}
		if tested != accounts {
			t.Fatalf("interval %d: %d of %d accounts were tested", round, tested, accounts)
		}
		mu.Lock()
		now = now.Add(interval*11/10 + time.Minute) // past the interval and its jitter
		mu.Unlock()
	}
}

// passCounter counts a scheduler's claims that found nothing due: a loop
// claims again only after its batch's tests have finished.
type passCounter struct {
	health.Claimer
	empty passcount.Counter
}

func (c *passCounter) ClaimDueAccounts(ctx context.Context, now time.Time, interval, lease time.Duration, limit int) ([]string, error) {
	ids, err := c.Claimer.ClaimDueAccounts(ctx, now, interval, lease, limit)
	if err == nil && len(ids) == 0 {
		c.empty.Add()
	}
	return ids, err
}

func TestScheduler_ShutdownStartsNoMoreTests(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	now := time.Now()
	for i := range 3 {
		e.account(t, fmt.Sprintf("owner-%d", i), now.Add(-7*time.Hour))
	}
	e.jamf.SetSlow(200 * time.Millisecond)
	s := e.scheduler(6*time.Hour, func() time.Time { return now })
	s.Batch, s.Concurrency = 3, 1
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	for deadline := time.Now().Add(10 * time.Second); e.jamf.TokenRequests() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no test started within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if got := e.jamf.TokenRequests(); got != 1 {
		t.Fatalf("got %d tests after shutdown began with one running, want only that one", got)
	}
	var tested int
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE last_tested_at > $1`,
		now.Add(-time.Hour)).Scan(&tested); err != nil {
		t.Fatal(err)
	}
	if tested != 1 {
		t.Fatalf("%d accounts recorded a test, want the one running at shutdown", tested)
	}
	// The two never started are handed back: the next scheduler takes them
	// at once, not a lease or an interval later.
	if n, err := e.scheduler(6*time.Hour, func() time.Time { return now }).RunOnce(context.Background()); err != nil || n != 2 {
		t.Fatalf("the next scheduler tested %d (%v), want the 2 handed back", n, err)
	}
}

// TestScheduler_DeadSchedulerClaimRetakenAfterLease: a scheduler that
// claims accounts and dies before testing them (a killed process) holds
// them for the lease only; then another scheduler tests them, and sets their
// next test an interval on.
func TestScheduler_DeadSchedulerClaimRetakenAfterLease(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now()
	for i := range 3 {
		e.account(t, fmt.Sprintf("owner-%d", i), now.Add(-7*time.Hour))
	}
	const interval, lease = 6 * time.Hour, 15 * time.Minute
	ids, err := e.accounts.ClaimDueAccounts(ctx, now, interval, lease, 10)
	if err != nil || len(ids) != 3 {
		t.Fatalf("the dead scheduler claimed %d (%v), want 3", len(ids), err)
	}
	s := e.scheduler(interval, func() time.Time { return now })
	if s.Lease != lease {
		t.Fatalf("default lease %v, want %v", s.Lease, lease)
	}
	now = now.Add(lease - time.Second)
	if n, err := s.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("within the lease: tested %d (%v), want 0", n, err)
	}
	now = now.Add(2 * time.Second)
	if n, err := s.RunOnce(ctx); err != nil || n != 3 {
		t.Fatalf("after the lease: tested %d (%v), want 3", n, err)
	}
	if got := e.jamf.TokenRequests(); got != 3 {
		t.Fatalf("the fake got %d token requests, want 3", got)
	}
	for _, later := range []time.Duration{lease + time.Second, interval*9/10 - time.Second} {
		if n, err := e.scheduler(interval, func() time.Time { return now.Add(later) }).RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("%v after the tests: tested %d (%v), want 0 before the interval", later, n, err)
		}
	}
	if n, err := e.scheduler(interval, func() time.Time { return now.Add(interval * 11 / 10) }).RunOnce(ctx); err != nil || n != 3 {
		t.Fatalf("an interval after the tests: tested %d (%v), want 3", n, err)
	}
}
