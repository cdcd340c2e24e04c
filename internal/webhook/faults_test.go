package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/webhook"
)

// TestWorker_HangingEndpointDelaysOnlyItself: while one receiver hangs on
// every delivery (for the whole test: longer than the test waits), another
// endpoint gets every event, those claimed in the same round and one
// committed while the hanging lane is busy, without waiting for the hang.
func TestWorker_HangingEndpointDelaysOnlyItself(t *testing.T) {
	e := newEnv(t)
	hanging, healthy := newReceiver(t), newReceiver(t)
	release := make(chan struct{})
	hanging.setStatus(func(int, linkhub.Event) int {
		<-release
		return http.StatusNoContent
	})
	e.endpoint(t, hanging.URL)
	e.endpoint(t, healthy.URL)
	const accounts = 8 // 16 deliveries: more than one round of 4 at a time
	for i := range accounts {
		e.account(t, fmt.Sprintf("owner-%d", i))
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.worker(webhook.Options{Poll: 20 * time.Millisecond, Timeout: time.Minute}).Run(ctx)
		close(done)
	}()
	// The hang ends first: the worker waits for its lanes, the receivers
	// for their handlers.
	t.Cleanup(func() { close(release); stop(); <-done })

	// The wait is generous for -race on a loaded machine; the hang lasts
	// longer, so only a worker that does not wait for it passes.
	waitDelivered := func(want int) time.Duration {
		t.Helper()
		start := time.Now()
		for len(healthy.received()) < want {
			if time.Since(start) > 20*time.Second {
				t.Fatalf("the healthy endpoint got %d of %d events in 20 s while the other hung", len(healthy.received()), want)
			}
			time.Sleep(5 * time.Millisecond)
		}
		return time.Since(start)
	}
	first := waitDelivered(accounts)
	if len(hanging.received()) == 0 {
		t.Fatal("the hanging receiver got nothing: the test proves nothing")
	}
	committed := time.Now()
	e.account(t, "owner-late")
	waitDelivered(accounts + 1)
	late := time.Since(committed)
	t.Logf("healthy endpoint: %d events in %v, one committed later in %v, while the other endpoint hung", accounts, first, late)
	if late > 5*time.Second {
		t.Errorf("an event committed while the other endpoint hung took %v, want within 5 s", late)
	}
	if got := len(hanging.received()); got > 4 {
		t.Errorf("the hanging endpoint has %d deliveries in flight, want at most Concurrency (4)", got)
	}
}
