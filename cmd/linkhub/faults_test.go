package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
)

// mustCluster starts a PostgreSQL of the test's own, so stopping it leaves
// the shared pgtest cluster of the other tests alone.
func mustCluster(t *testing.T) *postgres.Cluster {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} { // the cluster's user must walk down
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	c, err := postgres.NewCluster(filepath.Join(dir, "pg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

// TestRun_DatabaseOutage stops PostgreSQL under a running Linkhub: the
// readiness probe turns 503, the hub shows a "temporarily unavailable" page
// without internals, the API answers 503 with a JSON error; when PostgreSQL
// comes back, Linkhub serves again without a restart.
func TestRun_DatabaseOutage(t *testing.T) {
	cl := mustCluster(t)
	base, stop, out := startRun(t, map[string]string{"LINKHUB_DATABASE_URL": cl.URL()})
	defer func() {
		if err := stop(); err != nil {
			t.Errorf("run returned %v", err)
		}
	}()
	db, err := postgres.Open(context.Background(), cl.URL(), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, key, err := postgres.NewAPIKeyService(db).CreateAPIKey(context.Background(), linkhub.SystemActor, "host")
	if err != nil {
		t.Fatal(err)
	}
	createSession := func() (int, string) {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/connect_sessions",
			strings.NewReader(`{"origin_owner_id":"o","origin_owner_name":"O"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		return get(t, req)
	}
	if status, body := createSession(); status != http.StatusCreated {
		t.Fatalf("before the outage: got %d %s, want 201", status, body)
	}

	if err := cl.Stop(); err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, mustRequest(base+"/readyz")); status != http.StatusServiceUnavailable {
		t.Errorf("readyz during the outage: got %d, want 503", status)
	}
	for _, path := range []string{"/hub/some-handle", "/connect?token=some-token"} {
		status, body := get(t, mustRequest(base+path))
		if status != http.StatusServiceUnavailable || !strings.Contains(body, "Temporarily unavailable") {
			t.Errorf("GET %s during the outage: got %d, want 503 with the temporarily unavailable page:\n%s", path, status, body)
		}
		for _, internal := range []string{"goroutine", ".go:", "pgx", "pgconn", "dial", "socket", cl.Dir} {
			if strings.Contains(body, internal) {
				t.Errorf("GET %s during the outage: the page shows %q", path, internal)
			}
		}
	}
	status, body := createSession()
	var apiErr struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(body), &apiErr); err != nil || status != http.StatusServiceUnavailable ||
		apiErr.Error.Code != linkhub.EUNAVAILABLE || apiErr.Error.Message == "" {
		t.Errorf("API during the outage: got %d %s, want 503 with a JSON unavailable error", status, body)
	}

	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if status, _ := get(t, mustRequest(base+"/readyz")); status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready 30 s after PostgreSQL came back\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status, body := createSession(); status != http.StatusCreated {
		t.Errorf("after the outage: got %d %s, want 201", status, body)
	}
}

func mustRequest(url string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	return req
}

// get sends req without following redirects and returns the status and body.
func get(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
