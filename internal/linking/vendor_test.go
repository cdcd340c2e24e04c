package linking_test

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// TestService_Submit_VendorTextUnstorable: a Jamf Pro whose version carries
// a NUL (\u0000 in its JSON) still links: the account keeps the version with
// the character replaced, and the attempt says so in a note. It was a 500
// ("unsupported Unicode escape sequence" from PostgreSQL).
func TestService_Submit_VendorTextUnstorable(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	e.jamf.Version = "11.7.1\x00-t1718024583"
	p, cs, handle := e.mustStart(t)
	out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
	if err != nil || out.Kind != linking.Linked {
		t.Fatalf("got %+v, %v, want linked", out, err)
	}
	stored, err := e.accounts.FindAccountByID(context.Background(), out.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stored.Metadata["jamf_version"], "11.7.1\uFFFD-t1718024583"; got != want {
		t.Errorf("got version %q, want %q", got, want)
	}
	attempts, err := e.attempts.FindAccountAttempts(context.Background(), out.Account.ID, 1)
	if err != nil || len(attempts) != 1 {
		t.Fatalf("got %d attempts (%v), want 1", len(attempts), err)
	}
	r := attempts[0].Report
	if attempts[0].Status != linkhub.AttemptSucceeded || len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "metadata jamf_version") ||
		!strings.Contains(r.Notes[0], "NUL or invalid UTF-8") {
		t.Errorf("got attempt %s with notes %q, want succeeded with a note naming the version", attempts[0].Status, r.Notes)
	}
	for _, s := range r.Stages {
		if !linkhub.ValidText(s.Hint) {
			t.Errorf("stage %s hint %q is not storable text", s.Name, s.Hint)
		}
	}
}

// TestService_Submit_VendorFlaky: a Jamf Pro answering 503 to every call
// (the token request's one retry included) fails the test at the token
// stage with the vendor-unavailable words, and nothing is stored.
func TestService_Submit_VendorFlaky(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	p, cs, handle := e.mustStart(t)
	e.jamf.SetDown(true)
	out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
	if err != nil || out.Kind != linking.Failed {
		t.Fatalf("got %+v, %v, want failed", out, err)
	}
	s, _ := out.Report.Failed()
	if s.Name != linkhub.StageToken || s.Reason != linkhub.ReasonVendorUnavailable ||
		!strings.Contains(s.Hint, "busy or unavailable right now. Try again in a few minutes.") {
		t.Errorf("got stage %+v, want the token stage failed with the vendor-unavailable words", s)
	}
	if n := len(e.allAccounts(t)); n != 0 {
		t.Fatalf("got %d accounts after a 503, want 0", n)
	}
}

// processFDs counts this process's open files and sockets.
func processFDs(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}

// TestService_Submit_VendorNeverAnswers submits 200 links to a Jamf Pro that
// never answers: each fails with the timeout words naming the configured
// bound, no sooner than the bound, nothing is stored, and afterwards the
// goroutines and open connections are back where they started. Not
// parallel: it counts the process's goroutines and files.
func TestService_Submit_VendorNeverAnswers(t *testing.T) {
	const bound = 200 * time.Millisecond
	e := mustEnvWith(t, envOptions{vendorTimeout: bound})
	p := e.mustProfile(t, "Jamf")
	const attempts, parallel = 200, 20
	type start struct {
		cs     *linkhub.ConnectSession
		handle string
	}
	// One hub session per attempt: a session runs one test at a time.
	work := make(chan start, attempts)
	for range attempts {
		cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "org-1", OriginOwnerName: "Org 1"})
		work <- start{cs, handle}
	}
	close(work)
	// Warm up the pools, then take the baseline.
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "org-1", OriginOwnerName: "Org 1"})
	if out, err := e.submit(t, cs, handle, p, e.jamfForm("wrong"), ""); err != nil || out.Kind != linking.Failed {
		t.Fatalf("warm-up: got %+v, %v", out, err)
	}
	e.jamf.SetSlow(-1)
	// The database pool keeps the connections the burst opened, by design:
	// they are not a leak.
	appFDs := func() int { return processFDs(t) - int(e.db.Pool.Stat().TotalConns()) }
	goroutines, fds := runtime.NumGoroutine(), appFDs()

	var wg sync.WaitGroup
	for range parallel {
		wg.Go(func() {
			for s := range work {
				began := time.Now()
				out, err := e.submit(t, s.cs, s.handle, p, e.jamfForm(e.jamf.ClientSecret), "")
				var st linkhub.Stage
				if err == nil && out.Kind == linking.Failed {
					st, _ = out.Report.Failed()
				}
				switch {
				case err != nil:
					t.Error(err)
				case st.Reason != linkhub.ReasonTimeout || !strings.Contains(st.Hint, "did not answer within 200ms"):
					t.Errorf("got %+v, want the timeout words", out)
				case time.Since(began) < bound:
					t.Errorf("got the timeout after %v, before the %v bound", time.Since(began), bound)
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if n := len(e.allAccounts(t)); n != 0 {
		t.Errorf("got %d accounts after timeouts, want 0", n)
	}
	// A leak grows with the attempts: one per attempt is 200. Keep-alive
	// connections to the vendor that the burst left idle (a handful of
	// goroutines and files each) are not one, and how many there are
	// depends on the machine's scheduling, so the slack is a tenth of the
	// attempts. They close as the transport lets them go: poll, for long.
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

// TestService_Submit_RetryTestsNothing: the retry of a submission that
// linked (its answer lost) finds the stored outcome without asking the
// vendor again.
func TestService_Submit_RetryTestsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p, cs, handle := e.mustStart(t)
	first, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
	if err != nil || first.Kind != linking.Linked {
		t.Fatalf("got %+v, %v, want linked", first, err)
	}
	tokens, requests := e.jamf.TokenRequests(), len(e.jamf.Requests())
	if cs, err = e.sessions.FindHubSession(ctx, handle); err != nil {
		t.Fatal(err)
	}
	again, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
	if err != nil || again.Kind != linking.Linked || again.Account.ID != first.Account.ID || again.Stored == nil {
		t.Fatalf("retry: got %+v, %v, want the first outcome", again, err)
	}
	if got, n := e.jamf.TokenRequests(), len(e.jamf.Requests()); got != tokens || n != requests {
		t.Errorf("the retry made %d token requests and %d calls, want none: it must not test again", got-tokens, n-requests)
	}
}

// TestService_Submit_DatabaseOutOfResources: PostgreSQL out of disk, memory
// or other resources (SQLSTATE class 53, raised by the real server from a
// trigger, as a full disk raises it from the insert) fails the link with
// an error that still carries the SQLSTATE (web answers it as "temporarily
// unavailable"), as does the creation of a connect session; nothing is
// stored.
func TestService_Submit_DatabaseOutOfResources(t *testing.T) {
	t.Parallel()
	for _, state := range []string{"53100", "53200", "53000"} {
		t.Run(state, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			e := mustEnv(t)
			p, cs, handle := e.mustStart(t)
			if _, err := e.db.Pool.Exec(ctx, `
				CREATE FUNCTION out_of_resources() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '`+state+`'; END $$;
				CREATE TRIGGER out_of_resources BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION out_of_resources();
				CREATE TRIGGER out_of_resources BEFORE INSERT ON connect_sessions FOR EACH ROW EXECUTE FUNCTION out_of_resources();`); err != nil {
				t.Fatal(err)
			}
			sqlState := func(err error) string {
				var pgErr interface{ SQLState() string }
				if !errors.As(err, &pgErr) {
					return ""
				}
				return pgErr.SQLState()
			}
			_, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
			if got := sqlState(err); got != state || linkhub.ErrorCode(err) != linkhub.EINTERNAL {
				t.Errorf("link: got %v (SQLSTATE %q), want an internal error carrying %s", err, got, state)
			}
			if n := len(e.allAccounts(t)); n != 0 {
				t.Errorf("got %d accounts, want none", n)
			}
			_, _, err = e.svc.CreateSession(ctx, linkhub.SystemActor, linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O"})
			if got := sqlState(err); got != state || linkhub.ErrorCode(err) != linkhub.EINTERNAL {
				t.Errorf("connect session: got %v (SQLSTATE %q), want an internal error carrying %s", err, got, state)
			}
		})
	}
}
