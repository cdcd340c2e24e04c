package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/internal/webhook"
)

// TestRun_TwoProcessesDeliverEachEventOnce: two Linkhub processes on one
// database (how users scale out) share the webhook outbox; a receiver that
// acknowledges gets each event once.
func TestRun_TwoProcessesDeliverEachEventOnce(t *testing.T) {
	dbURL, keys := pgtest.URL(t), testKeys(t, 1)
	env := func() map[string]string {
		return map[string]string{"LINKHUB_DATABASE_URL": dbURL, "LINKHUB_ENCRYPTION_KEYS": keys,
			"LINKHUB_ALLOW_PRIVATE_NETWORKS": "true", "LINKHUB_HEALTH_INTERVAL": "0"}
	}
	_, stop1, _ := startRun(t, env())
	_, stop2, _ := startRun(t, env())

	var mu sync.Mutex
	seen := map[string]int{}
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev linkhub.Event
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		seen[ev.ID]++
		mu.Unlock()
	}))
	defer rcv.Close()

	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	kr, err := secret.ParseKeyring(keys, "1")
	if err != nil {
		t.Fatal(err)
	}
	hooks := postgres.NewWebhookService(db, kr, webhook.URLChecker(kit.Config{AllowPrivate: true}))
	if _, err := hooks.CreateWebhook(ctx, linkhub.SystemActor, &linkhub.Webhook{URL: rcv.URL, Events: linkhub.WebhookEvents}); err != nil {
		t.Fatal(err)
	}
	p := &linkhub.Profile{ConnectorID: "jamf", Name: "Jamf", Enabled: true}
	if err := postgres.NewProfileService(db, kr).CreateProfile(ctx, linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	accounts := postgres.NewAccountService(db, kr)
	const n = 40
	for i := range n {
		a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: fmt.Sprint("owner-", i), OriginOwnerName: "Owner"}
		if err := accounts.CreateAccount(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	count := func() (distinct, total int) {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range seen {
			distinct, total = distinct+1, total+c
		}
		return
	}
	// A claim takes only pending deliveries: once every one is recorded
	// delivered, none can be claimed again, and stopping both processes
	// waits for the deliveries in flight, a duplicate among them.
	delivered := func() (n int) {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for deadline := time.Now().Add(30 * time.Second); delivered() < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d deliveries recorded within 30s", delivered(), n)
		}
	}
	if err := stop1(); err != nil {
		t.Fatal(err)
	}
	if err := stop2(); err != nil {
		t.Fatal(err)
	}
	if d, total := count(); d != n || total != n {
		t.Fatalf("got %d deliveries of %d distinct events, want %d of %d", total, d, n, n)
	}
	if got := delivered(); got != n {
		t.Fatalf("%d deliveries marked delivered, want %d", got, n)
	}
}
