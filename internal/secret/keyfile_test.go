package secret_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/linkhub/linkhub/internal/secret"
)

func skipOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
}

func TestLoadOrCreateKeyFile_Create(t *testing.T) {
	skipOnWindows(t)
	dir := filepath.Join(t.TempDir(), "conf")
	path := filepath.Join(dir, "keys.env")

	keys, active, created, err := secret.LoadOrCreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("got created %v, error %v, want true, nil", created, err)
	}
	kr := MustKeyring(t, keys, active)
	if got := kr.ActiveID(); got != 1 {
		t.Errorf("ActiveID: got %d, want 1", got)
	}
	for p, want := range map[string]fs.FileMode{path: 0o600, dir: 0o700} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: got mode %04o, want %04o", p, got, want)
		}
	}
	b, _ := os.ReadFile(path)
	for _, want := range []string{"\nLINKHUB_ENCRYPTION_KEYS=1:" + strings.TrimPrefix(keys, "1:") + "\n", "\nLINKHUB_ENCRYPTION_ACTIVE_KEY=1\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("got file %q, want it to contain %q", b, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("got %d entries in %s, want only the key file (no temp files left)", len(entries), dir)
	}

	keys2, active2, created2, err := secret.LoadOrCreateKeyFile(path)
	if err != nil || created2 || keys2 != keys || active2 != active {
		t.Errorf("reuse: got same keys %v, created %v, error %v, want true, false, nil", keys2 == keys && active2 == active, created2, err)
	}
}

func TestLoadOrCreateKeyFile_Concurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.env")
	const n = 8
	var (
		wg      sync.WaitGroup
		results [n]string
		created [n]bool
		errs    [n]error
	)
	for i := range n {
		wg.Go(func() {
			results[i], _, created[i], errs[i] = secret.LoadOrCreateKeyFile(path)
		})
	}
	wg.Wait()
	nCreated := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: got error %v, want nil", i, errs[i])
		}
		if results[i] != results[0] {
			t.Errorf("call %d: got a different key than call 0, want one key for all", i)
		}
		if created[i] {
			nCreated++
		}
	}
	if nCreated != 1 {
		t.Errorf("got %d calls reporting created, want 1", nCreated)
	}
}

func TestLoadOrCreateKeyFile_Read(t *testing.T) {
	skipOnWindows(t)
	k1, k2 := MustGenerateKey(t), MustGenerateKey(t)
	tests := []struct {
		name, content     string
		wantKeys, wantAct string
		wantErr           string
	}{
		{
			name:     "OK",
			content:  "# comment\n\nOTHER=x\nexport LINKHUB_ENCRYPTION_KEYS=\"2:" + k2 + ",1:" + k1 + "\"\n LINKHUB_ENCRYPTION_ACTIVE_KEY = '2' \n",
			wantKeys: "2:" + k2 + ",1:" + k1, wantAct: "2",
		},
		{name: "ErrNoKeys", content: "LINKHUB_ENCRYPTION_ACTIVE_KEY=1\n", wantErr: "has no LINKHUB_ENCRYPTION_KEYS line"},
		{name: "ErrNoActive", content: "LINKHUB_ENCRYPTION_KEYS=1:" + k1 + "\n", wantErr: "has no LINKHUB_ENCRYPTION_ACTIVE_KEY line"},
		{name: "ErrBadLine", content: "# keys\n1:" + k1 + "\n", wantErr: "line 2 is not NAME=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.env")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			keys, active, created, err := secret.LoadOrCreateKeyFile(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), k1) {
					t.Errorf("got error %q, want no key material in it", err)
				}
				return
			}
			if err != nil || created || keys != tt.wantKeys || active != tt.wantAct {
				t.Errorf("got %q, %q, %v, %v, want %q, %q, false, nil", keys, active, created, err, tt.wantKeys, tt.wantAct)
			}
		})
	}
}

func TestLoadOrCreateKeyFile_ErrMode(t *testing.T) {
	skipOnWindows(t)
	for _, mode := range []fs.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		t.Run(mode.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "keys.env")
			if _, _, _, err := secret.LoadOrCreateKeyFile(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, mode); err != nil {
				t.Fatal(err)
			}
			_, _, _, err := secret.LoadOrCreateKeyFile(path)
			if err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("got error %v, want a refusal naming chmod 600", err)
			}
		})
	}
	t.Run("0400 OK", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "keys.env")
		if _, _, _, err := secret.LoadOrCreateKeyFile(path); err != nil {
			t.Fatal(err)
		}
		_ = os.Chmod(path, 0o400)
		if _, _, _, err := secret.LoadOrCreateKeyFile(path); err != nil {
			t.Errorf("got error %v, want nil", err)
		}
	})
}

func TestLoadOrCreateKeyFile_ErrDir(t *testing.T) {
	path := t.TempDir()
	if _, _, _, err := secret.LoadOrCreateKeyFile(path); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("got error %v, want one saying not a regular file", err)
	}
}
