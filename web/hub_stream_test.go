package web_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/web"
)

// progressLine is one line of the hub's streamed answer.
type progressLine struct {
	Stage      string `json:"stage"`
	Status     string `json:"status"`
	HTTPStatus int    `json:"http_status"`
	HTML       string `json:"html"`
}

// postStream posts the form as hub.js does and returns the open answer.
func (e *hubEnv) postStream(t *testing.T, path, form string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/x-ndjson")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestHub_StreamedProgress: a post from hub.js hears each stage begin and end
// while the vendor is still answering, then gets the page a plain post gets.
func TestHub_StreamedProgress(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustBareProfile(t, "jamf", "Jamf") // no actions: the permissions stage is skipped
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	gate := make(chan struct{})
	env.jamf.SetGate(gate)
	defer env.jamf.SetGate(nil)

	lines := make(chan progressLine)
	resp := env.postStream(t, action, env.jamfForm(env.jamf.ClientSecret).Encode())
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Fatalf("got Content-Type %q, want application/x-ndjson", ct)
	}
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if strings.Contains(sc.Text(), env.jamf.ClientSecret) {
				t.Error("the client secret is in the stream")
			}
			var l progressLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Errorf("line %q: %v", sc.Text(), err)
				return
			}
			lines <- l
		}
	}()
	next := func(want string) progressLine {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("stream ended, want %s", want)
			}
			if got := l.Stage + ":" + l.Status; l.HTML == "" && got != want {
				t.Fatalf("got %s, want %s", got, want)
			}
			return l
		case <-time.After(10 * time.Second):
			t.Fatalf("no line in 10s, want %s", want)
		}
		return progressLine{}
	}
	// The token stage is seen running while the vendor holds its answer.
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
	if _, more := <-lines; more {
		t.Error("got a line after the page, want the end")
	}
	if n := len(env.allAccounts(t)); n != 1 {
		t.Errorf("got %d accounts, want 1", n)
	}
}

// TestHub_StreamedNoTest: an answer that runs no test (the limit is spent)
// is not streamed: hub.js gets the page with its status, as a plain post.
func TestHub_StreamedNoTest(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{PerSession: 1})
	env.MustProfile(t, "jamf", "Jamf")
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	form := env.jamfForm("wrong").Encode()
	env.postStream(t, action, form)
	resp := env.postStream(t, action, form)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("got %d %s, want 429 text/html", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
