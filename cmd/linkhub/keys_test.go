package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// testKeys returns a LINKHUB_ENCRYPTION_KEYS value with fresh keys under ids.
func testKeys(t *testing.T, ids ...int) string {
	t.Helper()
	var list []string
	for _, id := range ids {
		k, err := secret.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, fmt.Sprintf("%d:%s", id, k))
	}
	return strings.Join(list, ",")
}

// mustSecrets stores a profile and an account with secrets under keys and
// returns the account's id.
func mustSecrets(t *testing.T, url, keys, active string) string {
	t.Helper()
	ctx := context.Background()
	kr, err := secret.ParseKeyring(keys, active)
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := &linkhub.Profile{ConnectorID: "sophos", Name: "Profile " + rand.Text()}
	if err := postgres.NewProfileService(db, kr).CreateProfile(ctx, linkhub.SystemActor, p, map[string]secret.Value{"client_secret": secret.New("profile-secret")}); err != nil {
		t.Fatal(err)
	}
	a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "o"}
	if err := postgres.NewAccountService(db, kr).CreateAccount(ctx, a, map[string]secret.Value{"client_secret": secret.New("account-secret")}); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func TestLoadKeyring_Errors(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"BadLength", map[string]string{"LINKHUB_ENCRYPTION_KEYS": "1:" + short},
			[]string{"LINKHUB_ENCRYPTION_KEYS", "16 bytes"}},
		{"BadBase64", map[string]string{"LINKHUB_ENCRYPTION_KEYS": "1:not*base64"},
			[]string{"LINKHUB_ENCRYPTION_KEYS", "base64"}},
		{"ActiveMissing", map[string]string{"LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1), "LINKHUB_ENCRYPTION_ACTIVE_KEY": "2"},
			[]string{"LINKHUB_ENCRYPTION_KEYS", "active encryption key id 2"}},
		{"ActiveNotANumber", map[string]string{"LINKHUB_ENCRYPTION_KEYS": testKeys(t, 1), "LINKHUB_ENCRYPTION_ACTIVE_KEY": "x"},
			[]string{"LINKHUB_ENCRYPTION_ACTIVE_KEY"}},
		{"ActiveWithoutKeys", map[string]string{"LINKHUB_ENCRYPTION_ACTIVE_KEY": "1"},
			[]string{"LINKHUB_ENCRYPTION_ACTIVE_KEY", "LINKHUB_ENCRYPTION_KEYS is empty"}},
		{"ExternalWithoutKeys", map[string]string{"LINKHUB_DATABASE_URL": "postgres://x@127.0.0.1:1/x"},
			[]string{"LINKHUB_ENCRYPTION_KEYS", "LINKHUB_ENCRYPTION_ACTIVE_KEY", "linkhub keys generate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listenFD(t, tt.env)
			tt.env["LINKHUB_DATA_DIR"] = t.TempDir()
			var out bytes.Buffer
			err := run(context.Background(), []string{"serve"}, func(k string) string { return tt.env[k] }, nil, &out)
			var ce *configError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a config error (exit status 2)", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to name %q", err, w)
				}
			}
			if strings.Contains(err.Error()+out.String(), short) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %q, want one line without key material", err)
			}
		})
	}
}

func TestLoadKeyring_ActiveDefaultsToHighest(t *testing.T) {
	cfg := &Config{EncryptionKeys: testKeys(t, 2, 7, 3), DatabaseURL: "postgres://x"}
	kr, err := loadKeyring(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kr.ActiveID(), 7; got != want {
		t.Errorf("got active id %d, want %d", got, want)
	}
}

func TestLoadKeyring_EmbeddedKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	cfg := &Config{DataDir: dir}
	var log bytes.Buffer
	kr1, err := loadKeyring(cfg, slog.New(slog.NewJSONHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keys.env")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Mode().Perm(); got != 0o600 {
		t.Errorf("got key file mode %04o, want 0600", got)
	}
	if n := strings.Count(log.String(), `"level":"WARN"`); n != 1 || !strings.Contains(log.String(), "local use only") {
		t.Errorf("got %d warnings, want one saying the key is for local use only:\n%s", n, log.String())
	}
	content, _ := os.ReadFile(path)
	key := parseEnvLines(string(content))["LINKHUB_ENCRYPTION_KEYS"]
	if key == "" || strings.Contains(log.String(), strings.TrimPrefix(key, "1:")) {
		t.Error("the log holds the generated key")
	}

	// A second start reuses the file, silently: what kr1 sealed, kr2 opens.
	log.Reset()
	kr2, err := loadKeyring(cfg, slog.New(slog.NewJSONHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if log.Len() != 0 {
		t.Errorf("second load logged %q, want nothing", log.String())
	}
	ad := secret.AD{Table: "t", RowID: "r", Column: "c"}
	sealed, err := kr1.Seal([]byte("x"), ad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kr2.Open(sealed, ad); err != nil {
		t.Errorf("second keyring cannot open what the first sealed: %v", err)
	}
}

func TestRun_MissingKeyID(t *testing.T) {
	url := pgtest.URL(t)
	keys3 := testKeys(t, 3)
	mustSecrets(t, url, keys3, "3")
	tests := []struct {
		name string
		keys string
		want string
	}{
		{"Missing", testKeys(t, 1), "the database holds secrets sealed with key id 3, which LINKHUB_ENCRYPTION_KEYS does not contain"},
		{"Different", testKeys(t, 3), "key id 3 in LINKHUB_ENCRYPTION_KEYS is not the key that sealed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"LINKHUB_DATABASE_URL": url, "LINKHUB_ENCRYPTION_KEYS": tt.keys,
				"LINKHUB_SESSION_KEYS": testSessionKey}
			listenFD(t, env)
			var out bytes.Buffer
			err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, nil, &out)
			var ce *configError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a config error saying %q", err, tt.want)
			}
			if strings.Contains(err.Error()+out.String(), strings.Split(tt.keys, ":")[1]) {
				t.Error("the key was printed")
			}
		})
	}
}

// parseEnvLines reads the NAME=VALUE lines of s, skipping comments.
func parseEnvLines(s string) map[string]string {
	env := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, "=")
		env[k] = v
	}
	return env
}

func TestRun_KeysGenerate(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{{nil, 1}, {[]string{"--id", "4"}, 4}} {
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"keys", "generate"}, tt.args...), os.Getenv, nil, &out); err != nil {
			t.Fatal(err)
		}
		env := parseEnvLines(out.String())
		kr, err := secret.ParseKeyring(env["LINKHUB_ENCRYPTION_KEYS"], env["LINKHUB_ENCRYPTION_ACTIVE_KEY"])
		if err != nil {
			t.Fatalf("output %q does not parse: %v", out.String(), err)
		}
		if kr.ActiveID() != tt.want {
			t.Errorf("%v: got active id %d, want %d", tt.args, kr.ActiveID(), tt.want)
		}
	}
	err := run(context.Background(), []string{"keys", "generate", "--id", "0"}, os.Getenv, nil, &bytes.Buffer{})
	var ce *configError
	if !errors.As(err, &ce) {
		t.Errorf("--id 0: got %v, want a config error", err)
	}
}

func TestRun_KeysRotate(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	old := testKeys(t, 1)
	var ids []string
	for range 5 {
		ids = append(ids, mustSecrets(t, url, old, "1"))
	}
	newKeys := testKeys(t, 2) + "," + old
	env := map[string]string{"LINKHUB_DATABASE_URL": url, "LINKHUB_ENCRYPTION_KEYS": newKeys}
	var out bytes.Buffer
	if err := run(ctx, []string{"keys", "rotate", "--batch", "3"}, func(k string) string { return env[k] }, nil, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"re-wrapped 10 secret(s) under key id 2",
		"0 secret(s) left under other keys",
		"key id 1 is no longer referenced; you can remove it from LINKHUB_ENCRYPTION_KEYS",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), strings.Split(old, ":")[1]) {
		t.Error("the output holds a key")
	}

	// Only key 2 is needed now.
	only2 := strings.Split(newKeys, ",")[0]
	kr, err := secret.ParseKeyring(only2, "2")
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range ids {
		s, err := postgres.NewAccountService(db, kr).FindAccountSecrets(ctx, id)
		if err != nil || s["client_secret"].Reveal() != "account-secret" {
			t.Fatalf("account %s with key 2 only: got %v", id, err)
		}
	}
	env["LINKHUB_ENCRYPTION_KEYS"] = only2
	out.Reset()
	if err := run(ctx, []string{"keys", "rotate"}, func(k string) string { return env[k] }, nil, &out); err != nil {
		t.Fatalf("rerun with key 2 only: %v", err)
	}
	if !strings.Contains(out.String(), "re-wrapped 0 secret(s)") {
		t.Errorf("rerun: got %q, want nothing to do", out.String())
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, terminal: true}
	p.update(50, 50)
	p.update(100, 0)
	p.finish()
	want := "\r[###############...............]  50% 50/100" +
		"\r[##############################] 100% 100/100\n"
	if got := buf.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	buf.Reset()
	p = newProgress(&buf) // not a terminal: plain lines, at most every 2s
	p.update(1, 9)
	p.last = p.last.Add(-3 * time.Second)
	p.update(5, 5)
	p.finish()
	if got, want := buf.String(), "re-wrapped 5 secret(s), about 5 left (50%)\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRun_MigrateUpNeedsKeys(t *testing.T) {
	env := map[string]string{"LINKHUB_DATABASE_URL": pgtest.URLEmpty(t)}
	err := run(context.Background(), []string{"migrate", "up"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{})
	var ce *configError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "LINKHUB_ENCRYPTION_KEYS") {
		t.Errorf("got %v, want a config error naming LINKHUB_ENCRYPTION_KEYS", err)
	}
}
