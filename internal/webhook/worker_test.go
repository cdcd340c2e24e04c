package webhook_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/logbuf"
	"github.com/linkhub/linkhub/internal/webhook"
)

func TestWorker_DeliversSignedEvent(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	_, sec := e.endpoint(t, r.URL)
	a := e.account(t, "owner-1")
	if n := runOnce(t, e.worker(webhook.Options{})); n != 1 {
		t.Fatalf("claimed %d, want 1", n)
	}
	got := r.received()
	if len(got) != 1 {
		t.Fatalf("received %d, want 1", len(got))
	}
	h, ev := got[0].Header, got[0].Event
	if err := webhook.Verify(sec, h.Get(webhook.HeaderTimestamp), h.Get(webhook.HeaderSignature), got[0].Body, 5*time.Minute, time.Now()); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if ev.Type != linkhub.EventAccountCreated || ev.Account == nil || ev.Account.ID != a.ID || ev.ID == "" {
		t.Fatalf("got event %+v, want account.created of %s", ev, a.ID)
	}
	if h.Get(webhook.HeaderEventID) != ev.ID || h.Get(webhook.HeaderEventType) != ev.Type || h.Get(webhook.HeaderAttempt) != "1" {
		t.Fatalf("got headers %v", h)
	}
	if n := runOnce(t, e.worker(webhook.Options{})); n != 0 {
		t.Fatalf("claimed %d after delivery, want 0", n)
	}
}

// TestWorker_SurvivesRestart: a change committed while no worker runs is
// delivered by the next one, once.
func TestWorker_SurvivesRestart(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	e.endpoint(t, r.URL)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.worker(webhook.Options{Poll: 10 * time.Millisecond}).Run(ctx); close(done) }()
	stop()
	<-done

	a := e.account(t, "owner-1") // committed, nobody delivering
	w := e.worker(webhook.Options{})
	runOnce(t, w)
	runOnce(t, w)
	runOnce(t, e.worker(webhook.Options{}))
	got := r.received()
	if len(got) != 1 || got[0].Event.Account.ID != a.ID {
		t.Fatalf("received %d deliveries, want 1 of account %s", len(got), a.ID)
	}
}

func TestWorker_RetriesWithGrowingDelays(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	r.setStatus(func(n int, _ linkhub.Event) int {
		if n <= 3 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	id, _ := e.endpoint(t, r.URL)
	e.account(t, "owner-1")
	w := e.worker(webhook.Options{BaseDelay: time.Minute})
	var delays []time.Duration
	for attempt := 1; attempt <= 4; attempt++ {
		if n := runOnce(t, w); n != 1 {
			t.Fatalf("attempt %d: claimed %d, want 1", attempt, n)
		}
		if n := runOnce(t, w); n != 0 {
			t.Fatalf("attempt %d: claimed %d again before its time, want 0", attempt, n)
		}
		log, err := e.hooks.FindWebhookAttempts(context.Background(), id, 1)
		if err != nil {
			t.Fatal(err)
		}
		last := log[0]
		if last.Attempt != attempt {
			t.Fatalf("logged attempt %d, want %d", last.Attempt, attempt)
		}
		if attempt == 4 {
			if last.DeliveryStatus != linkhub.DeliveryDelivered || last.StatusCode != 200 || last.NextAttemptAt != nil {
				t.Fatalf("last attempt %+v, want delivered", last)
			}
			break
		}
		if last.StatusCode != 500 || last.Error == "" || last.NextAttemptAt == nil {
			t.Fatalf("attempt %d logged %+v, want a 500 with a next attempt", attempt, last)
		}
		d := last.NextAttemptAt.Sub(last.CreatedAt)
		base := time.Minute << (attempt - 1)
		if d < base-time.Millisecond || d > base*3/2+time.Millisecond {
			t.Fatalf("attempt %d: retry in %s, want %s to %s", attempt, d, base, base*3/2)
		}
		delays = append(delays, d)
		e.clock.Set(*last.NextAttemptAt)
	}
	if !(delays[0] < delays[1] && delays[1] < delays[2]) {
		t.Fatalf("delays %v do not grow", delays)
	}
	if got := len(r.received()); got != 4 {
		t.Fatalf("received %d, want 4", got)
	}
}

func TestWorker_GivesUpAfterRetryWindow(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	r.setStatus(func(int, linkhub.Event) int { return http.StatusServiceUnavailable })
	id, _ := e.endpoint(t, r.URL)
	e.account(t, "owner-1")
	w := e.worker(webhook.Options{BaseDelay: time.Hour, MaxDelay: 8 * time.Hour})
	start := e.clock.Now()
	for i := 0; i < 20; i++ {
		if runOnce(t, w) == 0 {
			break
		}
		log, _ := e.hooks.FindWebhookAttempts(context.Background(), id, 1)
		if log[0].NextAttemptAt == nil {
			if log[0].DeliveryStatus != linkhub.DeliveryFailed {
				t.Fatalf("final attempt %+v, want failed", log[0])
			}
			if e.clock.Now().Sub(start) > 24*time.Hour {
				t.Fatalf("still retrying %s after the event", e.clock.Now().Sub(start))
			}
			hooks, _ := e.hooks.FindWebhookByID(context.Background(), id)
			if hooks.Failed != 1 || hooks.Pending != 0 {
				t.Fatalf("endpoint counts failed=%d pending=%d, want 1 and 0", hooks.Failed, hooks.Pending)
			}
			return
		}
		e.clock.Set(*log[0].NextAttemptAt)
	}
	t.Fatal("the delivery never failed for good")
}

// TestWorker_OrderPerAccount: while an account's event is pending for an
// endpoint, its later events wait; other accounts' do not.
func TestWorker_OrderPerAccount(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	r.setStatus(func(n int, _ linkhub.Event) int {
		if n == 1 {
			return http.StatusBadGateway
		}
		return http.StatusOK
	})
	e.endpoint(t, r.URL)
	a := e.account(t, "owner-a")
	if _, err := e.accounts.SetAccountStatus(context.Background(), linkhub.SystemActor, a.ID, linkhub.AccountError, linkhub.ReasonTimeout); err != nil {
		t.Fatal(err)
	}
	b := e.account(t, "owner-b")
	w := e.worker(webhook.Options{Concurrency: 1})
	runOnce(t, w) // a's created fails; a's status_changed waits; b's created goes
	got := r.received()
	if len(got) != 2 || got[0].Event.Account.ID != a.ID || got[1].Event.Account.ID != b.ID {
		t.Fatalf("first round got %v, want a's failed created then b's created", types(got))
	}
	e.clock.Set(e.clock.Now().Add(2 * time.Minute))
	runOnce(t, w) // a's created again
	runOnce(t, w) // then a's status_changed
	got = r.received()
	want := []string{"account.created", "account.created", "account.created", "account.status_changed"}
	if fmt.Sprint(types(got)) != fmt.Sprint(want) || got[2].Event.Account.ID != a.ID {
		t.Fatalf("got %v, want %v", types(got), want)
	}
	if got[3].Event.PreviousStatus != linkhub.AccountActive || got[3].Event.Status != linkhub.AccountError {
		t.Fatalf("status_changed %+v, want active -> error", got[3].Event)
	}
}

func types(rs []received) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Event.Type)
	}
	return out
}

// TestWorker_TwoWorkersDeliverOnce: two workers on one database share the
// work and deliver each event exactly once when the receiver acknowledges.
func TestWorker_TwoWorkersDeliverOnce(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	e.endpoint(t, r.URL)
	const accounts, eventsEach = 10, 3
	for i := range accounts {
		a := e.account(t, fmt.Sprintf("owner-%d", i))
		if _, err := e.accounts.SetAccountStatus(context.Background(), linkhub.SystemActor, a.ID, linkhub.AccountError, "timeout"); err != nil {
			t.Fatal(err)
		}
		if err := e.accounts.DeleteAccount(context.Background(), linkhub.SystemActor, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var queues [2]*claimCounter
	for i := range queues {
		queues[i] = &claimCounter{Queue: e.hooks}
		w := webhook.NewWorker(queues[i], private, slog.New(slog.DiscardHandler),
			webhook.Options{Poll: 5 * time.Millisecond, Batch: 3, Concurrency: 2, Now: e.clock.Now, BaseDelay: time.Minute})
		wg.Go(func() { w.Run(ctx) })
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(r.received()) < accounts*eventsEach && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	// A duplicate comes from a claim: once each worker has made a claim
	// since, which found nothing, its earlier batches are all delivered.
	for _, q := range queues {
		q.empty.WaitMore(t, 2, 20*time.Second)
	}
	stop()
	wg.Wait()
	seen := map[string]int{}
	last := map[string]string{}
	order := map[string]string{"": "account.created", "account.created": "account.status_changed", "account.status_changed": "account.deleted"}
	for _, g := range r.received() {
		seen[g.Event.ID]++
		id := g.Event.Account.ID
		if order[last[id]] != g.Event.Type {
			t.Errorf("account %s: %s after %q", id, g.Event.Type, last[id])
		}
		last[id] = g.Event.Type
	}
	if len(seen) != accounts*eventsEach {
		t.Fatalf("got %d distinct events, want %d", len(seen), accounts*eventsEach)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
}

// TestWorker_PrunesSettledEvents: settled events older than KeepFor go,
// pending ones stay whatever their age.
func TestWorker_PrunesSettledEvents(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	e.endpoint(t, r.URL)
	e.account(t, "owner-1")
	runOnce(t, e.worker(webhook.Options{})) // delivered
	r.setStatus(func(int, linkhub.Event) int { return http.StatusInternalServerError })
	e.account(t, "owner-2")
	runOnce(t, e.worker(webhook.Options{})) // pending, retrying
	e.clock.Set(time.Now().Add(31 * 24 * time.Hour))
	if err := e.worker(webhook.Options{}).Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	var events, attempts int
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM webhook_events), (SELECT count(*) FROM webhook_attempts)`).Scan(&events, &attempts); err != nil {
		t.Fatal(err)
	}
	if events != 1 || attempts != 1 {
		t.Fatalf("got %d events and %d log lines, want the pending one's 1 and 1", events, attempts)
	}
}

// TestWorker_TakesOverAKilledWorkersClaim: a worker killed after claiming
// a delivery (it never records an outcome) holds it only for its lease;
// after that another worker delivers it, once.
func TestWorker_TakesOverAKilledWorkersClaim(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	e.endpoint(t, r.URL)
	e.account(t, "owner-1")
	const lease = 10 * time.Minute
	killed, err := e.hooks.ClaimDeliveries(context.Background(), e.clock.Now(), lease, 10, nil)
	if err != nil || len(killed) != 1 {
		t.Fatalf("the killed worker claimed %d (%v), want 1", len(killed), err)
	}
	w := e.worker(webhook.Options{})
	if n := runOnce(t, w); n != 0 {
		t.Fatalf("claimed %d during the killed worker's lease, want 0", n)
	}
	e.clock.Set(e.clock.Now().Add(lease + time.Second))
	if n := runOnce(t, w); n != 1 {
		t.Fatalf("claimed %d after the lease, want 1", n)
	}
	runOnce(t, w)
	got := r.received()
	if len(got) != 1 || got[0].Event.ID != killed[0].EventID {
		t.Fatalf("received %d deliveries, want the killed worker's event once", len(got))
	}
}

// TestWorker_ShutdownReleasesUnstarted: a worker stopped with a batch
// claimed finishes the delivery in flight and starts no other; the rest are
// delivered at once by the next worker, as their first attempt.
func TestWorker_ShutdownReleasesUnstarted(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	started, unblock := make(chan struct{}, 3), make(chan struct{})
	r.setStatus(func(int, linkhub.Event) int {
		started <- struct{}{}
		<-unblock
		return http.StatusNoContent
	})
	e.endpoint(t, r.URL)
	for i := range 3 { // three accounts: their events need no order among them
		e.account(t, fmt.Sprintf("owner-%d", i))
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.worker(webhook.Options{Batch: 3, Concurrency: 1}).Run(ctx); close(done) }()
	<-started
	stop()
	close(unblock)
	<-done
	if got := len(r.received()); got != 1 {
		t.Fatalf("received %d deliveries from the stopped worker, want the one in flight", got)
	}
	if n := runOnce(t, e.worker(webhook.Options{})); n != 2 {
		t.Fatalf("the next worker claimed %d, want the 2 released at once", n)
	}
	for _, got := range r.received()[1:] {
		if a := got.Header.Get(webhook.HeaderAttempt); a != "1" {
			t.Fatalf("a released delivery arrived as attempt %s, want 1", a)
		}
	}
}

// outage is a queue whose first claims fail, as while the database is down.
type outage struct {
	webhook.Queue
	mu    sync.Mutex
	fails int
}

func (q *outage) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]linkhub.WebhookDelivery, error) {
	q.mu.Lock()
	down := q.fails > 0
	q.fails--
	q.mu.Unlock()
	if down {
		return nil, fmt.Errorf("connect: connection refused")
	}
	return q.Queue.ClaimDeliveries(ctx, now, lease, limit, skip)
}

// TestWorker_OutageLoggedOnce: polling through a database outage logs its
// start and its end once each, not every poll, and delivers afterwards.
func TestWorker_OutageLoggedOnce(t *testing.T) {
	e := newEnv(t)
	r := newReceiver(t)
	e.endpoint(t, r.URL)
	e.account(t, "owner-1")
	var logs logbuf.Buffer
	w := webhook.NewWorker(&outage{Queue: e.hooks, fails: 20}, private, slog.New(slog.NewTextHandler(&logs, nil)),
		webhook.Options{Poll: time.Millisecond, Now: e.clock.Now})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(r.received()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if len(r.received()) != 1 {
		t.Fatalf("received %d after the outage, want 1", len(r.received()))
	}
	out := logs.String()
	if n, m := strings.Count(out, "webhook deliveries stopped"), strings.Count(out, "webhook deliveries resumed"); n != 1 || m != 1 {
		t.Errorf("logged the outage %d times and its end %d times, want once each:\n%s", n, m, out)
	}
}
