package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// insertEvent writes e to the webhook outbox inside the caller's
// transaction, with one pending delivery per enabled endpoint subscribed to
// its type: the event exists exactly when the change it reports does, and a
// crash after the commit loses nothing. It fills in e's id and created_at.
// orderKey groups events that must reach an endpoint in order (an account's
// id); "" means the event's own id.
func insertEvent(ctx context.Context, tx pgx.Tx, e *linkhub.Event, orderKey string) error {
	return insertEventFor(ctx, tx, e, orderKey, "")
}

// insertEventFor is insertEvent for one endpoint only, whatever it
// subscribes to (the admin's test event), when endpointID is set.
func insertEventFor(ctx context.Context, tx pgx.Tx, e *linkhub.Event, orderKey, endpointID string) error {
	// Made here, not by the database, as the body carries them: one round
	// trip less per change. Order comes from seq, not from created_at.
	e.ID, e.CreatedAt = uuid.NewString(), time.Now().UTC().Truncate(time.Millisecond)
	if orderKey == "" {
		orderKey = e.ID
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode event %s: %w", e.Type, err)
	}
	_, err = tx.Exec(ctx, `
		WITH ev AS (
			INSERT INTO webhook_events (id, type, order_key, body, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id, seq, order_key
		)
		INSERT INTO webhook_deliveries (endpoint_id, event_id, event_seq, order_key)
		SELECT w.id, ev.id, ev.seq, ev.order_key FROM webhook_endpoints w, ev
		WHERE CASE WHEN $6::uuid IS NULL THEN w.enabled AND $2 = ANY (w.events) ELSE w.id = $6::uuid END`,
		e.ID, e.Type, orderKey, body, e.CreatedAt, nullUUID(endpointID))
	if err != nil {
		return fmt.Errorf("insert event %s: %w", e.Type, err)
	}
	return nil
}

// accountEvent writes an event about a.
func accountEvent(ctx context.Context, tx pgx.Tx, typ string, a *linkhub.Account) error {
	return insertEvent(ctx, tx, &linkhub.Event{Type: typ, Account: linkhub.NewEventAccount(a)}, a.ID)
}

// statusEvent writes account.status_changed when the status really changed.
func statusEvent(ctx context.Context, tx pgx.Tx, previous string, a *linkhub.Account) error {
	if previous == a.Status {
		return nil
	}
	return insertEvent(ctx, tx, &linkhub.Event{Type: linkhub.EventAccountStatusChanged,
		Account: linkhub.NewEventAccount(a), PreviousStatus: previous, Status: a.Status}, a.ID)
}
