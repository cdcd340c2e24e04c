package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.WebhookService = (*WebhookService)(nil)

// WebhookService is a linkhub.WebhookService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type WebhookService struct {
	FindWebhooksFn        func(ctx context.Context) ([]*linkhub.Webhook, error)
	FindWebhookByIDFn     func(ctx context.Context, id string) (*linkhub.Webhook, error)
	CreateWebhookFn       func(ctx context.Context, actor linkhub.Actor, w *linkhub.Webhook) (secret string, err error)
	SetWebhookEnabledFn   func(ctx context.Context, actor linkhub.Actor, id string, enabled bool) (*linkhub.Webhook, error)
	DeleteWebhookFn       func(ctx context.Context, actor linkhub.Actor, id string) error
	SendTestEventFn       func(ctx context.Context, actor linkhub.Actor, id string) (eventID string, err error)
	FindWebhookAttemptsFn func(ctx context.Context, id string, limit int) ([]*linkhub.WebhookAttempt, error)
}

// FindWebhooks calls FindWebhooksFn.
func (m *WebhookService) FindWebhooks(ctx context.Context) ([]*linkhub.Webhook, error) {
	return m.FindWebhooksFn(ctx)
}

// FindWebhookByID calls FindWebhookByIDFn.
func (m *WebhookService) FindWebhookByID(ctx context.Context, id string) (*linkhub.Webhook, error) {
	return m.FindWebhookByIDFn(ctx, id)
}

// CreateWebhook calls CreateWebhookFn.
func (m *WebhookService) CreateWebhook(ctx context.Context, actor linkhub.Actor, w *linkhub.Webhook) (secret string, err error) {
	return m.CreateWebhookFn(ctx, actor, w)
}

// SetWebhookEnabled calls SetWebhookEnabledFn.
func (m *WebhookService) SetWebhookEnabled(ctx context.Context, actor linkhub.Actor, id string, enabled bool) (*linkhub.Webhook, error) {
	return m.SetWebhookEnabledFn(ctx, actor, id, enabled)
}

// DeleteWebhook calls DeleteWebhookFn.
func (m *WebhookService) DeleteWebhook(ctx context.Context, actor linkhub.Actor, id string) error {
	return m.DeleteWebhookFn(ctx, actor, id)
}

// SendTestEvent calls SendTestEventFn.
func (m *WebhookService) SendTestEvent(ctx context.Context, actor linkhub.Actor, id string) (eventID string, err error) {
	return m.SendTestEventFn(ctx, actor, id)
}

// FindWebhookAttempts calls FindWebhookAttemptsFn.
func (m *WebhookService) FindWebhookAttempts(ctx context.Context, id string, limit int) ([]*linkhub.WebhookAttempt, error) {
	return m.FindWebhookAttemptsFn(ctx, id, limit)
}
