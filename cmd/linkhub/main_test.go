package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/logbuf"
	"github.com/linkhub/linkhub/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// testSessionKey is 64 bytes of base64, a valid LINKHUB_SESSION_KEYS.
var testSessionKey = base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 64))

// syncBuffer collects a server's log lines from its goroutines.
type syncBuffer = logbuf.Buffer

// listenFD opens a listener on a free loopback port and hands it to run
// through env (LINKHUB_LISTEN_FD, and LINKHUB_PORT naming its port): never
// closed and reopened, the port cannot be taken by another process
// meanwhile. run owns the descriptor from then on; one that run fails before
// taking stays open until the test binary exits.
func listenFD(t *testing.T, env map[string]string) int {
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
	defer f.Close()
	syscall.ForkLock.RLock() // no child started meanwhile inherits it
	fd, err := syscall.Dup(int(f.Fd()))
	if err == nil {
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	env["LINKHUB_LISTEN_FD"], env["LINKHUB_PORT"], env["LINKHUB_HOST"] = strconv.Itoa(fd), strconv.Itoa(port), "127.0.0.1"
	return port
}

// startRun calls run in the background and waits for /readyz. It returns the
// base URL and a function that stops run and returns its error.
func startRun(t *testing.T, env map[string]string) (string, func() error, *syncBuffer) {
	t.Helper()
	port := listenFD(t, env)
	if env["LINKHUB_DATABASE_URL"] != "" && env["LINKHUB_SESSION_KEYS"] == "" {
		env["LINKHUB_SESSION_KEYS"] = testSessionKey
	}
	if env["LINKHUB_DATABASE_URL"] != "" && env["LINKHUB_ENCRYPTION_KEYS"] == "" {
		env["LINKHUB_ENCRYPTION_KEYS"] = testKeys(t, 1)
	}
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, out) }()
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("run stopped before ready: %v\n%s", err, out)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("not ready in time\n%s", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("run did not return within 30s of cancel")
		}
	}
	return base, stop, out
}

func TestRun_Serve(t *testing.T) {
	base, stop, out := startRun(t, map[string]string{"LINKHUB_DATABASE_URL": pgtest.URL(t), "LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1),
		"LINKHUB_PPROF_ADDR": "127.0.0.1:0"})
	// Port 0 takes a free port, which the log names.
	m := regexp.MustCompile(`served on (127\.0\.0\.1:[1-9][0-9]*)/debug/pprof/`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no profiling address in the log:\n%s", out)
	}
	pprofAddr := m[1]

	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/": 200, "/missing": 404} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: got %d, want %d", path, resp.StatusCode, want)
		}
	}
	// Profiles on their own loopback listener, never on the main one; never
	// the command line, whose flags may carry the encryption keys.
	for url, want := range map[string]int{"http://" + pprofAddr + "/debug/pprof/heap": 200, base + "/debug/pprof/heap": 404,
		"http://" + pprofAddr + "/debug/pprof/cmdline": 404} {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: got %d, want %d", url, resp.StatusCode, want)
		}
	}
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	hc := map[string]string{"LINKHUB_PORT": port}
	if err := run(context.Background(), []string{"healthcheck"}, func(k string) string { return hc[k] }, nil, &bytes.Buffer{}); err != nil {
		t.Errorf("healthcheck on a ready server: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	if err := run(context.Background(), []string{"healthcheck"}, func(k string) string { return hc[k] }, nil, &bytes.Buffer{}); err == nil {
		t.Error("healthcheck on a stopped server: got nil, want an error")
	}
	if !strings.Contains(out.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", out)
	}
}

func TestRun_EmbeddedDatabase(t *testing.T) {
	dir := t.TempDir()
	// The cluster may run as another user, who must be able to walk down.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"LINKHUB_DATA_DIR": filepath.Join(dir, "data")}
	_, stop, out := startRun(t, env)
	if err := stop(); err != nil {
		t.Fatalf("run returned %v", err)
	}
	if n := strings.Count(out.String(), "generated an encryption key for local use only"); n != 1 {
		t.Errorf("got %d key generation warnings on first start, want 1:\n%s", n, out)
	}
	pid := filepath.Join(dir, "data", "pgdata", "postmaster.pid")
	if _, err := os.Stat(pid); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("PostgreSQL still running after stop (%s exists)\n%s", pid, out)
	}

	// A second start reuses the cluster.
	base, stop, out := startRun(t, env)

	// While it runs, a short-lived command on the same data folder works and
	// leaves the server's PostgreSQL running; a second server is refused.
	getenv := func(k string) string { return env[k] }
	if err := run(context.Background(), []string{"migrate", "status"}, getenv, nil, &bytes.Buffer{}); err != nil {
		t.Errorf("migrate status beside a running server: %v", err)
	}
	if resp, err := http.Get(base + "/readyz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("server not ready after migrate status ran beside it: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	second := map[string]string{"LINKHUB_DATA_DIR": env["LINKHUB_DATA_DIR"]}
	listenFD(t, second)
	err := run(context.Background(), []string{"serve"}, func(k string) string { return second[k] }, nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "another Linkhub is already running") {
		t.Errorf("second server on the same data folder: got %v, want a refusal", err)
	}

	if err := stop(); err != nil {
		t.Fatalf("second run returned %v", err)
	}
	if strings.Contains(out.String(), "migrations applied") {
		t.Errorf("second start applied migrations again:\n%s", out)
	}
	if strings.Contains(out.String(), "generated an encryption key") {
		t.Errorf("second start generated a key again:\n%s", out)
	}
}

func TestRun_BadConfig(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(notPEM, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badCert := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(badCert, []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"Port", map[string]string{"LINKHUB_PORT": "abc"}, nil, "LINKHUB_PORT"},
		{"PortRange", map[string]string{"LINKHUB_PORT": "70000"}, nil, "LINKHUB_PORT"},
		{"FlagWins", map[string]string{"LINKHUB_PORT": "8080"}, []string{"--port", "0"}, "--port"},
		{"LogFormat", map[string]string{"LINKHUB_LOG_FORMAT": "xml"}, nil, "LINKHUB_LOG_FORMAT"},
		{"Proxies", map[string]string{"LINKHUB_TRUSTED_PROXIES": "10.0.0.0/99"}, nil, "LINKHUB_TRUSTED_PROXIES"},
		{"Shutdown", map[string]string{"LINKHUB_SHUTDOWN_TIMEOUT": "forever"}, nil, "LINKHUB_SHUTDOWN_TIMEOUT"},
		{"BaseURL", map[string]string{"LINKHUB_BASE_URL": "ftp://x"}, nil, "LINKHUB_BASE_URL"},
		{"AllowPrivate", map[string]string{"LINKHUB_ALLOW_PRIVATE_NETWORKS": "maybe"}, nil, "LINKHUB_ALLOW_PRIVATE_NETWORKS"},
		{"VendorTimeout", map[string]string{"LINKHUB_VENDOR_TIMEOUT": "3h"}, nil, "LINKHUB_VENDOR_TIMEOUT"},
		{"HealthInterval", map[string]string{"LINKHUB_HEALTH_INTERVAL": "10s"}, nil, "LINKHUB_HEALTH_INTERVAL"},
		{"TokenCacheSize", map[string]string{"LINKHUB_TOKEN_CACHE_SIZE": "10"}, nil, "LINKHUB_TOKEN_CACHE_SIZE"},
		{"TokenCacheSizeWord", nil, []string{"--token-cache-size", "lots"}, "--token-cache-size"},
		{"SophosIDURLRetired", map[string]string{"LINKHUB_SOPHOS_ID_URL": "https://id.example.test"}, nil,
			"LINKHUB_SOPHOS_ID_URL is gone: set LINKHUB_CONNECTOR_SOPHOS_HOSTS (id=URL)"},
		{"SophosAPIURLFlagGone", nil, []string{"--sophos-api-url", "https://api.example.test"}, "sophos-api-url"},
		{"SophosAPIURL", map[string]string{"LINKHUB_CONNECTOR_SOPHOS_HOSTS": "api=ftp://x"}, nil, "LINKHUB_CONNECTOR_SOPHOS_HOSTS"},
		{"NinjaOneURLsRetired", map[string]string{"LINKHUB_NINJAONE_URLS": "eu=https://eu.example.test"}, nil,
			"LINKHUB_NINJAONE_URLS is gone: set LINKHUB_CONNECTOR_NINJAONE_HOSTS"},
		{"NinjaOneURL", map[string]string{"LINKHUB_CONNECTOR_NINJAONE_HOSTS": "instance.eu=notaurl"}, nil, "LINKHUB_CONNECTOR_NINJAONE_HOSTS"},
		{"NinjaOneURLPlainHTTP", map[string]string{"LINKHUB_CONNECTOR_NINJAONE_HOSTS": "instance.eu=https://eu.example.test,instance.app=http://app.example.test"}, nil,
			`LINKHUB_CONNECTOR_NINJAONE_HOSTS: "instance.app=http://app.example.test": the URL of instance.app is plain http`},
		{"NinjaOneRegion", map[string]string{"LINKHUB_CONNECTOR_NINJAONE_HOSTS": "instance.mars=https://mars.example.test"}, nil, `unknown host "instance.mars"`},
		{"ExtraCAMissing", map[string]string{"LINKHUB_EXTRA_CA_FILE": "/nonexistent/ca.pem"}, nil, "LINKHUB_EXTRA_CA_FILE"},
		{"ExtraCANoCertificate", map[string]string{"LINKHUB_EXTRA_CA_FILE": notPEM}, nil, "LINKHUB_EXTRA_CA_FILE"},
		{"ExtraCABadCertificate", map[string]string{"LINKHUB_EXTRA_CA_FILE": badCert}, nil, "LINKHUB_EXTRA_CA_FILE"},
		{"PprofPublic", map[string]string{"LINKHUB_PPROF_ADDR": "0.0.0.0:6060"}, nil, `"0.0.0.0" is not a loopback address`},
		{"PprofNoPort", map[string]string{"LINKHUB_PPROF_ADDR": "127.0.0.1"}, nil, "LINKHUB_PPROF_ADDR"},
		{"PprofPort", map[string]string{"LINKHUB_PPROF_ADDR": "127.0.0.1:99999"}, nil, "LINKHUB_PPROF_ADDR"},
		{"ListenFDStdio", map[string]string{"LINKHUB_LISTEN_FD": "1"}, nil, "LINKHUB_LISTEN_FD"},
		{"ListenFDWord", nil, []string{"--listen-fd", "socket"}, "--listen-fd"},
		{"Command", nil, []string{"fly"}, "unknown command"},
		{"SessionKeys", map[string]string{"LINKHUB_SESSION_KEYS": "c2hvcnQ="}, nil, "LINKHUB_SESSION_KEYS"},
		{"SessionKeysNeeded", map[string]string{"LINKHUB_DATABASE_URL": "postgres://127.0.0.1:1/x",
			"LINKHUB_ENCRYPTION_KEYS": "1:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))}, nil, "LINKHUB_SESSION_KEYS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"serve"}, tt.args...)
			if tt.name == "Command" {
				args = tt.args
			}
			// A setting wrongly accepted starts the server: the deadline
			// stops it, and the test fails rather than hangs.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			var out bytes.Buffer
			err := run(ctx, args, func(k string) string { return tt.env[k] }, nil, &out)
			var ce *configError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a config error", err)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %q, want one line naming %q", err, tt.want)
			}
		})
	}
}

// TestRun_ListenFDNotASocket: a handed-over descriptor that is not a
// listening socket stops the start, naming the setting.
func TestRun_ListenFDNotASocket(t *testing.T) {
	fd, err := syscall.Open(os.DevNull, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"LINKHUB_DATABASE_URL":    "postgres://linkhub@127.0.0.1:1/linkhub",
		"LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1),
		"LINKHUB_SESSION_KEYS":    testSessionKey,
		"LINKHUB_LISTEN_FD":       strconv.Itoa(fd), // run owns it now
	}
	err = run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "LINKHUB_LISTEN_FD="+strconv.Itoa(fd)+" is not an open listening socket") {
		t.Fatalf("got %v, want LINKHUB_LISTEN_FD named as not a listening socket", err)
	}
}

func TestRun_UnreachableDatabase(t *testing.T) {
	env := map[string]string{
		"LINKHUB_DATABASE_URL":    "postgres://linkhub:s3cretpw@127.0.0.1:1/linkhub?connect_timeout=2",
		"LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1),
		"LINKHUB_SESSION_KEYS":    testSessionKey,
	}
	listenFD(t, env)
	err := run(context.Background(), nil, func(k string) string { return env[k] }, nil, &bytes.Buffer{})
	var ce *configError
	if err == nil || errors.As(err, &ce) {
		t.Fatalf("got %v, want a runtime error", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "s3cretpw") {
		t.Errorf("got %q, want the host named and no password", msg)
	}
}

func TestRun_Help(t *testing.T) {
	for _, args := range [][]string{{"serve", "--help"}, {"migrate", "--help"}, {"help"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, func(string) string { return "" }, nil, &out); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if !strings.Contains(out.String(), "linkhub") {
			t.Errorf("%v: got %q, want usage", args, out.String())
		}
	}
}

func TestRun_MigrateStatus(t *testing.T) {
	env := map[string]string{"LINKHUB_DATABASE_URL": pgtest.URLEmpty(t), "LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1)}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "status"}, getenv, nil, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "pending") {
		t.Errorf("status before up: got %q, want pending migrations", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "up"}, getenv, nil, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"migrate", "status"}, getenv, nil, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "pending") || !strings.Contains(out.String(), "applied") {
		t.Errorf("status after up: got %q", out.String())
	}
}

func TestParseConfig_HealthInterval(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 6 * time.Hour, "0": 0, "0s": 0, "0m": 0, "1m": time.Minute, "720h": 720 * time.Hour} {
		cfg, err := parseConfig("serve", nil, func(k string) string { return map[string]string{"LINKHUB_HEALTH_INTERVAL": v}[k] }, &bytes.Buffer{})
		if err != nil || cfg.HealthInterval != want {
			t.Errorf("%q: got error %v, want interval %v", v, err, want)
		}
	}
	_, err := parseConfig("serve", nil, func(k string) string { return map[string]string{"LINKHUB_HEALTH_INTERVAL": "30s"}[k] }, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "or 0 to turn the re-tests off") {
		t.Errorf("30s: got %v, want an error naming the range and 0", err)
	}
}

func TestParseConfig_TokenCacheSize(t *testing.T) {
	for v, want := range map[string]int{"": 10000, "100": 100, "250000": 250000, "1000000": 1000000} {
		cfg, err := parseConfig("serve", nil, func(k string) string { return map[string]string{"LINKHUB_TOKEN_CACHE_SIZE": v}[k] }, &bytes.Buffer{})
		if err != nil {
			t.Errorf("%q: %v", v, err)
		} else if cfg.TokenCacheSize != want {
			t.Errorf("%q: got %d, want %d", v, cfg.TokenCacheSize, want)
		}
	}
}

func TestParseConfig_Vendors(t *testing.T) {
	env := map[string]string{"LINKHUB_ALLOW_PRIVATE_NETWORKS": "true", "LINKHUB_VENDOR_TIMEOUT": "3s",
		"LINKHUB_CONNECTOR_SOPHOS_HOSTS":   "id=https://id.example.test,api=https://api.example.test",
		"LINKHUB_CONNECTOR_NINJAONE_HOSTS": "instance.eu=https://eu.example.test, instance.app=https://app.example.test"}
	cfg, err := parseConfig("serve", nil, func(k string) string { return env[k] }, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	cc := connectorConfig(cfg)
	if !cc.AllowPrivate || cc.Timeout != 3*time.Second || cc.Hosts.Definitions["sophos"]["id"] != "https://id.example.test" ||
		cc.Hosts.Definitions["sophos"]["api"] != "https://api.example.test" || len(cc.Hosts.Definitions["ninjaone"]) != 2 || cc.Hosts.Definitions["ninjaone"]["instance.eu"] != "https://eu.example.test" {
		t.Errorf("got %+v, want the vendor settings", cc)
	}
	cfg, _ = parseConfig("serve", nil, func(string) string { return "" }, &bytes.Buffer{})
	if cc := connectorConfig(cfg); cc.AllowPrivate || cc.Timeout != 10*time.Second || len(cc.Hosts.Definitions) != 0 {
		t.Errorf("got %+v, want the production defaults", cc)
	}
}

// TestParseConfig_ExtraCAFile shows vendor calls trusting a CA only when
// LINKHUB_EXTRA_CA_FILE names it.
func TestParseConfig_ExtraCAFile(t *testing.T) {
	jamf := fake.NewJamf(t)
	file := filepath.Join(t.TempDir(), "ca.pem")
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: jamf.Certificate().Raw})
	if err := os.WriteFile(file, append([]byte("# the proxy's CA\n"), pemCert...), 0o600); err != nil {
		t.Fatal(err)
	}
	get := func(env map[string]string) error {
		t.Helper()
		env["LINKHUB_ALLOW_PRIVATE_NETWORKS"] = "true"
		cfg, err := parseConfig("serve", nil, func(k string) string { return env[k] }, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := kit.NewClient(connectorConfig(cfg)).Get(jamf.URL + "/api/v1/jamf-pro-version")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	var unknown x509.UnknownAuthorityError
	if err := get(map[string]string{}); !errors.As(err, &unknown) {
		t.Errorf("without the file: got %v, want an unknown authority", err)
	}
	if err := get(map[string]string{"LINKHUB_EXTRA_CA_FILE": file}); err != nil {
		t.Errorf("with the file: got %v, want the fake trusted", err)
	}
}

func TestRun_ServeAllowPrivateNetworksWarns(t *testing.T) {
	_, stop, out := startRun(t, map[string]string{"LINKHUB_DATABASE_URL": pgtest.URL(t), "LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1),
		"LINKHUB_ALLOW_PRIVATE_NETWORKS": "true"})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"level":"WARN","msg":"LINKHUB_ALLOW_PRIVATE_NETWORKS is on`) {
		t.Errorf("want a warning that private networks are allowed; got:\n%s", out)
	}
}
