// Package e2e drives the whole product in a real headless Chromium: the
// linkhub binary built from this tree, a real PostgreSQL, fake vendors on
// loopback.
package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"github.com/linkhub/linkhub/internal/logbuf"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects a server's log lines from its goroutines.
type syncBuffer = logbuf.Buffer

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Linkhub is a running linkhub process.
type Linkhub struct {
	URL   string
	Log   *syncBuffer
	DBURL string // its database, for tests that seed rows
	proc  *os.Process
	done  chan struct{} // closed when the process has exited
}

// startLinkhub runs the binary on its own database and waits for /readyz.
func startLinkhub(t *testing.T, env ...string) *Linkhub {
	t.Helper()
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	dbURL := pgtest.URL(t)
	cmd := exec.Command(binary, "serve")
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"LINKHUB_HOST=127.0.0.1",
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
				return &Linkhub{URL: base, Log: log, DBURL: dbURL, proc: cmd.Process, done: done}
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

// Browser is a headless Chromium with its console collected.
type Browser struct {
	Ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// newBrowser starts a fresh headless Chromium with an empty profile.
func newBrowser(t *testing.T, flags ...chromedp.ExecAllocatorOption) *Browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root
	}
	opts = append(opts, flags...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &Browser{Ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// Console returns the console messages seen so far.
func (b *Browser) Console() []chromedp.ConsoleMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), b.console...)
}
