package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// ClaimDeliveries claims up to limit deliveries that are due at now for
// lease: FOR UPDATE SKIP LOCKED lets the workers of every replica claim at
// once without waiting for each other or claiming the same one. A delivery
// is held back while an earlier event of the same account is still pending
// for the same endpoint, so each endpoint hears of an account's changes in
// order. Deliveries to the endpoints in skip are left alone: the worker
// still has some in flight there. A worker that dies leaves its claims to
// expire.
func (s *WebhookService) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int, skip []string) ([]linkhub.WebhookDelivery, error) {
	var out []linkhub.WebhookDelivery
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			WITH due AS (
				SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
				WHERE d.status = 'pending' AND w.enabled AND d.next_attempt_at <= $1
				  AND (d.claimed_until IS NULL OR d.claimed_until <= $1)
				  AND NOT d.endpoint_id = ANY($4::uuid[])
				  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
					WHERE p.endpoint_id = d.endpoint_id AND p.order_key = d.order_key
					  AND p.status = 'pending' AND p.event_seq < d.event_seq)
				ORDER BY d.event_seq LIMIT $3
				FOR UPDATE OF d SKIP LOCKED
			), claimed AS (
				UPDATE webhook_deliveries d SET claimed_until = $1::timestamptz + $2::bigint * interval '1 millisecond', attempts = d.attempts + 1
				FROM due WHERE d.id = due.id
				RETURNING d.id, d.endpoint_id, d.event_id, d.attempts, d.created_at
			)
			SELECT c.id, c.endpoint_id::text AS endpoint_id, w.url, c.event_id::text AS event_id, e.type AS event_type,
				e.body::text AS body, c.attempts AS attempt, c.created_at
			FROM claimed c JOIN webhook_endpoints w ON w.id = c.endpoint_id JOIN webhook_events e ON e.id = c.event_id
			ORDER BY e.seq`, now, lease.Milliseconds(), limit, orEmpty(skip))
		list, err := pgx.CollectRows(rows, pgx.RowToStructByName[deliveryRow])
		if err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		if len(list) == 0 {
			return nil
		}
		ids := make([]string, len(list))
		for i, r := range list {
			ids[i] = r.EndpointID
		}
		secrets, err := s.secrets.findSecretsOf(ctx, tx, ownerWebhook, ids)
		if err != nil {
			return err
		}
		for _, r := range list {
			out = append(out, linkhub.WebhookDelivery{ID: r.ID, EndpointID: r.EndpointID, URL: r.URL,
				Secret: secrets[r.EndpointID][signingSecret], EventID: r.EventID, EventType: r.EventType,
				Body: []byte(r.Body), Attempt: r.Attempt, CreatedAt: r.CreatedAt})
		}
		return nil
	})
	return out, err
}

type deliveryRow struct {
	ID         int64     `db:"id"`
	EndpointID string    `db:"endpoint_id"`
	URL        string    `db:"url"`
	EventID    string    `db:"event_id"`
	EventType  string    `db:"event_type"`
	Body       string    `db:"body"`
	Attempt    int       `db:"attempt"`
	CreatedAt  time.Time `db:"created_at"`
}

// FinishDelivery logs the attempt and moves the delivery on: delivered,
// pending again until o.NextAttemptAt, or failed. A worker whose claim ran
// out and was taken over by another only adds its log line.
func (s *WebhookService) FinishDelivery(ctx context.Context, d linkhub.WebhookDelivery, o linkhub.DeliveryOutcome, at time.Time) error {
	status := linkhub.DeliveryPending
	switch {
	case o.Delivered:
		status = linkhub.DeliveryDelivered
	case o.NextAttemptAt == nil:
		status = linkhub.DeliveryFailed
	}
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO webhook_attempts (delivery_id, endpoint_id, event_id, attempt, status_code, latency_ms, error, next_attempt_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			d.ID, d.EndpointID, d.EventID, d.Attempt, o.StatusCode, o.Latency.Milliseconds(), o.Error, o.NextAttemptAt, at); err != nil {
			return fmt.Errorf("log webhook attempt: %w", err)
		}
		next := at
		if o.NextAttemptAt != nil {
			next = *o.NextAttemptAt
		}
		_, err := tx.Exec(ctx, `
			UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, claimed_until = NULL,
				finished_at = CASE WHEN $3 = 'pending' THEN NULL ELSE $5::timestamptz END
			WHERE id = $1 AND attempts = $2 AND status = 'pending'`, d.ID, d.Attempt, status, next, at)
		if err != nil {
			return fmt.Errorf("finish delivery: %w", err)
		}
		return nil
	})
}

// ReleaseDeliveries hands back claimed deliveries a worker did not attempt
// (it was shutting down): due again at once for any worker, and the claim's
// attempt number given back, so the receiver's first attempt is number 1.
// A delivery whose claim another worker has taken over is left alone.
func (s *WebhookService) ReleaseDeliveries(ctx context.Context, ds []linkhub.WebhookDelivery) error {
	ids, attempts := make([]int64, len(ds)), make([]int32, len(ds))
	for i, d := range ds {
		ids[i], attempts[i] = d.ID, int32(d.Attempt) // #nosec G115 -- a count of attempts, far below 2³¹
	}
	if _, err := s.db.Pool.Exec(ctx, `
		UPDATE webhook_deliveries d SET claimed_until = NULL, attempts = d.attempts - 1
		FROM unnest($1::bigint[], $2::integer[]) AS r(id, attempt)
		WHERE d.id = r.id AND d.attempts = r.attempt AND d.status = 'pending'`, ids, attempts); err != nil {
		return fmt.Errorf("release deliveries: %w", err)
	}
	return nil
}

// PruneEvents deletes the events created before before whose deliveries
// are all settled (delivered or failed), with their deliveries and log
// lines, and returns how many it deleted. The outbox then stays as large
// as its retention, not as old as the installation.
func (s *WebhookService) PruneEvents(ctx context.Context, before time.Time) (int, error) {
	tag, err := s.db.Pool.Exec(ctx, `
		DELETE FROM webhook_events e WHERE e.created_at < $1
		AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')`, before)
	if err != nil {
		return 0, fmt.Errorf("prune webhook events: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
