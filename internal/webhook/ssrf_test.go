package webhook_test

import (
	"context"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/kit/kittest"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/webhook"
)

// rebinder answers like a DNS server whose owner rebinds a name between the
// save-time check and the delivery: the public address until rebind, then
// the target.
type rebinder struct {
	mu      sync.Mutex
	target  netip.Addr
	lookups int // since the last rebind
}

func (r *rebinder) LookupNetIP(ctx context.Context, network, _ string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lookups++
	if r.target.IsValid() {
		return []netip.Addr{r.target}, nil
	}
	return kittest.Resolver{}.LookupNetIP(ctx, network, kittest.PublicHost)
}

func (r *rebinder) rebind(to netip.Addr) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.target, r.lookups = to, 0
}

func (r *rebinder) lookupsSinceRebind() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lookups
}

// TestWorker_RefusesRebinding: an endpoint whose name resolved to a public
// address when the admin saved it, and to a private, loopback or metadata
// address at delivery, gets nothing: the worker's dialer asks DNS again and
// refuses the address before connecting. The delivery is logged as refused
// by the policy and retried later, like any failure.
func TestWorker_RefusesRebinding(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	dns := &rebinder{}
	cfg := kit.Config{Resolver: dns} // the production policy
	hooks := postgres.NewWebhookService(e.db, e.keys, webhook.URLChecker(cfg))
	attempt := func(t *testing.T, cfg kit.Config, to netip.Addr) *linkhub.WebhookAttempt {
		t.Helper()
		dns.rebind(netip.Addr{})
		w := &linkhub.Webhook{URL: "https://hooks.example.com/" + to.String(), Events: linkhub.WebhookEvents}
		if _, err := hooks.CreateWebhook(ctx, linkhub.SystemActor, w); err != nil {
			t.Fatalf("save while the name is public: %v", err)
		}
		if _, err := hooks.SendTestEvent(ctx, linkhub.SystemActor, w.ID); err != nil {
			t.Fatal(err)
		}
		dns.rebind(to)
		worker := webhook.NewWorker(hooks, cfg, slog.New(slog.DiscardHandler), webhook.Options{Now: e.clock.Now})
		if n := runOnce(t, worker); n != 1 {
			t.Fatalf("claimed %d deliveries, want 1", n)
		}
		if dns.lookupsSinceRebind() == 0 {
			t.Fatal("the delivery did not ask DNS again: the test proves nothing")
		}
		log, err := hooks.FindWebhookAttempts(ctx, w.ID, 1)
		if err != nil || len(log) != 1 {
			t.Fatalf("got %d attempts (%v), want 1", len(log), err)
		}
		return log[0]
	}
	for _, to := range []string{"127.0.0.1", "10.0.0.5", "192.168.1.10", "169.254.169.254", "100.100.100.200",
		"0.0.0.0", "::1", "::ffff:127.0.0.1", "fd00:ec2::254", "fe80::1"} {
		t.Run(to, func(t *testing.T) {
			a := attempt(t, cfg, netip.MustParseAddr(to))
			if a.DeliveryStatus == linkhub.DeliveryDelivered || a.StatusCode != 0 || a.NextAttemptAt == nil ||
				!strings.Contains(a.Error, "may not connect") {
				t.Fatalf("got attempt %+v, want refused by the address policy and retried later", a)
			}
		})
	}
	// Control: with loopback allowed the same rebinding reaches connect(2)
	// (nothing listens on port 443 there), so the refusals above are the
	// policy's and not a failure of the set-up.
	open := cfg
	open.AllowCIDRs = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	if a := attempt(t, open, netip.MustParseAddr("127.0.0.1")); strings.Contains(a.Error, "may not connect") || a.Error == "" {
		t.Fatalf("control: got %q, want a connection failure past the policy", a.Error)
	}
}
