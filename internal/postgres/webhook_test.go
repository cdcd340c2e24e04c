package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestWebhookService_CreateRefused: an endpoint without events, with an
// event Linkhub does not send, or with a URL its checker refuses is
// EINVALID on that field with a message, and nothing is stored or audited.
func TestWebhookService_CreateRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	refuse := func(_ context.Context, u string) (string, error) {
		if u == "https://10.0.0.5/hook" {
			return "", linkhub.FieldError("url", "The address is private or reserved.")
		}
		return u, nil
	}
	hooks := postgres.NewWebhookService(db, MustKeyring(t, map[int]string{}, 1, 1), refuse)
	for _, tt := range []struct {
		name, url string
		events    []string
		field     string
		want      string
	}{
		{"ErrNoEvents", "https://a.example/hook", nil, "events", "at least one event"},
		{"ErrUnknownEvent", "https://a.example/hook", []string{"account.exploded"}, "events", "not an event"},
		{"ErrURL", "https://10.0.0.5/hook", linkhub.WebhookEvents, "url", "private or reserved"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sec, err := hooks.CreateWebhook(ctx, linkhub.SystemActor, &linkhub.Webhook{URL: tt.url, Events: tt.events})
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != tt.field ||
				!strings.Contains(linkhub.ErrorMessage(err), tt.want) || sec != "" {
				t.Errorf("got %q, %v (field %q), want EINVALID on %s with %q", sec, err, linkhub.ErrorField(err), tt.field, tt.want)
			}
		})
	}
	list, err := hooks.FindWebhooks(ctx)
	entries, _, aerr := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
	if err != nil || aerr != nil || len(list) != 0 || len(entries) != 0 {
		t.Errorf("got %d endpoints and %d audit entries (%v, %v), want none", len(list), len(entries), err, aerr)
	}
}
