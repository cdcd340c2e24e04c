package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// progressLine is one line of the hub's streamed answer.
type progressLine struct {
	Stage      string `json:"stage"`
	Status     string `json:"status"`
	HTTPStatus int    `json:"http_status"`
	HTML       string `json:"html"`
}

// hubaWait is how long a stream test waits for what the server has already
// been told to send: long, for a loaded machine under -race.
const hubaWait = 30 * time.Second

// hubaPostStream posts the form as hub.js does and returns the open answer,
// closed when the test ends. An answer whose headers do not come in
// hubaWait fails the test: a stream that is not flushed would otherwise
// hang it, its handler waiting on the test and the test on the headers.
func (e *mockEnv) hubaPostStream(t *testing.T, path, form string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+path, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/x-ndjson")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	timer := time.AfterFunc(hubaWait, cancel)
	resp, err := e.client.Do(req)
	timer.Stop()
	if err != nil {
		t.Fatalf("no answer in %v: %v", hubaWait, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestHub_StreamedProgress: a post from hub.js hears each stage begin and
// end while the test still runs (the service holds the token stage and the
// version call until the test has read the line before), then gets the page
// a plain post gets, and nothing after it. The stream never shows the
// secret. The stages a Jamf Pro test reports are the connector's
// (TestRecorder_Observer, the engine's Jamf tests).
func TestHub_StreamedProgress(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.hidden = append(e.hidden, hubaSecret)
	cs := e.withHubSession(nil)
	p := hubaProfile("p1", "jamf", "Jamf")
	e.hubaOffer(nil, p)
	gate := make(chan struct{})
	subs := e.hubaSubmit(func(ctx context.Context, _ linking.Submission) (*linking.Outcome, error) {
		observe := linkhub.StageObserverFrom(ctx)
		hold := func() error { // as the vendor holding its answer
			select {
			case <-gate:
				return nil
			case <-ctx.Done(): // the test gave up and closed the stream
				return ctx.Err()
			}
		}
		for _, s := range []linkhub.StageName{linkhub.StageValidate, linkhub.StageAddress} {
			observe(s, linkhub.StatusRunning)
			observe(s, linkhub.StatusPassed)
		}
		observe(linkhub.StageToken, linkhub.StatusRunning)
		if err := hold(); err != nil {
			return nil, err
		}
		observe(linkhub.StageToken, linkhub.StatusPassed)
		observe(linkhub.StageVerify, linkhub.StatusRunning)
		if err := hold(); err != nil {
			return nil, err
		}
		observe(linkhub.StageVerify, linkhub.StatusPassed)
		observe(linkhub.StagePermissions, linkhub.StatusRunning)
		observe(linkhub.StagePermissions, linkhub.StatusSkipped)
		return &linking.Outcome{Kind: linking.Linked, Account: hubaAccount(p), Report: hubaJamfReport(nil)}, nil
	})

	typed := hubaJamfForm(hubaSecret)
	resp := e.hubaPostStream(t, "/hub/"+mockHubHandle+"/profiles/p1/connect", typed.Encode())
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Fatalf("got Content-Type %q, want application/x-ndjson", ct)
	}
	// Buffered for every line, so the reader never waits on a test that
	// has stopped reading.
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	next := func(want string) progressLine {
		t.Helper()
		select {
		case raw, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended, want %s", want)
			}
			if strings.Contains(raw, hubaSecret) {
				t.Error("the client secret is in the stream")
			}
			var l progressLine
			if err := json.Unmarshal([]byte(raw), &l); err != nil {
				t.Fatalf("line %q: %v", raw, err)
			}
			if got := l.Stage + ":" + l.Status; l.HTML == "" && got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
			return l
		case <-time.After(hubaWait):
			t.Fatalf("no line in %v, want %s", hubaWait, want)
		}
		return progressLine{}
	}
	// The token stage is seen running while the service holds it.
	for _, want := range []string{"validate:running", "validate:passed", "address:running", "address:passed", "token:running"} {
		next(want)
	}
	gate <- struct{}{} // the token
	next("token:passed")
	next("verify:running")
	gate <- struct{}{} // the version
	next("verify:passed")
	next("permissions:running")
	next("permissions:skipped")
	last := next("page")
	if last.HTML == "" || last.HTTPStatus != http.StatusOK {
		t.Fatalf("got last line %+v, want the page with 200", last)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(last.HTML))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Errorf("got page %q, want the success screen", last.HTML)
	}
	select {
	case raw, more := <-lines:
		if more {
			t.Errorf("got line %q after the page, want the end", raw)
		}
	case <-time.After(hubaWait):
		t.Errorf("the stream is still open %v after the page, want the end", hubaWait)
	}
	if got := subs.all(); len(got) != 1 {
		t.Errorf("the service got %d submissions, want 1", len(got))
	} else {
		hubaCheckSubmission(t, got[0], cs, mockHubHandle, p, typed)
	}
}

// TestHub_StreamedNoTest: an answer that runs no test (the limit is spent)
// is not streamed: hub.js gets the page with its status, as a plain post.
func TestHub_StreamedNoTest(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{HubLimits: web.HubLimits{PerSession: 1}})
	e.withHubSession(nil)
	e.hubaOffer(nil, hubaProfile("p1", "jamf", "Jamf"))
	e.hubaSubmit(func(ctx context.Context, sub linking.Submission) (*linking.Outcome, error) {
		if !sub.Allow() {
			return &linking.Outcome{Kind: linking.Limited}, nil
		}
		observe := linkhub.StageObserverFrom(ctx)
		observe(linkhub.StageToken, linkhub.StatusRunning)
		observe(linkhub.StageToken, linkhub.StatusFailed)
		return &linking.Outcome{Kind: linking.Failed, Report: hubaJamfReport(hubaTokenRefused())}, nil
	})
	path, form := "/hub/"+mockHubHandle+"/profiles/p1/connect", hubaJamfForm("wrong").Encode()
	first := e.hubaPostStream(t, path, form)
	if ct := first.Header.Get("Content-Type"); first.StatusCode != http.StatusOK || ct != "application/x-ndjson" {
		t.Errorf("first: got %d %s, want the test streamed", first.StatusCode, ct)
	}
	if _, err := io.Copy(io.Discard, first.Body); err != nil {
		t.Fatal(err)
	}
	resp := e.hubaPostStream(t, path, form)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("got %d %s, want 429 text/html", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Find(`[role="alert"]`).Text(), "Too many attempts") {
		t.Errorf("got %q, want the form saying there were too many attempts", doc.Find("main").Text())
	}
}
