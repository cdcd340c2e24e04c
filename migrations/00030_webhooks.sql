-- +goose Up
-- Webhooks: the endpoints an admin registers (their signing secrets live
-- sealed in the secrets table under owner_kind 'webhook'), the outbox of
-- events written in the same transaction as the change they report, one
-- delivery per event and subscribed endpoint (the work queue the workers of
-- every replica share), and a log line per delivery attempt.
CREATE TABLE webhook_endpoints (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url        text        NOT NULL,
    events     text[]      NOT NULL,
    enabled    boolean     NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- seq orders events: deliveries for one account reach an endpoint in seq
-- order. order_key is the account id (or the event's own id when it has no
-- account), so ordering holds per account and nothing else waits.
CREATE TABLE webhook_events (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq        bigserial   NOT NULL UNIQUE,
    type       text        NOT NULL,
    order_key  text        NOT NULL,
    body       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_events_created ON webhook_events (created_at);

CREATE TABLE webhook_deliveries (
    id              bigserial PRIMARY KEY,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    event_seq       bigint      NOT NULL,
    order_key       text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- A worker owns a claimed delivery until claimed_until; one that died
    -- mid-delivery leaves it claimable again after that.
    claimed_until   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, event_seq) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (endpoint_id, order_key, event_seq) WHERE status = 'pending';

-- One row per attempt: what the admin's delivery log shows. error is a
-- summary in our words, never a header, a body or a secret.
CREATE TABLE webhook_attempts (
    id              bigserial PRIMARY KEY,
    delivery_id     bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    attempt         integer     NOT NULL,
    status_code     integer     NOT NULL DEFAULT 0,
    latency_ms      integer     NOT NULL DEFAULT 0,
    error           text        NOT NULL DEFAULT '',
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, id DESC);

-- The health scheduler claims due accounts by moving next_test_at forward.
CREATE INDEX accounts_next_test ON accounts (next_test_at) WHERE status IN ('active', 'error', 'needs_relink');
