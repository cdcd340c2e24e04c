package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/kit/kittest"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/webhook"
)

func TestAdmin_WebhookURLValidation(t *testing.T) {
	t.Parallel()
	// The production policy (https to public hosts only), with a resolver
	// that answers like a hostile DNS server: only kittest.PublicHost is public.
	env := newAdminEnvWith(t, connector.Config{Resolver: kittest.Resolver{}})
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	all := linkhub.WebhookEvents
	for _, tt := range []struct {
		name, url string
		events    []string
		field     string
		want      string
	}{
		{"Empty", " ", all, "url", "Enter the URL"},
		{"NotAURL", "api.example.com/hook", all, "url", "full URL"},
		{"HTTP", "http://api.example.com/hook", all, "url", "https://"},
		{"FTP", "ftp://api.example.com/hook", all, "url", "https://"},
		{"Loopback", "https://127.0.0.1/hook", all, "url", "private or reserved"},
		{"Metadata", "https://169.254.169.254/latest", all, "url", "private or reserved"},
		{"Localhost", "https://localhost/hook", all, "url", "this machine"},
		{"UserInfo", "https://user:pw@api.example.com/hook", all, "url", "user name and password"},
		{"Port", "https://api.example.com:9000/hook", all, "url", "port 443 or 8443"},
		{"NoSuchName", "https://nothing.invalid/hook", all, "url", "does not exist"},
		{"ResolvesPrivate", "https://rebind.example.com/hook", all, "url", "private or reserved"},
		{"NumericHost", "https://2130706433/hook", all, "url", "usual dotted form"},
		{"NoEvents", "https://" + kittest.PublicHost + "/hook", nil, "events", "at least one event"},
		{"UnknownEvent", "https://" + kittest.PublicHost + "/hook", []string{"account.exploded"}, "events", "not an event"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := b.post("/admin/webhooks", url.Values{"url": {tt.url}, "events": tt.events})
			msg := doc.Find(`[data-testid="` + tt.field + `-error"]`).Text()
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, tt.want) {
				t.Fatalf("got %d %q, want 422 with %q on %s", resp.StatusCode, msg, tt.want, tt.field)
			}
			if v, _ := doc.Find(`#url`).Attr("value"); v != tt.url {
				t.Errorf("the form lost the URL: %q", v)
			}
		})
	}
	if list, _ := env.webhooks.FindWebhooks(context.Background()); len(list) != 0 {
		t.Fatalf("bad input stored %d endpoints", len(list))
	}
}

// TestAdmin_WebhookURLTricks checks that an admin cannot point webhooks at
// an address a Jamf Pro URL may not use: every SSRF trick of the shared table
// is refused at save time with a message on the URL field, and nothing is
// stored; a public name is accepted, so the refusals are about the tricks.
func TestAdmin_WebhookURLTricks(t *testing.T) {
	t.Parallel()
	env := newAdminEnvWith(t, connector.Config{Resolver: kittest.Resolver{}})
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	for _, tr := range kittest.Tricks {
		t.Run(tr.Name, func(t *testing.T) {
			resp, doc := b.post("/admin/webhooks", url.Values{"url": {tr.URL + "/hook"}, "events": linkhub.WebhookEvents})
			if msg := doc.Find(`[data-testid="url-error"]`).Text(); resp.StatusCode != http.StatusUnprocessableEntity || msg == "" {
				t.Fatalf("got %d %q, want 422 with a message on the URL", resp.StatusCode, msg)
			}
		})
	}
	if list, err := env.webhooks.FindWebhooks(context.Background()); err != nil || len(list) != 0 {
		t.Fatalf("the tricks stored %d endpoints (%v)", len(list), err)
	}
	control := "https://" + kittest.PublicHost + ":8443/hook"
	if resp, _ := b.post("/admin/webhooks", url.Values{"url": {control}, "events": linkhub.WebhookEvents}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("control %s: got %d, want 201", control, resp.StatusCode)
	}
}

// TestAdmin_Webhooks: add an endpoint (secret shown once), send a test
// event that a worker delivers signed, read the delivery log, disable and
// delete.
func TestAdmin_Webhooks(t *testing.T) {
	t.Parallel()
	env := newAdminEnvWith(t, connector.Config{AllowPrivate: true})
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")

	var mu sync.Mutex
	var got []*http.Request
	var bodies [][]byte
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, bodies = append(got, r), append(bodies, body)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(rcv.Close)

	_, doc := b.get("/admin/webhooks")
	if doc.Find(`[data-testid="nav-webhooks"]`).Length() != 1 || doc.Find(`[data-testid="empty-webhooks"]`).Length() != 1 {
		t.Fatal("the webhooks page lacks its nav entry or empty state")
	}
	if n := doc.Find(`input[name="events"][checked]`).Length(); n != len(linkhub.WebhookEvents) {
		t.Errorf("%d events checked by default, want all %d", n, len(linkhub.WebhookEvents))
	}
	resp, doc := b.post("/admin/webhooks", url.Values{"url": {rcv.URL + "/hook"},
		"events": {linkhub.EventAccountCreated, linkhub.EventAccountStatusChanged}})
	sec, _ := doc.Find(`[data-testid="new-secret"]`).Attr("value")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(sec, linkhub.WebhookSecretPrefix) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create: got %d, secret %q, Cache-Control %q", resp.StatusCode, sec, resp.Header.Get("Cache-Control"))
	}
	env.secrets = append(env.secrets, sec)         // never in the log
	env.pageSecrets = append(env.pageSecrets, sec) // never on a page again
	list, err := env.webhooks.FindWebhooks(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d endpoints (%v), want 1", len(list), err)
	}
	id := list[0].ID
	_, doc = b.get("/admin/webhooks")
	if u := doc.Find(`[data-testid="webhook-url"]`).Text(); u != rcv.URL+"/hook" {
		t.Errorf("listed URL %q", u)
	}
	b.get("/admin/webhooks/" + id)
	b.get("/admin/audit")

	resp, _ = b.post("/admin/webhooks/"+id+"/test", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send test: got %d", resp.StatusCode)
	}
	w := webhook.NewWorker(env.webhooks, connector.Config{AllowPrivate: true}, slog.New(slog.DiscardHandler), webhook.Options{})
	if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("worker: delivered %d (%v), want 1", n, err)
	}
	mu.Lock()
	if len(got) != 1 || webhook.Verify(sec, got[0].Header.Get(webhook.HeaderTimestamp), got[0].Header.Get(webhook.HeaderSignature),
		bodies[0], 5*time.Minute, time.Now()) != nil {
		t.Fatalf("the receiver got %d requests, or the signature does not verify", len(got))
	}
	var ev linkhub.Event
	_ = json.Unmarshal(bodies[0], &ev)
	mu.Unlock()
	if ev.Type != linkhub.EventWebhookTest || ev.ID == "" {
		t.Fatalf("got event %+v, want webhook.test", ev)
	}
	_, doc = b.get("/admin/webhooks/" + id)
	row := doc.Find(`[data-testid="attempt-row"]`)
	if row.Length() != 1 || row.Find(`[data-testid="attempt-event"]`).Text() != linkhub.EventWebhookTest ||
		row.Find(`[data-testid="attempt-status"]`).Text() != "202" || !strings.Contains(row.Find(`[data-testid="attempt-result"]`).Text(), "Delivered") {
		h, _ := row.Html()
		t.Fatalf("delivery log row: %s", h)
	}

	if resp, _ := b.post("/admin/webhooks/"+id+"/disable", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: got %d", resp.StatusCode)
	}
	if wh, _ := env.webhooks.FindWebhookByID(context.Background(), id); wh.Enabled {
		t.Fatal("still enabled")
	}
	_, doc = b.get("/admin/webhooks/" + id)
	if doc.Find(`[data-testid="enable-webhook"]`).Length() != 1 {
		t.Error("a disabled endpoint offers no Enable")
	}
	// The flash says what happens to changes made now: nothing is queued.
	if f := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(f, "not sent to it, not even later") {
		t.Errorf("flash %q does not say that changes while disabled are not sent", f)
	}
	p := &linkhub.Profile{ConnectorID: "sophos", Name: "Sophos", Enabled: true, Actions: defaultActions("sophos")}
	if err := env.profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	if err := env.accounts.CreateAccount(context.Background(), &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "o",
		OriginOwnerName: "O"}, nil); err != nil {
		t.Fatal(err)
	}
	if wh, _ := env.webhooks.FindWebhookByID(context.Background(), id); wh.Pending != 0 {
		t.Errorf("a change while disabled queued %d deliveries, want none", wh.Pending)
	}
	b.get("/admin/webhooks/" + id + "/delete")
	if resp, _ := b.post("/admin/webhooks/"+id+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: got %d", resp.StatusCode)
	}
	if resp, _ := b.get("/admin/webhooks/" + id); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted endpoint: got %d, want 404", resp.StatusCode)
	}
	var secrets int
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM secrets WHERE owner_kind = 'webhook'`).Scan(&secrets); err != nil || secrets != 0 {
		t.Fatalf("%d webhook secrets left (%v), want 0", secrets, err)
	}
	want := []string{linkhub.ActionWebhookCreated, linkhub.ActionWebhookTested, linkhub.ActionWebhookDisabled, linkhub.ActionWebhookDeleted}
	var actions []string
	for _, a := range env.auditActions() {
		if strings.HasPrefix(a, "webhook.") {
			actions = append(actions, a)
		}
	}
	if strings.Join(actions, ",") != strings.Join(want, ",") {
		t.Fatalf("audit: got %v, want %v", actions, want)
	}
	if resp, _ := b.get("/admin/webhooks/not-an-id"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown endpoint: got %d, want 404", resp.StatusCode)
	}
}
