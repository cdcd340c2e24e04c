package kit_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
)

// TestNewClient_GoroutinesPerCall: a call waiting on a slow vendor costs its
// caller, the connection's read and write loops, and (the server being in
// this process) the server's two: five goroutines. http.Client's own Timeout
// around a wrapping transport added two more per call.
func TestNewClient_GoroutinesPerCall(t *testing.T) {
	const calls = 50
	release := make(chan struct{})
	var arrived sync.WaitGroup
	arrived.Add(calls)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Done()
		<-release
	}))
	defer srv.Close()
	hc := kit.NewClient(fake.Config(10*time.Second, srv))
	before := runtime.NumGoroutine()
	var done sync.WaitGroup
	for range calls {
		done.Go(func() {
			resp, err := hc.Get(srv.URL)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		})
	}
	arrived.Wait()
	during := runtime.NumGoroutine() - before
	close(release)
	done.Wait()
	if limit := calls*5 + 10; during > limit {
		t.Fatalf("%d goroutines for %d calls in flight, want at most %d (five each)", during, calls, limit)
	}
}

// TestNewClient_TimeoutCoversBody: the timeout bounds the whole call, so a
// vendor that sends its headers and then stalls the body is cut off too.
func TestNewClient_TimeoutCoversBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"access_token":`))
		w.(http.Flusher).Flush()
		<-release
	}))
	defer srv.Close()
	defer close(release)
	hc := kit.NewClient(fake.Config(300*time.Millisecond, srv))
	start := time.Now()
	resp, err := hc.Get(srv.URL)
	if err != nil {
		t.Fatalf("headers: %v", err)
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("reading a stalled body: got %v, want the deadline", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("cut off after %v, want about the 300 ms timeout", took)
	}
}
