// Package e2e drives the whole product in a real headless Chromium: the
// linkhub binary built from this tree, a real PostgreSQL, fake vendors on
// loopback.
package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/logbuf"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/secret"
)

var binary string // the linkhub binary under test, built once

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "linkhub-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "linkhub")
	build := exec.Command("go", "build", "-o", binary, "github.com/linkhub/linkhub/cmd/linkhub")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build linkhub:", err)
		os.Exit(1)
	}
	code := pgtest.Main(m)
	stopChromium()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects a server's log lines from its goroutines.
type syncBuffer = logbuf.Buffer

// listener opens a listener on a free loopback port for a child process to
// inherit: never closed and reopened, the port cannot be taken meanwhile.
func listener(t *testing.T) (*os.File, int) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	return f, ln.Addr().(*net.TCPAddr).Port
}

// Linkhub is a running linkhub process.
type Linkhub struct {
	URL   string
	Log   *syncBuffer
	DBURL string // its database, for tests that seed rows
	// Keys is its encryption keyring, so tests can seal the secrets they
	// seed and read back what it stored.
	Keys *secret.Keyring
	proc *os.Process
	done chan struct{} // closed when the process has exited
}

// startLinkhub runs the binary on its own database and waits for /readyz.
func startLinkhub(t *testing.T, env ...string) *Linkhub {
	t.Helper()
	ln, port := listener(t)
	defer ln.Close() // the child has its own copy
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	dbURL := pgtest.URL(t)
	cmd := exec.Command(binary, "serve")
	cmd.ExtraFiles = []*os.File{ln} // its descriptor 3
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LINKHUB_LISTEN_FD=3",
		fmt.Sprintf("LINKHUB_PORT=%d", port),
		"LINKHUB_BASE_URL=" + base,
		"LINKHUB_DATABASE_URL=" + dbURL,
		"LINKHUB_DATA_DIR=" + t.TempDir(),
		"LINKHUB_LOG_FORMAT=json",
	}, env...)
	key, err := secret.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := secret.ParseKeyring("1:"+key, "1")
	if err != nil {
		t.Fatal(err)
	}
	sessionKey := make([]byte, 64)
	_, _ = rand.Read(sessionKey)
	cmd.Env = append(cmd.Env, "LINKHUB_ENCRYPTION_KEYS=1:"+key, "LINKHUB_ENCRYPTION_ACTIVE_KEY=1",
		"LINKHUB_SESSION_KEYS="+base64.StdEncoding.EncodeToString(sessionKey))
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("linkhub did not stop within 20s of SIGTERM")
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				checkOrigin(base)
				return &Linkhub{URL: base, Log: log, DBURL: dbURL, Keys: keys, proc: cmd.Process, done: done}
			}
		}
		select {
		case <-done:
			t.Fatalf("linkhub exited before ready: %v\n%s", waitErr, log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("linkhub not ready in 30s\n%s", log)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// chromiumPath finds Debian's Chromium. In CI a missing browser fails the
// run: browser tests are never skipped there.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("LINKHUB_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium not found: install the chromium package (.ci/run does)")
	}
	t.Skip("Chromium not found (apt-get install chromium fonts-liberation); set LINKHUB_CHROMIUM to its path")
	return ""
}

// chromium is the one browser process of the test binary: starting one costs
// seconds, a tab in a fresh browser context (its own cookies and storage)
// costs milliseconds. TestMain stops it.
var chromium struct {
	once sync.Once
	ctx  context.Context
	err  error
	stop func()
}

func startChromium(path string) (context.Context, error) {
	chromium.once.Do(func() {
		dir, err := os.MkdirTemp("", "linkhub-e2e-chromium-")
		if err != nil {
			chromium.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.UserDataDir(dir),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			// Site isolation off keeps cross-site frames in their page's
			// process, where chromedp reaches them (FromNode); the browser's
			// cross-site rules (CSP, cookies, postMessage) stay the same.
			chromedp.Flag("disable-site-isolation-trials", true),
			chromedp.Flag("site-per-process", false),
			chromedp.WindowSize(1280, 900),
		)
		if os.Geteuid() == 0 {
			opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		chromium.ctx, chromium.err = ctx, chromedp.Do(ctx)
		chromium.stop = func() { cancel(); cancelAlloc(); _ = os.RemoveAll(dir) }
	})
	return chromium.ctx, chromium.err
}

func stopChromium() {
	if chromium.stop != nil {
		chromium.stop()
	}
}

// Browser is one test's tab, in a browser context of its own, with its
// console collected. Any console error fails the test unless the test
// expects it (ExpectConsoleError).
type Browser struct {
	Ctx      context.Context
	mu       sync.Mutex
	console  []chromedp.ConsoleMessage
	expected []string
	more     chan struct{}   // closed and replaced at each console message
	flushes  int             // markers logged by flushConsole
	checked  map[string]bool // documents the screen checks have passed over
	view     *[2]int64       // the test's emulated window, if any
	presses  int             // keys pressed by tabTo, for the keyboard journey's count
}

// newBrowser opens a tab in a fresh browser context of the shared Chromium.
func newBrowser(t *testing.T) *Browser {
	t.Helper()
	root, err := startChromium(chromiumPath(t))
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	axeScript(t)
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
	// Two minutes: every screen also gets three axe and width checks, and
	// CI's two cores are shared.
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	b := &Browser{Ctx: ctx, more: make(chan struct{}), checked: map[string]bool{}}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			close(b.more)
			b.more = make(chan struct{})
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		b.checkScreens(t, true) // the screen the test ended on
		for _, m := range b.Console() {
			if (m.Type == "error" || m.Type == chromedp.ConsoleException) && !b.isExpected(m.Text+" "+m.URL) {
				t.Errorf("console: %s (%s)", m.Text, m.URL)
			}
		}
		cancelTimeout()
		cancel()
	})
	return b
}

// ExpectConsoleError lets console errors whose text or URL contains s
// through: the ones a test provokes on purpose, like a refused frame.
func (b *Browser) ExpectConsoleError(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.expected = append(b.expected, s)
}

func (b *Browser) isExpected(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.expected {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// waitConsole waits for a console message containing s.
func (b *Browser) waitConsole(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		b.mu.Lock()
		more := b.more
		for _, m := range b.console {
			if strings.Contains(m.Text, s) {
				b.mu.Unlock()
				return
			}
		}
		b.mu.Unlock()
		select {
		case <-more:
		case <-timeout:
			t.Fatalf("no console message with %q; got %v", s, b.Console())
		}
	}
}

// flushConsole waits until the page has nothing left to run before its next
// frame and idle time, then logs a marker and waits for it: the console
// messages arrive in order, so every one the page wrote before is in.
func (b *Browser) flushConsole(t *testing.T) {
	t.Helper()
	b.flushes++
	marker := fmt.Sprintf("e2e console flush %d", b.flushes)
	script := `new Promise(done => requestAnimationFrame(() => requestIdleCallback(() => { console.debug(` +
		strconv.Quote(marker) + `); done(true) })))`
	if _, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](script, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("flush the console: %v", err)
	}
	b.waitConsole(t, marker)
}

// Console returns the console messages seen so far.
func (b *Browser) Console() []chromedp.ConsoleMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), b.console...)
}
