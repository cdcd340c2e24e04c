// Command bench measures Linkhub's hot paths against a bare echo baseline in
// the same run, on this machine, and writes BENCHMARKS.md. It starts every
// server itself, on loopback only, and every scenario is bounded in time and
// in count. Run it with `make bench`.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "-serve-baseline" {
		serveBaseline(os.Args[2])
		return
	}
	out := flag.String("out", "BENCHMARKS.md", "report file")
	duration := flag.Duration("duration", 10*time.Second, "time per scenario")
	maxReq := flag.Int("max-requests", 200000, "request cap per scenario")
	only := flag.String("only", "", "run only the scenarios whose name matches this regular expression (the baselines always run)")
	flag.Parse()
	selected, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: -only:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := bench(ctx, *out, *duration, *maxReq, selected); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// serveBaseline is the baseline: a bare echo handler answering 200 "ok".
func serveBaseline(port string) {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	_ = e.Start("127.0.0.1:" + port)
}

func bench(ctx context.Context, out string, duration time.Duration, maxReq int, selected *regexp.Regexp) error {
	tmp, err := os.MkdirTemp("", "linkhub-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	_ = os.Chmod(tmp, 0o755) // the cluster may run as another user

	fmt.Println("building linkhub")
	bin := filepath.Join(tmp, "linkhub")
	if err := runCmd(exec.Command("go", "build", "-o", bin, "github.com/linkhub/linkhub/cmd/linkhub")); err != nil {
		return err
	}
	cluster, err := postgres.NewCluster(filepath.Join(tmp, "pgdata"))
	if err != nil {
		return err
	}
	if err := cluster.Start(ctx); err != nil {
		return err
	}
	defer cluster.Stop()
	key, err := secret.GenerateKey()
	if err != nil {
		return err
	}
	sessionKey := make([]byte, 64)
	_, _ = rand.Read(sessionKey)
	var fakes cleanup
	defer fakes.run()
	vendor, vendorEnv, err := startVendor(&fakes, tmp)
	if err != nil {
		return err
	}
	// The hub's per-IP limit believes X-Forwarded-For from loopback: the
	// link scenarios are many users behind one proxy.
	env := append([]string{"LINKHUB_DATABASE_URL=" + cluster.URL(), "LINKHUB_ENCRYPTION_KEYS=1:" + key,
		"LINKHUB_SESSION_KEYS=" + base64.StdEncoding.EncodeToString(sessionKey),
		"LINKHUB_LOG_LEVEL=error", "LINKHUB_DB_MAX_CONNS=20", "LINKHUB_TRUSTED_PROXIES=127.0.0.1/32"}, vendorEnv...)

	baseline, err := startProcess(ctx, os.Args[0], []string{"-serve-baseline"}, nil, "/")
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	defer baseline.stop()

	// Start-up: the database is running; the first start applies migrations.
	var starts []time.Duration
	for i := range 6 {
		p, err := startProcess(ctx, bin, []string{"serve"}, env, "/readyz")
		if err != nil {
			return err
		}
		if i > 0 {
			starts = append(starts, p.ready)
		}
		p.stop()
	}
	slices.Sort(starts)

	lh, err := startProcess(ctx, bin, []string{"serve"}, env, "/readyz")
	if err != nil {
		return err
	}
	defer lh.stop()
	time.Sleep(time.Second)
	idle := rssKiB(lh.pid)

	keyring, err := secret.ParseKeyring("1:"+key, "1")
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cluster.URL(), 4)
	if err != nil {
		return err
	}
	defer db.Close()
	seeded, err := seed(ctx, db, keyring)
	if err != nil {
		return err
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	picker, err := hubPage(noFollow, lh.url, seeded.apiKey, "bench")
	if err != nil {
		return err
	}
	e := scenarioEnv{base: lh.url, pid: lh.pid, db: db, keys: keyring, seeded: seeded, vendor: vendor, duration: duration, maxReq: maxReq}

	get := func(base, path string) func(int, int) *http.Request {
		return func(int, int) *http.Request { r, _ := http.NewRequest(http.MethodGet, base+path, nil); return r }
	}
	baselineAt := map[int]float64{}
	var results []Result
	add := func(r Result) {
		r.Baseline = baselineAt[r.Concurrency]
		results = append(results, r)
		fmt.Printf("  %s: %.0f req/s, p99 %s, %d errors %s\n", r.Scenario, r.RPS(), ms(r.P99), r.Errors, r.Note)
	}
	for _, c := range []int{16, 32} {
		r := run(ctx, Load{Name: "baseline: bare echo GET /", Concurrency: c, Duration: duration, MaxRequests: maxReq,
			Make: get(baseline.url, "/")}, baseline.pid)
		baselineAt[c] = r.RPS()
		add(r)
	}
	scenarios := []Load{
		{Name: "GET /healthz", Concurrency: 32, Make: get(lh.url, "/healthz")},
		{Name: "GET /readyz (database ping)", Concurrency: 32, Make: get(lh.url, "/readyz")},
		{Name: "GET / (templ page render)", Concurrency: 32, Make: get(lh.url, "/")},
		{Name: "hub picker, live hub session (session lookup + settings + profiles + render)", Concurrency: 32,
			Make: func(int, int) *http.Request { r, _ := http.NewRequest(http.MethodGet, picker, nil); return r }},
	}
	for _, l := range scenarios {
		if !selected.MatchString(l.Name) {
			continue
		}
		l.Duration, l.MaxRequests = duration, maxReq
		fmt.Println("scenario:", l.Name)
		add(run(ctx, l, lh.pid))
	}

	if selected.MatchString("token") {
		fmt.Println("scenario: tokens (linking 10,000 accounts first)")
		tokens, err := tokenScenarios(ctx, e)
		if err != nil {
			return err
		}
		for _, r := range tokens {
			add(r)
		}
	}
	if selected.MatchString("link submission") {
		fmt.Println("scenario: link submissions")
		sessions := min(maxReq, int(duration.Seconds()*800))
		r, err := linkScenario(ctx, e, "hub link submission (test at a 0-latency vendor: token + 2 calls, seal, insert)", 16, sessions, duration)
		if err != nil {
			return err
		}
		add(r)
	}
	if selected.MatchString("1,000 link submissions") {
		// Each on a fresh process, so its peak RSS is this scenario's own;
		// the second shows what Go's soft memory limit does to it.
		for _, v := range []struct{ name, env string }{
			{"1,000 link submissions at once, vendor answers each call in 1 s", ""},
			{"1,000 link submissions at once, vendor answers each call in 1 s, GOMEMLIMIT=100MiB", "GOMEMLIMIT=100MiB"},
		} {
			fmt.Println("scenario:", v.name)
			r, err := inFlightScenario(ctx, e, bin, append(slices.Clone(env), v.env), v.name)
			if err != nil {
				return err
			}
			add(r)
		}
	}
	if selected.MatchString("account list") {
		fmt.Println("scenario: account list (storing 100,000 accounts first)")
		r, err := listScenario(ctx, e)
		if err != nil {
			return err
		}
		add(r)
	}
	return writeReport(out, results, starts, idle, rssKiB(lh.pid))
}

// inFlightScenario starts a Linkhub with env and sends it 1,000 link
// submissions at once while the vendor answers each call in 1 s.
func inFlightScenario(ctx context.Context, e scenarioEnv, bin string, env []string, name string) (Result, error) {
	p, err := startProcess(ctx, bin, []string{"serve"}, env, "/readyz")
	if err != nil {
		return Result{}, err
	}
	defer p.stop()
	e.base, e.pid = p.url, p.pid
	e.vendor.SetSlow(time.Second)
	defer e.vendor.SetSlow(0)
	return linkScenario(ctx, e, name, 1000, 1000, 2*time.Minute)
}

// proc is a started server.
type proc struct {
	cmd   *exec.Cmd
	pid   int
	url   string
	ready time.Duration
}

func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	_ = p.cmd.Wait()
}

// startProcess starts a server on a free loopback port and waits until
// readyPath answers 200, measuring how long that took.
func startProcess(ctx context.Context, bin string, args, env []string, readyPath string) (*proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	if len(args) == 1 && args[0] == "-serve-baseline" {
		args = append(args, port)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), append(env, "LINKHUB_HOST=127.0.0.1", "LINKHUB_PORT="+port)...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	url := "http://127.0.0.1:" + port
	for time.Since(start) < 30*time.Second {
		if resp, err := http.Get(url + readyPath); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return &proc{cmd: cmd, pid: cmd.Process.Pid, url: url, ready: time.Since(start)}, nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	_ = cmd.Process.Kill()
	return nil, fmt.Errorf("%s not ready within 30s", bin)
}

func runCmd(cmd *exec.Cmd) error {
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}
