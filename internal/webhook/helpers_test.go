package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/passcount"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/internal/webhook"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// private is the outbound policy of the tests: receivers run on loopback.
var private = kit.Config{AllowPrivate: true}

// clock is the time of the workers: real time moved forward by Set, so
// retries are tested without sleeping.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func newClock() *clock { return &clock{} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Set moves the clock to t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = time.Until(t)
}

// env is a database with one profile, and the services on it.
type env struct {
	db       *postgres.DB
	keys     *secret.Keyring
	hooks    *postgres.WebhookService
	accounts *postgres.AccountService
	profile  *linkhub.Profile
	clock    *clock
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := pgtest.DB(t)
	k, err := secret.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	kr, err := secret.ParseKeyring("1:"+k, "1")
	if err != nil {
		t.Fatal(err)
	}
	profiles := postgres.NewProfileService(db, kr)
	p := &linkhub.Profile{ConnectorID: "sophos", Name: "Sophos", Enabled: true}
	if err := profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	return &env{db: db, keys: kr, hooks: postgres.NewWebhookService(db, kr, webhook.URLChecker(private)),
		accounts: postgres.NewAccountService(db, kr), profile: p, clock: newClock()}
}

// endpoint registers url for events and returns its id and secret.
func (e *env) endpoint(t testing.TB, url string, events ...string) (string, string) {
	t.Helper()
	if len(events) == 0 {
		events = linkhub.WebhookEvents
	}
	w := &linkhub.Webhook{URL: url, Events: events}
	sec, err := e.hooks.CreateWebhook(context.Background(), linkhub.Actor{Kind: "system"}, w)
	if err != nil {
		t.Fatal(err)
	}
	return w.ID, sec
}

func (e *env) account(t testing.TB, owner string) *linkhub.Account {
	t.Helper()
	a := &linkhub.Account{ProfileID: e.profile.ID, OriginOwnerID: owner, OriginOwnerName: "Owner " + owner}
	if err := e.accounts.CreateAccount(context.Background(), a, nil); err != nil {
		t.Fatal(err)
	}
	return a
}

func (e *env) worker(opts webhook.Options) *webhook.Worker {
	opts.Now = e.clock.Now
	if opts.BaseDelay == 0 {
		opts.BaseDelay = time.Minute
	}
	return webhook.NewWorker(e.hooks, private, slog.New(slog.DiscardHandler), opts)
}

// claimCounter counts a worker's claims that found nothing due while none of
// its endpoint lanes was busy (nothing skipped): every delivery it claimed
// before has then finished.
type claimCounter struct {
	webhook.Queue
	empty passcount.Counter
}

func (q *claimCounter) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]linkhub.WebhookDelivery, error) {
	list, err := q.Queue.ClaimDeliveries(ctx, now, lease, limit, skip)
	if err == nil && len(list) == 0 && len(skip) == 0 {
		q.empty.Add()
	}
	return list, err
}

// received is one delivery a receiver got.
type received struct {
	Event  linkhub.Event
	Header http.Header
	Body   []byte
}

// receiver is an endpoint on loopback that records what it gets and answers
// with status(n) for the n-th request (from 1).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(n int, e linkhub.Event) int
}

func newReceiver(t testing.TB) *receiver {
	r := &receiver{status: func(int, linkhub.Event) int { return http.StatusNoContent }}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var ev linkhub.Event
		_ = json.Unmarshal(body, &ev)
		r.mu.Lock()
		r.got = append(r.got, received{Event: ev, Header: req.Header.Clone(), Body: body})
		n := len(r.got)
		status := r.status
		r.mu.Unlock()
		w.WriteHeader(status(n, ev))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) setStatus(f func(n int, e linkhub.Event) int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status = f
}

func (r *receiver) received() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// runOnce runs one batch and fails the test on an error.
func runOnce(t *testing.T, w *webhook.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
