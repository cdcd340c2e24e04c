package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestRun_TwoProcessesOneDatabase starts two Linkhubs at the same moment on
// one empty database, as a scaled-out deployment does: both start, each
// migration is applied once, and a hub session opened on one continues on
// the other (hub handles live in the database, not in a process).
func TestRun_TwoProcessesOneDatabase(t *testing.T) {
	dbURL := pgtest.URLEmpty(t)
	keys := testKeys(t, 1)
	type proc struct {
		base string
		out  *syncBuffer
		done chan error
	}
	ctx, cancel := context.WithCancel(context.Background())
	procs := make([]*proc, 2)
	for i := range procs {
		env := map[string]string{"LINKHUB_DATABASE_URL": dbURL, "LINKHUB_ENCRYPTION_KEYS": keys,
			"LINKHUB_SESSION_KEYS": testSessionKey}
		port := listenFD(t, env)
		p := &proc{base: fmt.Sprintf("http://127.0.0.1:%d", port), out: &syncBuffer{}, done: make(chan error, 1)}
		go func() { p.done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, nil, p.out) }()
		procs[i] = p
	}
	defer func() {
		cancel()
		for _, p := range procs {
			if err := <-p.done; err != nil {
				t.Errorf("run returned %v", err)
			}
		}
	}()
	for _, p := range procs {
		deadline := time.Now().Add(60 * time.Second)
		for {
			if resp, err := http.Get(p.base + "/readyz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not ready\n%s", p.base, p.out)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	db, err := postgres.Open(context.Background(), dbURL, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var dup int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM (SELECT version_id FROM goose_db_version
		GROUP BY version_id HAVING count(*) > 1) d`).Scan(&dup); err != nil || dup != 0 {
		t.Fatalf("got %d migrations applied twice (%v), want none", dup, err)
	}

	if a, b := strings.Contains(procs[0].out.String(), "migrations applied"), strings.Contains(procs[1].out.String(), "migrations applied"); a == b {
		t.Errorf("migrations applied by first=%v second=%v, want exactly one of them", a, b)
	}

	// A session created and opened on the first process...
	_, key, err := postgres.NewAPIKeyService(db).CreateAPIKey(context.Background(), linkhub.SystemActor, "host")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, procs[0].base+"/api/v1/connect_sessions",
		strings.NewReader(`{"origin_owner_id":"o","origin_owner_name":"Owner O"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	status, body := get(t, req)
	var created struct{ Token string }
	if err := json.Unmarshal([]byte(body), &created); status != http.StatusCreated || err != nil {
		t.Fatalf("create session on the first process: got %d %s", status, body)
	}
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).
		Get(procs[0].base + "/connect?token=" + url.QueryEscape(created.Token))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	hub := resp.Header.Get("Location")
	if !strings.HasPrefix(hub, "/hub/") {
		t.Fatalf("open on the first process: got %d to %q", resp.StatusCode, hub)
	}
	// ...continues on the second.
	if status, body := get(t, mustRequest(procs[1].base+hub)); status != http.StatusOK || !strings.Contains(body, "data-testid=\"profiles\"") && !strings.Contains(body, "data-testid=\"no-profiles\"") {
		t.Errorf("the hub on the second process: got %d, want the picker:\n%s", status, body)
	}
}
