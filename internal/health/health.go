// Package health re-tests linked accounts: a Checker runs an account's
// connector test on its stored credentials and records the outcome, and a
// Scheduler has every account re-tested every interval, sharing the work
// among replicas.
package health

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

var _ linkhub.AccountTester = (*Checker)(nil)

// Connectors finds connectors by id; *connector.Registry is one.
type Connectors interface {
	Get(id string) (linkhub.Connector, bool)
}

// Checker tests stored accounts and records the results.
type Checker struct {
	profiles   linkhub.ProfileService
	accounts   linkhub.AccountService
	connectors Connectors
}

// NewChecker returns a Checker.
func NewChecker(profiles linkhub.ProfileService, accounts linkhub.AccountService, connectors Connectors) *Checker {
	return &Checker{profiles: profiles, accounts: accounts, connectors: connectors}
}

// TestAccount runs the account's connector test on its stored credentials
// and records the result: see linkhub.TestResultOf for the statuses, and
// AccountService.RecordTestResult for what is stored and which events fire.
func (c *Checker) TestAccount(ctx context.Context, actor *linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error) {
	a, err := c.accounts.FindAccountByID(ctx, id)
	if err != nil {
		return nil, linkhub.Report{}, err
	}
	conn, ok := c.connectors.Get(a.ConnectorID)
	if !ok {
		return nil, linkhub.Report{}, linkhub.Errorf(linkhub.EUNAVAILABLE,
			"The connector %q of this account is not available in this version.", a.ConnectorID)
	}
	in, err := linking.StoredTestInput(ctx, c.profiles, c.accounts, a)
	if err != nil {
		return nil, linkhub.Report{}, err
	}
	report := conn.Test(ctx, in)
	res := linkhub.TestResultOf(report, time.Now())
	res.CredentialVersion, res.Actor = a.CredentialVersion, actor
	a, err = c.accounts.RecordTestResult(ctx, id, res)
	return a, report, err
}

// Claimer hands out accounts due for a re-test and keeps their schedule;
// *postgres.AccountService is one.
type Claimer interface {
	ClaimDueAccounts(ctx context.Context, now time.Time, interval, lease time.Duration, limit int) ([]string, error)
	ScheduleTests(ctx context.Context, ids []string, at time.Time) error
}

// Scheduler re-tests accounts every Interval.
type Scheduler struct {
	claimer     Claimer
	tester      linkhub.AccountTester
	log         *slog.Logger
	Interval    time.Duration    // between two tests of an account
	Lease       time.Duration    // a claim's hold on an account, longer than a batch's tests [15m, at most Interval]
	Poll        time.Duration    // between two looks for due accounts [1m]
	Batch       int              // accounts claimed at once [20]
	Concurrency int              // tests at once [4]
	Now         func() time.Time // [time.Now]
}

// NewScheduler returns a scheduler that re-tests each account every
// interval (jittered ±10 % per account, so tests spread out).
func NewScheduler(claimer Claimer, tester linkhub.AccountTester, log *slog.Logger, interval time.Duration) *Scheduler {
	return &Scheduler{claimer: claimer, tester: tester, log: log, Interval: interval,
		Lease: min(15*time.Minute, interval), Poll: time.Minute, Batch: 20, Concurrency: 4, Now: time.Now}
}

// Run re-tests due accounts until ctx ends; tests running then finish, and
// no other starts.
func (s *Scheduler) Run(ctx context.Context) {
	for {
		n, err := s.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("scheduled account tests", "err", err)
		}
		if n == s.Batch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Poll):
		}
	}
}

// RunOnce claims one batch of due accounts and tests them; it returns how
// many it claimed. A failed test is a recorded result, not an error.
func (s *Scheduler) RunOnce(ctx context.Context) (int, error) {
	if ctx.Err() != nil {
		return 0, nil
	}
	ids, err := s.claimer.ClaimDueAccounts(ctx, s.Now(), s.Interval, s.Lease, s.Batch)
	if err != nil {
		return 0, err
	}
	run := context.WithoutCancel(ctx) // a started test is recorded, even on shutdown
	sem := make(chan struct{}, max(s.Concurrency, 1))
	var wg sync.WaitGroup
	for i, id := range ids {
		// On shutdown no test starts: a whole batch of tests after the
		// signal could outlast the shutdown timeout many times over. The
		// accounts not tested are handed back, due now, for the next
		// scheduler to take.
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			if err := s.claimer.ScheduleTests(run, ids[i:], s.Now()); err != nil {
				s.log.Error("hand back account tests", "accounts", len(ids[i:]), "err", err)
			}
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			s.test(run, id)
		})
	}
	wg.Wait()
	return len(ids), nil
}

// test tests one claimed account and sets its next test an interval on,
// whatever the outcome: an account that cannot be tested (its connector
// gone, its secrets unreadable) is not retried at every lease. If the
// database is what failed, the claim stays and the account is due again when
// the lease ends.
func (s *Scheduler) test(ctx context.Context, id string) {
	a, _, err := s.tester.TestAccount(ctx, nil, id)
	switch {
	case linkhub.ErrorCode(err) == linkhub.ENOTFOUND: // deleted meanwhile
		return
	case err != nil:
		s.log.Error("scheduled account test", "account_id", id, "err", err)
	default:
		s.log.Debug("scheduled account test", "account_id", id, "status", a.Status, "reason", a.StatusReason)
	}
	next := s.Now().Add(s.Interval*9/10 + rand.N(s.Interval/5+1)) // #nosec G404 -- schedule jitter, not a secret
	if err := s.claimer.ScheduleTests(ctx, []string{id}, next); err != nil {
		s.log.Error("schedule account test", "account_id", id, "err", err)
	}
}
