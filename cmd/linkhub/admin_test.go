package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/pgtest"
)

func TestRun_SetupURLLogged(t *testing.T) {
	url := pgtest.URL(t)
	base, stop, out := startRun(t, map[string]string{"LINKHUB_DATABASE_URL": url})
	m := regexp.MustCompile(`/admin/setup\?token=([A-Za-z0-9_-]{32,})`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no setup URL in the log:\n%s", out)
	}
	resp, err := http.Get(base + "/admin/setup?token=" + m[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("setup page: got %d, want 200", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	// Once an admin exists, a start logs no setup URL.
	env := map[string]string{"LINKHUB_DATABASE_URL": url}
	getenv := func(k string) string { return env[k] }
	var cout bytes.Buffer
	pw := "a very long password"
	if err := run(context.Background(), []string{"admin", "create", "--email", "Ops@Example.com"}, getenv,
		strings.NewReader(pw+"\n"), &cout); err != nil {
		t.Fatalf("admin create: %v", err)
	}
	if !strings.Contains(cout.String(), "created admin ops@example.com") || strings.Contains(cout.String(), pw) {
		t.Errorf("admin create printed %q", cout.String())
	}
	_, stop, out = startRun(t, map[string]string{"LINKHUB_DATABASE_URL": url})
	_ = stop()
	if strings.Contains(out.String(), "/admin/setup") {
		t.Errorf("setup URL logged although an admin exists:\n%s", out)
	}
}

func TestRun_AdminCommands(t *testing.T) {
	env := map[string]string{"LINKHUB_DATABASE_URL": pgtest.URL(t)}
	getenv := func(k string) string { return env[k] }
	adm := func(stdin string, args ...string) error {
		return run(context.Background(), append([]string{"admin"}, args...), getenv, strings.NewReader(stdin), &bytes.Buffer{})
	}
	if err := adm("short\n", "create", "--email", "a@example.com"); err == nil || !strings.Contains(err.Error(), "12 characters") {
		t.Errorf("short password: got %v", err)
	}
	if err := adm("long enough password\n", "create", "--email", "a@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := adm("long enough password\n", "create", "--email", "a@example.com"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("duplicate: got %v", err)
	}
	if err := adm("another long password\n", "reset-password", "--email", "a@example.com"); err != nil {
		t.Errorf("reset-password: %v", err)
	}
	if err := adm("another long password\n", "reset-password", "--email", "nobody@example.com"); err == nil {
		t.Error("reset-password of an unknown admin: got nil")
	}
	var ce *configError
	if err := adm("x\n", "create", "--password", "x"); !errors.As(err, &ce) {
		t.Errorf("--password flag: got %v, want a config error (passwords are never flags)", err)
	}
}

func TestResolveSessionKeys_File(t *testing.T) {
	dir := t.TempDir()
	cfg := &Config{DataDir: dir}
	k1, err := resolveSessionKeys(cfg, newLogger(&Config{LogFormat: "json"}, &bytes.Buffer{}))
	if err != nil || len(k1) != 2 {
		t.Fatalf("got %d keys, %v", len(k1), err)
	}
	st, _ := os.Stat(filepath.Join(dir, "session.key"))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode: got %v, want 0600", st.Mode().Perm())
	}
	k2, _ := resolveSessionKeys(cfg, newLogger(&Config{LogFormat: "json"}, &bytes.Buffer{}))
	if !bytes.Equal(k1[0], k2[0]) {
		t.Error("a second start made a new key; want the stored one")
	}
}

func TestRun_AdminCreateLeavesServerRunning(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"LINKHUB_DATA_DIR": filepath.Join(dir, "data")}
	base, stop, out := startRun(t, env)
	defer func() { _ = stop() }()
	if !strings.Contains(out.String(), "/admin/setup?token=") {
		t.Errorf("no setup URL logged with the embedded database:\n%s", out)
	}
	err := run(context.Background(), []string{"admin", "create", "--email", "ops@example.com"},
		func(k string) string { return env[k] }, strings.NewReader("a very long password\n"), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after admin create: /readyz got %d, want 200 (the command stopped the server's database)", resp.StatusCode)
	}
}
