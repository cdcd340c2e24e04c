package webhook_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/webhook"
)

// BenchmarkCreateAccount_Outbox is what the outbox adds to a change: an
// account created with 0 and with 3 subscribed endpoints.
func BenchmarkCreateAccount_Outbox(b *testing.B) {
	for _, endpoints := range []int{0, 3} {
		b.Run(fmt.Sprintf("endpoints=%d", endpoints), func(b *testing.B) {
			e := newEnv(b)
			for i := range endpoints {
				w := &linkhub.Webhook{URL: fmt.Sprintf("https://hooks%d.example.com/x", i), Events: linkhub.WebhookEvents}
				if _, err := e.hooks.CreateWebhook(context.Background(), linkhub.SystemActor, w); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				a := &linkhub.Account{ProfileID: e.profile.ID, OriginOwnerID: fmt.Sprint("owner-", i), OriginOwnerName: "Owner"}
				if err := e.accounts.CreateAccount(context.Background(), a, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWorker_Deliver is one event claimed, posted signed to a loopback
// receiver and recorded, in batches of 20 with 4 in flight.
func BenchmarkWorker_Deliver(b *testing.B) {
	e := newEnv(b)
	r := newReceiver(b)
	e.endpoint(b, r.URL)
	w := e.worker(webhook.Options{})
	b.StopTimer()
	for i := range b.N {
		e.account(b, fmt.Sprint("owner-", i))
	}
	b.StartTimer()
	delivered := 0
	for delivered < b.N {
		n, err := w.RunOnce(context.Background())
		if err != nil || n == 0 {
			b.Fatalf("claimed %d (%v) with %d of %d delivered", n, err, delivered, b.N)
		}
		delivered += n
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
