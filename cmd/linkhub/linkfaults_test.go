package main

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// inFlight is how many users submit the hub form at once when a fault hits.
const inFlight = 20

// linkLoad is a Linkhub database with a Jamf profile, a slow fake Jamf, and
// users who each hold an open hub form of their own connect session.
type linkLoad struct {
	dbURL string
	env   map[string]string // of every Linkhub started on the database
	db    *postgres.DB
	jamf  *fake.Jamf
	users []*hubUser
}

// hubUser is one end user with the hub form as the browser holds it:
// posting it again is the browser's retry of the same submission.
type hubUser struct {
	ip     string
	owner  string
	action string // path of the form's action
	form   url.Values
}

func newLinkLoad(t *testing.T, dbURL string) *linkLoad {
	t.Helper()
	l := &linkLoad{dbURL: dbURL, jamf: fake.NewJamf(t)}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: l.jamf.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := testKeys(t, 1)
	l.env = map[string]string{"LINKHUB_DATABASE_URL": dbURL, "LINKHUB_ENCRYPTION_KEYS": keys,
		"LINKHUB_SESSION_KEYS": testSessionKey, "LINKHUB_ALLOW_PRIVATE_NETWORKS": "true",
		"LINKHUB_EXTRA_CA_FILE": ca, "LINKHUB_HEALTH_INTERVAL": "0",
		// Users come through a proxy, each from an address of their own:
		// the hub's limit of tests per address stays out of the way.
		"LINKHUB_TRUSTED_PROXIES": "127.0.0.1/32"}
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	l.db = db
	kr, err := secret.ParseKeyring(keys, "1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	p := &linkhub.Profile{ConnectorID: "jamf", Name: "Jamf", Enabled: true}
	if err := postgres.NewProfileService(db, kr).CreateProfile(ctx, linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	return l
}

// openForms gives inFlight users each a connect session and its hub form.
func (l *linkLoad) openForms(t *testing.T, base string) {
	t.Helper()
	_, key, err := postgres.NewAPIKeyService(l.db).CreateAPIKey(context.Background(), linkhub.SystemActor, "host")
	if err != nil {
		t.Fatal(err)
	}
	for i := range inFlight {
		u := &hubUser{owner: fmt.Sprint("owner-", i), ip: fmt.Sprint("203.0.113.", i+1)}
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/connect_sessions",
			strings.NewReader(`{"origin_owner_id":"`+u.owner+`","origin_owner_name":"Owner"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		status, body := get(t, req)
		var s struct{ URL string }
		if err := json.Unmarshal([]byte(body), &s); err != nil || status != http.StatusCreated {
			t.Fatalf("create session: got %d %s", status, body)
		}
		link, err := url.Parse(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		path := link.RequestURI()
		for range 2 { // the token's redirect to the hub, the hub's to its one form
			resp, err := noRedirect.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			path = resp.Header.Get("Location")
		}
		resp, err := noRedirect.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("form of %s: got %d %v", u.owner, resp.StatusCode, err)
		}
		form := doc.Find(`[data-testid="hub-form"]`)
		u.action = form.AttrOr("action", "")
		u.form = url.Values{"url": {l.jamf.URL}, "client_id": {l.jamf.ClientID}, "client_secret": {l.jamf.ClientSecret},
			"submission": {form.Find(`input[name="submission"]`).AttrOr("value", "")}}
		if u.action == "" || u.form.Get("submission") == "" {
			t.Fatalf("form of %s at %s: no action or submission id", u.owner, path)
		}
		l.users = append(l.users, u)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// outcome is what a user saw of one submission.
type outcome struct {
	status     int
	linked     bool // the success screen
	retryAfter string
	err        error  // no answer: the connection was cut
	page       string // what the page said, when it was not the success screen
}

func (u *hubUser) submit(base string) outcome {
	req, _ := http.NewRequest(http.MethodPost, base+u.action, strings.NewReader(u.form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", base)
	req.Header.Set("X-Forwarded-For", u.ip)
	resp, err := noRedirect.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	o := outcome{status: resp.StatusCode, linked: strings.Contains(string(body), `data-testid="success"`),
		retryAfter: resp.Header.Get("Retry-After"), err: err}
	if !o.linked {
		if doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body))); err == nil {
			o.page = strings.Join(strings.Fields(doc.Find("main").Text()), " ")
		}
		if o.page == "" {
			o.page = fmt.Sprintf("%d bytes: %.200s %v", len(body), body, resp.Header)
		}
	}
	return o
}

// submitAll posts every user's form at once and returns a channel of their
// outcomes, in user order, closed when all are in.
func (l *linkLoad) submitAll(base string) <-chan []outcome {
	out := make(chan []outcome, 1)
	go func() {
		got := make([]outcome, len(l.users))
		var wg sync.WaitGroup
		for i, u := range l.users {
			wg.Go(func() { got[i] = u.submit(base) })
		}
		wg.Wait()
		out <- got
	}()
	return out
}

// waitRunning waits until n link tests are pending in the database.
func (l *linkLoad) waitRunning(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var got int
		err := l.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM attempts WHERE status = 'pending'`).Scan(&got)
		if err == nil && got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d link tests running after 60 s (%v)", got, n, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// retryAll has every user post the same form again, at once, and counts
// the users refused as "already being tested" and the owners with more
// than one account.
func (l *linkLoad) retryAll(t *testing.T, base string) (linked, refused, duplicates int) {
	t.Helper()
	for i, o := range <-l.submitAll(base) {
		switch {
		case o.linked:
			linked++
		case o.status == http.StatusConflict:
			refused++
		default:
			t.Errorf("retry of %s: got %d %v %.300q, want the success screen", l.users[i].owner, o.status, o.err, o.page)
		}
	}
	if err := l.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT origin_owner_id FROM accounts
		GROUP BY origin_owner_id HAVING count(*) > 1) d`).Scan(&duplicates); err != nil {
		t.Fatal(err)
	}
	var accounts int
	if err := l.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts`).Scan(&accounts); err != nil {
		t.Fatal(err)
	}
	if refused > 0 || duplicates > 0 || accounts != len(l.users) {
		t.Errorf("retries: %d of %d users refused, %d owners with a duplicate account, %d accounts; want 0, 0, %d",
			refused, len(l.users), duplicates, accounts, len(l.users))
	}
	return linked, refused, duplicates
}

// TestRun_DatabaseRestartUnderLinks: PostgreSQL stops while 20 users wait
// for their link test, and starts again once each has been told it is
// unavailable; each user's retry of the same form, as soon as Linkhub is
// ready, links: none is refused as "already being tested", and no owner
// ends up with two accounts.
func TestRun_DatabaseRestartUnderLinks(t *testing.T) {
	cl := mustCluster(t)
	l := newLinkLoad(t, cl.URL())
	base, stop, out := startRun(t, l.env)
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("run returned %v", err)
		}
	}()
	l.openForms(t, base)
	l.jamf.SetSlow(time.Second) // each vendor call: the test takes about 2 s
	first := l.submitAll(base)
	l.waitRunning(t, inFlight)
	// Down until every test has ended, so that each ends in the outage.
	if err := cl.Stop(); err != nil {
		t.Fatal(err)
	}
	got := <-first
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	var ok, unavailable int
	for _, o := range got {
		switch {
		case o.linked:
			ok++
		case o.status == http.StatusServiceUnavailable:
			unavailable++
		}
	}
	l.jamf.SetSlow(0)
	waitReady(t, base, out)
	linked, refused, dups := l.retryAll(t, base)
	t.Logf("restart with %d links in flight: %d linked, %d answered 503; retries at once: %d linked, %d refused, %d duplicates",
		inFlight, ok, unavailable, linked, refused, dups)
}

// TestRun_KilledUnderLinks: Linkhub, a child process, is killed with
// SIGKILL while 20 users wait for their link test; each user's retry of
// the same form on the next Linkhub, at once, is tested and links: none
// is refused as "already being tested", and no owner has two accounts.
func TestRun_KilledUnderLinks(t *testing.T) {
	l := newLinkLoad(t, pgtest.URL(t))
	child := startChild(t, l.env)
	l.openForms(t, child.base)
	l.jamf.SetSlow(time.Second)
	first := l.submitAll(child.base)
	l.waitRunning(t, inFlight)
	if err := child.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-child.exited
	var cut int
	for _, o := range <-first {
		if o.err != nil {
			cut++
		}
	}
	l.jamf.SetSlow(0)
	next := startChild(t, l.env)
	linked, refused, dups := l.retryAll(t, next.base)
	t.Logf("SIGKILL with %d links in flight: %d cut off; retries at once on the next process: %d linked, %d refused, %d duplicates",
		inFlight, cut, linked, refused, dups)
}

// TestRun_ShutdownUnderLinks: SIGTERM with 20 link tests running that
// outlast LINKHUB_SHUTDOWN_TIMEOUT: a new submission is refused at once
// with 503 and a Retry-After, each running one answers (503, try again)
// before the process exits rather than being cut off, and every retry on
// the next Linkhub links once.
func TestRun_ShutdownUnderLinks(t *testing.T) {
	l := newLinkLoad(t, pgtest.URL(t))
	l.env["LINKHUB_SHUTDOWN_TIMEOUT"] = "2s"
	base, stop, _ := startRun(t, l.env)
	l.openForms(t, base)
	late := l.users[len(l.users)-1]
	l.users = l.users[:len(l.users)-1]
	l.jamf.SetSlow(3 * time.Second) // past the bound
	first := l.submitAll(base)
	l.waitRunning(t, len(l.users))
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	for {
		status, _ := get(t, mustRequest(base+"/readyz"))
		if status == http.StatusServiceUnavailable {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if o := late.submit(base); o.status != http.StatusServiceUnavailable || o.retryAfter == "" {
		t.Errorf("a submission while shutting down: got %d (Retry-After %q) %v, want 503 with Retry-After", o.status, o.retryAfter, o.err)
	}
	var answered int
	for i, o := range <-first {
		if o.err != nil {
			t.Errorf("%s: cut off without an answer: %v", l.users[i].owner, o.err)
		} else if o.linked || o.status == http.StatusServiceUnavailable && o.retryAfter != "" {
			answered++
		} else {
			t.Errorf("%s: got %d, want the success screen or 503 with Retry-After", l.users[i].owner, o.status)
		}
	}
	if err := <-stopped; err != nil {
		t.Errorf("run returned %v", err)
	}
	l.users = append(l.users, late)
	l.jamf.SetSlow(0)
	base, stop, _ = startRun(t, l.env)
	defer func() { _ = stop() }()
	linked, refused, dups := l.retryAll(t, base)
	t.Logf("SIGTERM (2 s bound) with %d links in flight: %d answered; retries: %d linked, %d refused, %d duplicates",
		len(l.users)-1, answered, linked, refused, dups)
}

func waitReady(t *testing.T, base string, out fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if status, _ := get(t, mustRequest(base+"/readyz")); status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready 30 s after PostgreSQL came back\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// child is `linkhub serve` in a process of its own: this test binary,
// running TestChildServe.
type child struct {
	cmd    *exec.Cmd
	base   string
	exited chan struct{}
}

// startChild starts Linkhub in a child process and waits until it is ready.
func startChild(t *testing.T, env map[string]string) *child {
	t.Helper()
	// The child gets a listener opened on port 0 as its descriptor 3, never
	// a port number closed here and hoped free there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	lnFile, err := ln.(*net.TCPListener).File()
	_ = ln.Close() // lnFile is a copy of the socket and keeps it open
	if err != nil {
		t.Fatal(err)
	}
	defer lnFile.Close()                                          // the child has its own copy
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildServe$") // #nosec G204 -- this test binary
	cmd.ExtraFiles = []*os.File{lnFile}
	cmd.Env = append(os.Environ(), "LINKHUB_TEST_CHILD=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "LINKHUB_LISTEN_FD=3", "LINKHUB_PORT="+fmt.Sprint(port), "LINKHUB_HOST=127.0.0.1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-exited:
			t.Fatal("the child Linkhub exited before it was ready")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the child Linkhub was not ready within 60 s")
		}
	}
	return &child{cmd: cmd, base: base, exited: exited}
}

// TestChildServe is Linkhub's serve command for startChild; it does
// nothing in a normal test run.
func TestChildServe(t *testing.T) {
	if os.Getenv("LINKHUB_TEST_CHILD") != "1" {
		t.Skip("runs only as a child process of the fault tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, []string{"serve"}, os.Getenv, nil, os.Stdout); err != nil {
		t.Fatal(err)
	}
}
