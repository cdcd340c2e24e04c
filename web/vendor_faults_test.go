package web_test

import (
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/web"
)

// openFDs counts this process's open files and sockets.
func openFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// submit posts the Jamf form from inside the hub and returns the page.
func (e *hubEnv) submit(path, secretValue string) (int, string, error) {
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(e.jamfForm(secretValue).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestHub_VendorNeverAnswers submits 200 links to a Jamf Pro that never
// answers: each user gets the timeout message naming the configured bound,
// no sooner than the bound, and afterwards the goroutines and open
// connections are back where they started.
func TestHub_VendorNeverAnswers(t *testing.T) {
	const bound = 200 * time.Millisecond
	env := mustHubEnvTimeout(t, web.HubLimits{PerSession: 1000, PerIP: 1000}, bound)
	p := env.MustProfile(t, "jamf", "Jamf")
	const attempts, parallel = 200, 20
	// One hub session per attempt: a session runs one test at a time.
	work := make(chan string, attempts)
	for range attempts {
		work <- env.MustOpen(t, env.MustToken(t, nil)) + "/profiles/" + p.ID + "/connect"
	}
	close(work)
	// Warm up the pools, then take the baseline.
	if status, _, err := env.submit(env.MustOpen(t, env.MustToken(t, nil))+"/profiles/"+p.ID+"/connect", "wrong"); err != nil || status != http.StatusOK {
		t.Fatalf("warm-up: got %d %v", status, err)
	}
	env.jamf.SetSlow(-1)
	env.client.CloseIdleConnections()
	// The database pool keeps the connections the burst opened, by design:
	// they are not a leak. One submit warmed up few of them.
	appFDs := func() int { return openFDs(t) - int(env.db.Pool.Stat().TotalConns()) }
	goroutines, fds := runtime.NumGoroutine(), appFDs()

	var wg sync.WaitGroup
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for action := range work {
				start := time.Now()
				status, body, err := env.submit(action, env.jamf.ClientSecret)
				switch {
				case err != nil:
					t.Error(err)
				case status != http.StatusOK || !strings.Contains(body, "did not answer within 200ms"):
					t.Errorf("got %d without the timeout message", status)
				case time.Since(start) < bound:
					t.Errorf("got the timeout after %v, before the %v bound", time.Since(start), bound)
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if n := len(env.allAccounts(t)); n != 0 {
		t.Errorf("got %d accounts after timeouts, want 0", n)
	}
	env.client.CloseIdleConnections()
	// A leak grows with the attempts: one per attempt is 200. Keep-alive
	// connections that the burst left idle (a handful of goroutines and
	// files each) are not one, and how many there are depends on the
	// machine's scheduling, so the slack is a tenth of the attempts.
	const slack = attempts / 10
	deadline := time.Now().Add(10 * time.Second)
	for (runtime.NumGoroutine() > goroutines+slack || appFDs() > fds+slack) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if g, f := runtime.NumGoroutine(), appFDs(); g > goroutines+slack || f > fds+slack {
		buf := make([]byte, 1<<20)
		t.Errorf("after %d timed-out attempts: %d goroutines (was %d), %d open files (was %d)\n%s",
			attempts, g, goroutines, f, fds, buf[:runtime.Stack(buf, true)])
	}
}

// TestHub_VendorFlaky links against a Jamf Pro answering 503 to every call
// (the token request's one retry included): the user reads that the vendor
// is unavailable and to try again, and nothing is stored.
func TestHub_VendorFlaky(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	p := env.MustProfile(t, "jamf", "Jamf")
	action := env.MustOpen(t, env.MustToken(t, nil)) + "/profiles/" + p.ID + "/connect"
	env.jamf.SetDown(true)
	status, body, err := env.submit(action, env.jamf.ClientSecret)
	if err != nil || status != http.StatusOK || !strings.Contains(body, "busy or unavailable right now. Try again in a few minutes.") {
		t.Fatalf("got %d %v, want the vendor-unavailable message", status, err)
	}
	if n := len(env.allAccounts(t)); n != 0 {
		t.Fatalf("got %d accounts after a 503, want 0", n)
	}
}
