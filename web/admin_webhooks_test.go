package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// The console's webhook pages on mocks: the form as the service gets it,
// its refusals beside their inputs, the signing secret shown once, the
// delivery log as the service reports it, and the admin as the actor. The
// rules are the services': the URL policy in internal/webhook
// (TestURLChecker_Refusals), the events and the endpoint's life (stored
// nothing when refused, a test event delivered signed, nothing queued while
// disabled, secrets gone with it, the audit) in internal/webhook
// (TestWebhookService_Lifecycle) and internal/postgres
// (TestWebhookService_CreateRefused).

// The ids of the webhook tests: paths take UUIDs only.
const (
	admbWebhookID        = "8f9c1d1e-0000-4000-8000-0000000000c1"
	admbUnknownWebhookID = "8f9c1d1e-0000-4000-8000-0000000000cf"
)

// admbWebhook is an enabled endpoint as the webhook service gives it.
func admbWebhook() *linkhub.Webhook {
	return &linkhub.Webhook{ID: admbWebhookID, URL: "https://api.example.com/hook", Enabled: true,
		Events: []string{linkhub.EventAccountCreated, linkhub.EventAccountStatusChanged}, CreatedAt: time.Now()}
}

// admbWebhookEnv is the mock env with an admin signed in whose webhook
// service knows w (any other id is not found) and its delivery log.
func admbWebhookEnv(t *testing.T, w *linkhub.Webhook, log ...*linkhub.WebhookAttempt) (*mockEnv, *linkhub.Admin) {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	admin := e.signIn()
	e.webhooks.FindWebhookByIDFn = func(_ context.Context, id string) (*linkhub.Webhook, error) {
		if id != w.ID {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Webhook endpoint not found.")
		}
		c := *w
		return &c, nil
	}
	e.webhooks.FindWebhookAttemptsFn = func(_ context.Context, id string, _ int) ([]*linkhub.WebhookAttempt, error) {
		if id != w.ID {
			t.Errorf("the log of %s, want that of %s", id, w.ID)
		}
		return log, nil
	}
	e.webhooks.FindWebhooksFn = func(context.Context) ([]*linkhub.Webhook, error) {
		return []*linkhub.Webhook{w}, nil
	}
	return e, admin
}

// TestAdminWebhooks_Create: the empty page has its nav entry and every event
// ticked; an endpoint is created from the form as the admin, and its signing
// secret is in that response only, never cached, never on a page again.
func TestAdminWebhooks_Create(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	admin := e.signIn()
	var stored []*linkhub.Webhook
	e.webhooks.FindWebhooksFn = func(context.Context) ([]*linkhub.Webhook, error) { return stored, nil }
	_, doc := e.get("/admin/webhooks")
	if doc.Find(`[data-testid="nav-webhooks"]`).Length() != 1 || doc.Find(`[data-testid="empty-webhooks"]`).Length() != 1 {
		t.Fatal("the webhooks page lacks its nav entry or empty state")
	}
	if n := doc.Find(`input[name="events"][checked]`).Length(); n != len(linkhub.WebhookEvents) {
		t.Errorf("%d events checked by default, want all %d", n, len(linkhub.WebhookEvents))
	}
	const sec = linkhub.WebhookSecretPrefix + "c2lnbmluZy1zZWNyZXQtb2YtdGhlLXRlc3Q"
	var got *linkhub.Webhook
	e.webhooks.CreateWebhookFn = func(_ context.Context, actor linkhub.Actor, w *linkhub.Webhook) (string, error) {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("created as %+v, want the admin", actor)
		}
		c := *w
		got = &c
		w.ID, w.Enabled = admbWebhookID, true
		stored = append(stored, w)
		return sec, nil
	}
	resp, doc := e.post("/admin/webhooks", url.Values{"url": {"https://api.example.com/hook"},
		"events": {linkhub.EventAccountCreated, linkhub.EventAccountStatusChanged}})
	shown, _ := doc.Find(`[data-testid="new-secret"]`).Attr("value")
	if resp.StatusCode != http.StatusCreated || shown != sec || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: got %d, secret %q, Cache-Control %q", resp.StatusCode, shown, resp.Header.Get("Cache-Control"))
	}
	if got == nil || got.URL != "https://api.example.com/hook" ||
		!slices.Equal(got.Events, []string{linkhub.EventAccountCreated, linkhub.EventAccountStatusChanged}) {
		t.Errorf("the service got %+v", got)
	}
	e.hidden = append(e.hidden, sec)
	_, doc = e.get("/admin/webhooks")
	if u := doc.Find(`[data-testid="webhook-url"]`).Text(); u != "https://api.example.com/hook" {
		t.Errorf("listed URL %q", u)
	}
	e.webhooks.FindWebhookByIDFn = func(context.Context, string) (*linkhub.Webhook, error) { return stored[0], nil }
	e.webhooks.FindWebhookAttemptsFn = func(context.Context, string, int) ([]*linkhub.WebhookAttempt, error) { return nil, nil }
	if resp, _ := e.get("/admin/webhooks/" + admbWebhookID); resp.StatusCode != http.StatusOK {
		t.Errorf("endpoint page: got %d", resp.StatusCode)
	}
}

// TestAdminWebhooks_CreateRefused: the service's refusal of the URL or of
// the events is the form again, 422, the message beside that input and the
// URL and events as typed.
func TestAdminWebhooks_CreateRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, field, msg string
	}{
		{"URL", "url", "The address is private or reserved; use a public address."},
		{"Events", "events", "Choose at least one event to send."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newMockEnv(t, web.Config{})
			e.signIn()
			e.webhooks.FindWebhooksFn = func(context.Context) ([]*linkhub.Webhook, error) { return nil, nil }
			e.webhooks.CreateWebhookFn = func(context.Context, linkhub.Actor, *linkhub.Webhook) (string, error) {
				return "", linkhub.FieldError(tt.field, tt.msg)
			}
			const typed = "https://169.254.169.254/latest "
			resp, doc := e.post("/admin/webhooks", url.Values{"url": {typed}, "events": {linkhub.EventAccountDeleted}})
			if msg := doc.Find(`[data-testid="` + tt.field + `-error"]`).Text(); resp.StatusCode != http.StatusUnprocessableEntity || msg != tt.msg {
				t.Fatalf("got %d %q, want 422 with %q on %s", resp.StatusCode, msg, tt.msg, tt.field)
			}
			if v, _ := doc.Find(`#url`).Attr("value"); v != typed {
				t.Errorf("the form lost the URL: %q", v)
			}
			checked := doc.Find(`input[name="events"][checked]`)
			if v, _ := checked.Attr("value"); checked.Length() != 1 || v != linkhub.EventAccountDeleted {
				t.Errorf("got %d events checked, want the one typed", checked.Length())
			}
		})
	}
}

// TestAdminWebhooks_Log: the endpoint page shows the service's delivery log,
// newest first: a 2xx delivered, a delivery given up failed, the newest
// attempt of a pending one retrying with its next try, an older one retried.
func TestAdminWebhooks_Log(t *testing.T) {
	t.Parallel()
	now, next := time.Now(), time.Now().Add(time.Minute)
	e, _ := admbWebhookEnv(t, admbWebhook(),
		&linkhub.WebhookAttempt{EventID: "ev-3", EventType: linkhub.EventWebhookTest, Attempt: 1, StatusCode: 202,
			DeliveryStatus: linkhub.DeliveryDelivered, CreatedAt: now},
		&linkhub.WebhookAttempt{EventID: "ev-2", EventType: linkhub.EventAccountCreated, Attempt: 2, StatusCode: 503,
			DeliveryStatus: linkhub.DeliveryPending, NextAttemptAt: &next, CreatedAt: now},
		&linkhub.WebhookAttempt{EventID: "ev-2", EventType: linkhub.EventAccountCreated, Attempt: 1, Error: "connection refused",
			DeliveryStatus: linkhub.DeliveryPending, NextAttemptAt: &next, CreatedAt: now},
		&linkhub.WebhookAttempt{EventID: "ev-1", EventType: linkhub.EventAccountDeleted, Attempt: 9, StatusCode: 500,
			DeliveryStatus: linkhub.DeliveryFailed, CreatedAt: now})
	_, doc := e.get("/admin/webhooks/" + admbWebhookID)
	rows := doc.Find(`[data-testid="attempt-row"]`)
	want := []struct{ event, status, result, more string }{
		{"webhook.test", "202", "Delivered", ""},
		{"account.created", "503", "Retrying", "Next try"},
		{"account.created", "—", "Retried", "connection refused"},
		{"account.deleted", "500", "Failed", ""},
	}
	if rows.Length() != len(want) {
		t.Fatalf("got %d rows, want %d", rows.Length(), len(want))
	}
	for i, w := range want {
		r := rows.Eq(i)
		ev, st, res := r.Find(`[data-testid="attempt-event"]`).Text(), r.Find(`[data-testid="attempt-status"]`).Text(),
			r.Find(`[data-testid="attempt-result"]`).Text()
		if ev != w.event || st != w.status || !strings.Contains(res, w.result) || !strings.Contains(res, w.more) {
			t.Errorf("row %d: got %s %s %q, want %s %s %s %s", i, ev, st, strings.TrimSpace(res), w.event, w.status, w.result, w.more)
		}
	}
	if doc.Find(`[data-testid="disable-webhook"]`).Length() != 1 || doc.Find(`[data-testid="enable-webhook"]`).Length() != 0 {
		t.Error("an enabled endpoint offers no Disable")
	}
	for _, id := range []string{admbUnknownWebhookID, "not-an-id"} {
		if resp, _ := e.get("/admin/webhooks/" + id); resp.StatusCode != http.StatusNotFound {
			t.Errorf("endpoint %s: got %d, want 404", id, resp.StatusCode)
		}
	}
}

// TestAdminWebhooks_SendTest: the test event is the service's, as the
// admin; the flash says when it is sent (at once, or once a disabled
// endpoint is enabled again).
func TestAdminWebhooks_SendTest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		enabled bool
		want    string
	}{
		{"Enabled", true, "appears in the delivery log within seconds"},
		{"Disabled", false, "it is sent once you enable it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := admbWebhook()
			w.Enabled = tt.enabled
			e, admin := admbWebhookEnv(t, w)
			var sent []string
			e.webhooks.SendTestEventFn = func(_ context.Context, actor linkhub.Actor, id string) (string, error) {
				if !admbIsAdmin(actor, admin) {
					t.Errorf("sent as %+v, want the admin", actor)
				}
				sent = append(sent, id)
				return "ev-1", nil
			}
			resp, _ := e.post("/admin/webhooks/"+admbWebhookID+"/test", nil)
			if f := admbFlash(t, e, resp, "/admin/webhooks/"+admbWebhookID); !strings.Contains(f, "Queued a webhook.test event") || !strings.Contains(f, tt.want) {
				t.Errorf("got flash %q, want %q", f, tt.want)
			}
			if resp, _ := e.post("/admin/webhooks/"+admbUnknownWebhookID+"/test", nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown endpoint: got %d, want 404", resp.StatusCode)
			}
			if !slices.Equal(sent, []string{admbWebhookID}) {
				t.Errorf("sent %v", sent)
			}
		})
	}
}

// TestAdminWebhooks_DisableEnable: disable and enable are the service's, as
// the admin; the flash of a disable says that changes meanwhile are not sent,
// not even later, and the page of a disabled endpoint offers Enable.
func TestAdminWebhooks_DisableEnable(t *testing.T) {
	t.Parallel()
	w := admbWebhook()
	e, admin := admbWebhookEnv(t, w)
	var got []bool
	e.webhooks.SetWebhookEnabledFn = func(_ context.Context, actor linkhub.Actor, id string, enabled bool) (*linkhub.Webhook, error) {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("changed as %+v, want the admin", actor)
		}
		if id != w.ID {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Webhook endpoint not found.")
		}
		got = append(got, enabled)
		w.Enabled = enabled // what the next page reads
		c := *w
		return &c, nil
	}
	resp, _ := e.post("/admin/webhooks/"+admbWebhookID+"/disable", nil)
	if f := admbFlash(t, e, resp, "/admin/webhooks/"+admbWebhookID); !strings.Contains(f, "not sent to it, not even later") {
		t.Errorf("flash %q does not say that changes while disabled are not sent", f)
	}
	if _, doc := e.get("/admin/webhooks/" + admbWebhookID); doc.Find(`[data-testid="enable-webhook"]`).Length() != 1 {
		t.Error("a disabled endpoint offers no Enable")
	}
	resp, _ = e.post("/admin/webhooks/"+admbWebhookID+"/enable", nil)
	if f := admbFlash(t, e, resp, "/admin/webhooks/"+admbWebhookID); !strings.Contains(f, "Enabled the endpoint.") {
		t.Errorf("enable: got flash %q", f)
	}
	if resp, _ := e.post("/admin/webhooks/"+admbUnknownWebhookID+"/disable", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown endpoint: got %d, want 404", resp.StatusCode)
	}
	if !slices.Equal(got, []bool{false, true}) {
		t.Errorf("the service got %v, want disable then enable", got)
	}
}

// TestAdminWebhooks_Delete: the confirmation names the URL; the delete is
// the service's, as the admin, back to the list with a flash; an unknown
// endpoint is a 404.
func TestAdminWebhooks_Delete(t *testing.T) {
	t.Parallel()
	e, admin := admbWebhookEnv(t, admbWebhook())
	_, doc := e.get("/admin/webhooks/" + admbWebhookID + "/delete")
	if doc.Find(`[data-testid="confirm-delete"]`).Length() != 1 || !strings.Contains(doc.Find("main").Text(), "https://api.example.com/hook") {
		t.Error("no confirmation naming the URL")
	}
	var deleted []string
	e.webhooks.DeleteWebhookFn = func(_ context.Context, actor linkhub.Actor, id string) error {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("deleted as %+v, want the admin", actor)
		}
		if id != admbWebhookID {
			return linkhub.Errorf(linkhub.ENOTFOUND, "Webhook endpoint not found.")
		}
		deleted = append(deleted, id)
		return nil
	}
	resp, _ := e.post("/admin/webhooks/"+admbWebhookID+"/delete", nil)
	if f := admbFlash(t, e, resp, "/admin/webhooks"); !strings.Contains(f, "Deleted the webhook endpoint.") {
		t.Errorf("got flash %q", f)
	}
	if resp, _ := e.post("/admin/webhooks/"+admbUnknownWebhookID+"/delete", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown endpoint: got %d, want 404", resp.StatusCode)
	}
	if !slices.Equal(deleted, []string{admbWebhookID}) {
		t.Errorf("deleted %v", deleted)
	}
}
