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
// The budget must also cover a TLS handshake, which under -race on a busy
// machine can take longer than any small figure: a call cut off before its
// headers proves nothing either way, so the budget doubles until the headers
// arrive in time. Only a client whose timeout misses the body reaches the
// server's own bound, and reads the body to its end without an error.
func TestNewClient_TimeoutCoversBody(t *testing.T) {
	const serverBound = 30 * time.Second
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"access_token":`))
		w.(http.Flusher).Flush()
		// Not on the request's end: a handler that returns ends the body
		// cleanly, which a client cut off at the same moment may read first.
		select {
		case <-release:
		case <-time.After(serverBound):
		}
	}))
	defer srv.Close()
	defer close(release)
	for budget := 250 * time.Millisecond; ; budget *= 2 {
		hc := kit.NewClient(fake.Config(budget, srv))
		start := time.Now()
		resp, err := hc.Get(srv.URL)
		if errors.Is(err, context.DeadlineExceeded) && budget < serverBound/4 {
			t.Logf("no headers within %v: trying twice the budget", budget)
			continue
		} else if err != nil {
			t.Fatalf("headers: %v", err)
		}
		_, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("reading a stalled body after %v: got %v, want the %v deadline", time.Since(start), err, budget)
		}
		return
	}
}
