package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Queue is the outbox the worker takes deliveries from; *postgres.WebhookService is one.
type Queue interface {
	ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]linkhub.WebhookDelivery, error)
	FinishDelivery(ctx context.Context, d linkhub.WebhookDelivery, o linkhub.DeliveryOutcome, at time.Time) error
	ReleaseDeliveries(ctx context.Context, ds []linkhub.WebhookDelivery) error
	PruneEvents(ctx context.Context, before time.Time) (int, error)
}

// Options tune a Worker; zero fields take the defaults in brackets.
type Options struct {
	Timeout     time.Duration // of one delivery, connect to last body byte [10s]
	Poll        time.Duration // pause when nothing was due [1s]
	Batch       int           // deliveries claimed and in flight at once, over all endpoints [20]
	Concurrency int           // deliveries in flight at once to one endpoint [4]
	BaseDelay   time.Duration // before the first retry; doubles each time [30s]
	MaxDelay    time.Duration // longest pause between retries [1h]
	RetryFor    time.Duration // after the event, how long retries go on [24h]
	KeepFor     time.Duration // how long settled events and their log are kept [30 days]
	Now         func() time.Time
}

func (o *Options) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	set(&o.Timeout, 10*time.Second)
	set(&o.Poll, time.Second)
	set(&o.BaseDelay, 30*time.Second)
	set(&o.MaxDelay, time.Hour)
	set(&o.RetryFor, 24*time.Hour)
	set(&o.KeepFor, 30*24*time.Hour)
	if o.Batch <= 0 {
		o.Batch = 20
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// maxReceiverBody is how much of a receiver's answer is read (and thrown
// away) so the connection can be reused; the rest is cut off.
const maxReceiverBody = 64 << 10

// Worker delivers webhook events. Several workers, in one process or many,
// may share one queue.
type Worker struct {
	queue  Queue
	client *http.Client
	cfg    kit.Config
	log    *slog.Logger
	opts   Options
}

// NewWorker returns a worker that posts through the SSRF-safe client built
// for cfg (cfg.AllowPrivate opens loopback and private networks, as for the
// connectors) with opts.Timeout per delivery.
func NewWorker(queue Queue, cfg kit.Config, log *slog.Logger, opts Options) *Worker {
	opts.defaults()
	cfg.Timeout = opts.Timeout
	return &Worker{queue: queue, client: kit.NewClient(cfg), cfg: cfg, log: log, opts: opts}
}

// Run delivers until ctx ends. Each endpoint's deliveries run in a lane of
// their own, and Run claims more while lanes are busy, skipping their
// endpoints: a hanging or failing receiver holds up only its own events.
// When ctx ends, deliveries in flight finish (each is bounded by the
// timeout) and are recorded, and claimed ones not started are released, so
// a shutdown loses nothing and sends nothing twice; a killed process leaves
// its claims to expire.
func (w *Worker) Run(ctx context.Context) {
	var pruned time.Time
	failing := false // log a database outage once, and its end, not every poll
	l := newLanes()
	defer l.wg.Wait()
	for {
		if w.opts.Now().Sub(pruned) > time.Hour {
			// Every replica prunes; the deletes are idempotent and cheap.
			pruned = w.opts.Now()
			if err := w.Prune(ctx); err != nil && ctx.Err() == nil {
				w.log.Error("prune webhook events", "err", err)
			}
		}
		n, limit, err := w.claim(ctx, l)
		if err == nil {
			err = l.takeErr()
		}
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			w.log.Error("webhook deliveries stopped; retrying every poll", "err", err)
			failing = true
		case err == nil && failing && limit > 0:
			w.log.Info("webhook deliveries resumed")
			failing = false
		}
		if n == limit && limit > 0 && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-l.freed: // a lane ended: room to claim, and its endpoint is free
		case <-time.After(w.opts.Poll):
		}
	}
}

// Prune deletes the settled events older than KeepFor, with their log.
func (w *Worker) Prune(ctx context.Context) error {
	_, err := w.queue.PruneEvents(ctx, w.opts.Now().Add(-w.opts.KeepFor))
	return err
}

// RunOnce claims one batch of due deliveries, delivers them and records the
// outcomes; it returns how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	l := newLanes()
	n, _, err := w.claim(ctx, l)
	l.wg.Wait()
	if err != nil {
		return n, err
	}
	return n, l.takeErr()
}

// claim claims what due deliveries l has room for, on endpoints without
// one in flight, and starts a lane per endpoint; it returns how many it
// claimed and how many it asked for.
func (w *Worker) claim(ctx context.Context, l *lanes) (n, limit int, err error) {
	if ctx.Err() != nil {
		return 0, 0, nil
	}
	skip, inFlight := l.busy()
	limit = w.opts.Batch - inFlight
	if limit <= 0 {
		return 0, 0, nil
	}
	// The lease outlives a lane's whole claim with room to spare, so a slow
	// lane is never claimed twice while it runs.
	rounds := (w.opts.Batch + w.opts.Concurrency - 1) / w.opts.Concurrency
	lease := time.Duration(rounds+1)*w.opts.Timeout + 30*time.Second
	list, err := w.queue.ClaimDeliveries(ctx, w.opts.Now(), lease, limit, skip)
	if err != nil {
		return 0, limit, err
	}
	byEndpoint := map[string][]linkhub.WebhookDelivery{}
	var order []string
	for _, d := range list {
		if _, ok := byEndpoint[d.EndpointID]; !ok {
			order = append(order, d.EndpointID)
		}
		byEndpoint[d.EndpointID] = append(byEndpoint[d.EndpointID], d)
	}
	for _, id := range order {
		ds := byEndpoint[id]
		l.start(id, len(ds))
		l.wg.Go(func() {
			defer l.end(id, len(ds))
			l.fail(w.lane(ctx, ds))
		})
	}
	return len(list), limit, nil
}

// lane delivers one endpoint's claimed deliveries, Concurrency at a time,
// and records the outcomes.
func (w *Worker) lane(ctx context.Context, list []linkhub.WebhookDelivery) error {
	// In-flight deliveries are not cut short by ctx: a delivery the
	// receiver got must be recorded as such.
	run := context.WithoutCancel(ctx)
	sem := make(chan struct{}, w.opts.Concurrency)
	var wg sync.WaitGroup
	errs := make([]error, len(list)+1)
	for i, d := range list {
		// On shutdown no delivery starts: a lane after the signal could
		// outlast the shutdown timeout several times over. The rest are
		// handed back, due at once for another worker, not after the lease.
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			errs[len(list)] = w.queue.ReleaseDeliveries(run, list[i:])
			break
		}
		wg.Go(func() {
			defer func() { <-sem }()
			o := w.deliver(run, d)
			at := w.opts.Now()
			if !o.Delivered {
				o = w.retry(d, o, at)
			}
			errs[i] = w.queue.FinishDelivery(run, d, o, at)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// lanes are the endpoints a worker is delivering to, each apart.
type lanes struct {
	wg    sync.WaitGroup
	freed chan struct{} // a lane ended
	mu    sync.Mutex
	open  map[string]int // endpoint id → its deliveries claimed and not finished
	err   error          // the first failure to record an outcome since takeErr
}

func newLanes() *lanes {
	return &lanes{freed: make(chan struct{}, 1), open: map[string]int{}}
}

// busy returns the endpoints with a lane and how many deliveries they hold.
func (l *lanes) busy() (endpoints []string, deliveries int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, n := range l.open {
		endpoints = append(endpoints, id)
		deliveries += n
	}
	return endpoints, deliveries
}

func (l *lanes) start(endpoint string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open[endpoint] += n
}

func (l *lanes) end(endpoint string, n int) {
	l.mu.Lock()
	if l.open[endpoint] -= n; l.open[endpoint] <= 0 {
		delete(l.open, endpoint)
	}
	l.mu.Unlock()
	select {
	case l.freed <- struct{}{}:
	default: // one wake-up pending is enough
	}
}

func (l *lanes) fail(err error) {
	if err == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

func (l *lanes) takeErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.err
	l.err = nil
	return err
}

// deliver posts one event and says what came of it, but not when to retry.
func (w *Worker) deliver(ctx context.Context, d linkhub.WebhookDelivery) linkhub.DeliveryOutcome {
	ctx, cancel := context.WithTimeout(ctx, w.opts.Timeout)
	defer cancel()
	started := time.Now()
	o := linkhub.DeliveryOutcome{}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		o.Error = "The endpoint URL is not valid."
		return o
	}
	ts := w.opts.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Linkhub-Webhooks/1")
	req.Header.Set(HeaderEventID, d.EventID)
	req.Header.Set(HeaderEventType, d.EventType)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(d.Secret.Reveal(), ts, d.Body))
	req.Header.Set(HeaderAttempt, strconv.Itoa(d.Attempt))
	resp, err := w.client.Do(req)
	o.Latency = time.Since(started)
	if err != nil {
		host := d.URL
		if u, perr := url.Parse(d.URL); perr == nil {
			host = u.Host
		}
		o.Error = kit.NetFailure(err, host, w.cfg).Hint
		return o
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxReceiverBody))
	_ = resp.Body.Close()
	o.StatusCode = resp.StatusCode
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		o.Delivered = true
		return o
	}
	o.Error = fmt.Sprintf("The endpoint answered HTTP %d; only 2xx counts as received.", resp.StatusCode)
	return o
}

// retry sets when a failed delivery is tried again: the base delay doubled
// per attempt, capped, plus up to half again at random so that retries
// from many deliveries do not arrive in step. Past RetryFor after the event
// it is not tried again.
func (w *Worker) retry(d linkhub.WebhookDelivery, o linkhub.DeliveryOutcome, at time.Time) linkhub.DeliveryOutcome {
	next := at.Add(Backoff(d.Attempt, w.opts.BaseDelay, w.opts.MaxDelay))
	if next.After(d.CreatedAt.Add(w.opts.RetryFor)) {
		o.Error += " No more retries: the event is older than " + w.opts.RetryFor.String() + "."
		return o
	}
	o.NextAttemptAt = &next
	return o
}

// Backoff is the pause after failed attempt n (from 1): base·2ⁿ⁻¹ capped
// at max, plus a random 0–50 % of that.
func Backoff(n int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d + rand.N(d/2+1) // #nosec G404 -- retry jitter, not a secret
}
