package webhook_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/webhook"
)

// TestWebhookService_Lifecycle: an admin's endpoint from creation to
// deletion. The secret is handed out once; a test event is delivered by a
// worker, signed with it, and logged as delivered; a change while the
// endpoint is disabled queues nothing for it; a deleted endpoint is gone
// with its secret; each change is audited as the admin's, in order.
func TestWebhookService_Lifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := newReceiver(t)
	r.setStatus(func(int, linkhub.Event) int { return http.StatusAccepted })
	admin := linkhub.Actor{Kind: "admin", ID: "adm-1", Label: "ada@example.com", IP: "192.0.2.7"}

	w := &linkhub.Webhook{URL: r.URL + "/hook", Events: []string{linkhub.EventAccountCreated, linkhub.EventAccountStatusChanged}}
	sec, err := e.hooks.CreateWebhook(ctx, admin, w)
	if err != nil || !strings.HasPrefix(sec, linkhub.WebhookSecretPrefix) || w.ID == "" {
		t.Fatalf("create: got %q, id %q, %v", sec, w.ID, err)
	}
	if list, err := e.hooks.FindWebhooks(ctx); err != nil || len(list) != 1 || list[0].URL != r.URL+"/hook" || !list[0].Enabled {
		t.Fatalf("got %d endpoints (%v), want the new one enabled", len(list), err)
	}

	if _, err := e.hooks.SendTestEvent(ctx, admin, w.ID); err != nil {
		t.Fatal(err)
	}
	if n := runOnce(t, e.worker(webhook.Options{})); n != 1 {
		t.Fatalf("worker: delivered %d, want 1", n)
	}
	got := r.received()
	if len(got) != 1 || webhook.Verify(sec, got[0].Header.Get(webhook.HeaderTimestamp), got[0].Header.Get(webhook.HeaderSignature),
		got[0].Body, 5*time.Minute, time.Now()) != nil {
		t.Fatalf("the receiver got %d requests, or the signature does not verify", len(got))
	}
	if ev := got[0].Event; ev.Type != linkhub.EventWebhookTest || ev.ID == "" {
		t.Fatalf("got event %+v, want webhook.test", ev)
	}
	log, err := e.hooks.FindWebhookAttempts(ctx, w.ID, 50)
	if err != nil || len(log) != 1 || log[0].EventType != linkhub.EventWebhookTest || log[0].StatusCode != http.StatusAccepted ||
		log[0].DeliveryStatus != linkhub.DeliveryDelivered {
		t.Fatalf("got log %+v (%v), want the test event delivered with 202", log, err)
	}

	if off, err := e.hooks.SetWebhookEnabled(ctx, admin, w.ID, false); err != nil || off.Enabled {
		t.Fatalf("disable: got %+v, %v", off, err)
	}
	e.account(t, "owner-1")
	if got, err := e.hooks.FindWebhookByID(ctx, w.ID); err != nil || got.Pending != 0 {
		t.Errorf("a change while disabled queued %d deliveries (%v), want none", got.Pending, err)
	}

	if err := e.hooks.DeleteWebhook(ctx, admin, w.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.hooks.FindWebhookByID(ctx, w.ID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("deleted endpoint: got %v, want %s", err, linkhub.ENOTFOUND)
	}
	var secrets int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM secrets WHERE owner_kind = 'webhook'`).Scan(&secrets); err != nil || secrets != 0 {
		t.Errorf("%d webhook secrets left (%v), want 0", secrets, err)
	}
	entries, _, err := postgres.NewAuditService(e.db).FindAuditEntries(ctx, linkhub.AuditFilter{Actor: &admin.Label})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(entries) - 1; i >= 0; i-- { // newest first
		actions = append(actions, entries[i].Action)
	}
	want := []string{linkhub.ActionWebhookCreated, linkhub.ActionWebhookTested, linkhub.ActionWebhookDisabled, linkhub.ActionWebhookDeleted}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Errorf("audit: got %v, want %v", actions, want)
	}
}
