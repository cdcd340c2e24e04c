package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

var _ linkhub.WebhookService = (*WebhookService)(nil)

// ownerWebhook is the owner kind of an endpoint's signing secret, which is
// stored under the name signingSecret.
const (
	ownerWebhook  = "webhook"
	signingSecret = "signing_secret"
)

// WebhookService manages webhook endpoints and is the queue the delivery
// workers share.
type WebhookService struct {
	db       *DB
	secrets  secretStore
	checkURL func(context.Context, string) (string, error)
}

// NewWebhookService returns a WebhookService on db that seals signing
// secrets with keys. checkURL validates and normalises an endpoint's URL
// (it knows whether private networks are allowed); its errors are
// linkhub field errors for "url".
func NewWebhookService(db *DB, keys *secret.Keyring, checkURL func(context.Context, string) (string, error)) *WebhookService {
	return &WebhookService{db: db, secrets: secretStore{keys: keys}, checkURL: checkURL}
}

type webhookRow struct {
	ID        string    `db:"id"`
	URL       string    `db:"url"`
	Events    []string  `db:"events"`
	Enabled   bool      `db:"enabled"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
	Pending   int       `db:"pending"`
	Failed    int       `db:"failed"`
}

func (r webhookRow) webhook() *linkhub.Webhook {
	return &linkhub.Webhook{ID: r.ID, URL: r.URL, Events: r.Events, Enabled: r.Enabled,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Pending: r.Pending, Failed: r.Failed}
}

const webhookSelect = `SELECT w.id::text AS id, w.url, w.events, w.enabled, w.created_at, w.updated_at,
	(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.status = 'pending')::int AS pending,
	(SELECT count(*) FROM webhook_deliveries d WHERE d.endpoint_id = w.id AND d.status = 'failed')::int AS failed
	FROM webhook_endpoints w`

// FindWebhooks lists every endpoint, newest first.
func (s *WebhookService) FindWebhooks(ctx context.Context) ([]*linkhub.Webhook, error) {
	rows, _ := s.db.Pool.Query(ctx, webhookSelect+` ORDER BY w.created_at DESC, w.id`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[webhookRow])
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	out := make([]*linkhub.Webhook, len(list))
	for i, r := range list {
		out[i] = r.webhook()
	}
	return out, nil
}

// FindWebhookByID returns ENOTFOUND when there is no such endpoint.
func (s *WebhookService) FindWebhookByID(ctx context.Context, id string) (*linkhub.Webhook, error) {
	return findWebhook(ctx, s.db.Pool, id, false)
}

func findWebhook(ctx context.Context, q querier, id string, lock bool) (*linkhub.Webhook, error) {
	if !validUUID(id) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such webhook endpoint.")
	}
	sql := webhookSelect + ` WHERE w.id = $1`
	if lock {
		sql += ` FOR UPDATE OF w`
	}
	rows, _ := q.Query(ctx, sql, id)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[webhookRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such webhook endpoint.")
	} else if err != nil {
		return nil, fmt.Errorf("find webhook: %w", err)
	}
	return r.webhook(), nil
}

// CreateWebhook validates w, stores it with a new signing secret sealed, and
// returns the secret, once.
func (s *WebhookService) CreateWebhook(ctx context.Context, actor linkhub.Actor, w *linkhub.Webhook) (string, error) {
	u, err := s.checkURL(ctx, w.URL)
	if err != nil {
		return "", err
	}
	events, err := checkEvents(w.Events)
	if err != nil {
		return "", err
	}
	raw, _ := newToken(32)
	sec := linkhub.WebhookSecretPrefix + raw
	err = pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var id string
		if err := tx.QueryRow(ctx, `INSERT INTO webhook_endpoints (url, events) VALUES ($1, $2) RETURNING id::text`,
			u, events).Scan(&id); err != nil {
			return fmt.Errorf("insert webhook: %w", err)
		}
		if err := s.secrets.putSecrets(ctx, tx, ownerWebhook, id, map[string]secret.Value{signingSecret: secret.New(sec)}); err != nil {
			return err
		}
		got, err := findWebhook(ctx, tx, id, false)
		if err != nil {
			return err
		}
		*w = *got
		return insertAudit(ctx, tx, actor, linkhub.ActionWebhookCreated, "webhook", id, map[string]string{"url": u})
	})
	if err != nil {
		return "", err
	}
	return sec, nil
}

// checkEvents returns the subscribed types in the canonical order, or a
// field error for none or an unknown one.
func checkEvents(events []string) ([]string, error) {
	var out []string
	for _, e := range linkhub.WebhookEvents {
		if slices.Contains(events, e) {
			out = append(out, e)
		}
	}
	for _, e := range events {
		if !slices.Contains(linkhub.WebhookEvents, e) {
			return nil, linkhub.FieldError("events", fmt.Sprintf("%q is not an event Linkhub sends.", e))
		}
	}
	if len(out) == 0 {
		return nil, linkhub.FieldError("events", "Choose at least one event to send.")
	}
	return out, nil
}

// SetWebhookEnabled enables or disables an endpoint.
func (s *WebhookService) SetWebhookEnabled(ctx context.Context, actor linkhub.Actor, id string, enabled bool) (*linkhub.Webhook, error) {
	var w *linkhub.Webhook
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		cur, err := findWebhook(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.Enabled == enabled {
			w = cur
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE webhook_endpoints SET enabled = $2, updated_at = now() WHERE id = $1`, id, enabled); err != nil {
			return fmt.Errorf("set webhook enabled: %w", err)
		}
		action := linkhub.ActionWebhookDisabled
		if enabled {
			action = linkhub.ActionWebhookEnabled
		}
		if err := insertAudit(ctx, tx, actor, action, "webhook", id, map[string]string{"url": cur.URL}); err != nil {
			return err
		}
		w, err = findWebhook(ctx, tx, id, false)
		return err
	})
	return w, err
}

// DeleteWebhook deletes an endpoint, its secret, deliveries and log.
func (s *WebhookService) DeleteWebhook(ctx context.Context, actor linkhub.Actor, id string) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		cur, err := findWebhook(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM webhook_endpoints WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete webhook: %w", err)
		}
		if err := s.secrets.deleteSecrets(ctx, tx, ownerWebhook, id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionWebhookDeleted, "webhook", id, map[string]string{"url": cur.URL})
	})
}

// SendTestEvent queues a webhook.test event for this endpoint only.
func (s *WebhookService) SendTestEvent(ctx context.Context, actor linkhub.Actor, id string) (string, error) {
	var e linkhub.Event
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		cur, err := findWebhook(ctx, tx, id, false)
		if err != nil {
			return err
		}
		e = linkhub.Event{Type: linkhub.EventWebhookTest}
		if err := insertEventFor(ctx, tx, &e, "", id); err != nil {
			return err
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionWebhookTested, "webhook", id,
			map[string]string{"url": cur.URL, "event_id": e.ID})
	})
	return e.ID, err
}

type webhookAttemptRow struct {
	EventID        string     `db:"event_id"`
	EventType      string     `db:"event_type"`
	Attempt        int        `db:"attempt"`
	StatusCode     int        `db:"status_code"`
	LatencyMS      int        `db:"latency_ms"`
	Error          string     `db:"error"`
	DeliveryStatus string     `db:"delivery_status"`
	NextAttemptAt  *time.Time `db:"next_attempt_at"`
	CreatedAt      time.Time  `db:"created_at"`
}

// FindWebhookAttempts returns the endpoint's latest attempts, newest first.
func (s *WebhookService) FindWebhookAttempts(ctx context.Context, id string, limit int) ([]*linkhub.WebhookAttempt, error) {
	if !validUUID(id) {
		return nil, nil
	}
	rows, _ := s.db.Pool.Query(ctx, `
		SELECT a.event_id::text AS event_id, e.type AS event_type, a.attempt, a.status_code, a.latency_ms, a.error,
			d.status AS delivery_status, a.next_attempt_at, a.created_at
		FROM webhook_attempts a JOIN webhook_events e ON e.id = a.event_id JOIN webhook_deliveries d ON d.id = a.delivery_id
		WHERE a.endpoint_id = $1 ORDER BY a.id DESC LIMIT $2`, id, max(limit, 1))
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[webhookAttemptRow])
	if err != nil {
		return nil, fmt.Errorf("find webhook attempts: %w", err)
	}
	out := make([]*linkhub.WebhookAttempt, len(list))
	for i, r := range list {
		out[i] = &linkhub.WebhookAttempt{EventID: r.EventID, EventType: r.EventType, Attempt: r.Attempt,
			StatusCode: r.StatusCode, Latency: time.Duration(r.LatencyMS) * time.Millisecond, Error: r.Error,
			DeliveryStatus: r.DeliveryStatus, NextAttemptAt: r.NextAttemptAt, CreatedAt: r.CreatedAt}
	}
	return out, nil
}
