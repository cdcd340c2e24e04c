package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mustMount mounts a tmpfs of size with opts at a new folder, or skips the
// test where mounting is not allowed (not root, no CAP_SYS_ADMIN).
func mustMount(t *testing.T, size, opts string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0755"+opts, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); the data-folder fault needs one", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestRun_DataDirUnusable starts Linkhub on the embedded default with a data
// folder it cannot write: it stops at once with an error that names the
// folder and the cause, instead of hanging or failing later.
func TestRun_DataDirUnusable(t *testing.T) {
	for name, tt := range map[string]struct {
		size, opts string
		want       []string
	}{
		"ReadOnly": {"64m", ",ro", []string{"read-only"}},
		"Full":     {"1m", "", []string{"no space left"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := mustMount(t, tt.size, tt.opts)
			env := map[string]string{"LINKHUB_DATA_DIR": filepath.Join(dir, "data")}
			listenFD(t, env)
			if tt.opts == "" {
				env["LINKHUB_DATA_DIR"] = dir // the folder exists; only its space is missing
			}
			err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, nil, &bytes.Buffer{})
			if err == nil {
				t.Fatal("got a start, want an error")
			}
			t.Logf("start refused: %v", err)
			msg := strings.ToLower(err.Error())
			for _, w := range append(tt.want, strings.ToLower(dir)) {
				if !strings.Contains(msg, w) {
					t.Errorf("got %q, want it to mention %q", err, w)
				}
			}
		})
	}
}
