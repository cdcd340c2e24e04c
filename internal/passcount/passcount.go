// Package passcount counts the passes of a background loop, for tests that
// assert nothing more happens: instead of a sleep that a slow machine
// outlasts, they wait until the loop has looked again and found nothing.
package passcount

import (
	"sync"
	"testing"
	"time"
)

// Counter counts passes; its zero value is ready. Any goroutine may call Add
// while others Wait.
type Counter struct {
	mu      sync.Mutex
	n       int
	changed chan struct{} // closed and replaced by Add; nil until a waiter needs it
}

// Add counts one pass and wakes the waiters.
func (c *Counter) Add() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// WaitMore waits for more passes than counted so far, and fails tb when they
// do not come within. A pass under way at the call may be among them: to
// wait for one that began after the call, ask for two.
func (c *Counter) WaitMore(tb testing.TB, more int, within time.Duration) {
	tb.Helper()
	c.mu.Lock()
	want := c.n + more
	c.mu.Unlock()
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		c.mu.Lock()
		got := c.n
		if got >= want {
			c.mu.Unlock()
			return
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-timeout.C:
			tb.Fatalf("%d of %d passes within %v", more-(want-got), more, within)
			return
		}
	}
}
