package passcount_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/passcount"
)

// TestCounter_WaitMore: a loop that keeps passing wakes its waiter.
func TestCounter_WaitMore(t *testing.T) {
	var c passcount.Counter
	c.Add()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				c.Add()
				runtime.Gosched()
			}
		}
	}()
	c.WaitMore(t, 2, time.Minute)
	close(done)
}

// fakeTB records a failure instead of ending the test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true }

// TestCounter_WaitMoreTimesOut: passes counted before the wait do not count.
func TestCounter_WaitMoreTimesOut(t *testing.T) {
	var c passcount.Counter
	tb := &fakeTB{TB: t}
	c.Add()
	c.WaitMore(tb, 1, 10*time.Millisecond)
	if !tb.failed {
		t.Fatal("no pass came, and WaitMore did not fail")
	}
}
