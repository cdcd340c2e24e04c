-- +goose Up
-- Admin console: server-side sessions (the cookie only carries a random id,
-- stored here hashed, so logout and disabling an admin end it at once), the
-- first-run setup tokens, and per-email sign-in throttling shared by every
-- replica.
CREATE TABLE admin_sessions (
    id_hash      bytea PRIMARY KEY,
    admin_id     uuid        NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_id);

CREATE TABLE setup_tokens (
    hash       bytea PRIMARY KEY,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Keyed by the lower-cased email typed, known or not, so a lockout reveals
-- nothing about which admins exist.
CREATE TABLE login_throttle (
    email        text PRIMARY KEY,
    failures     integer     NOT NULL DEFAULT 0,
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_action ON audit_log (action, created_at DESC);
CREATE INDEX api_keys_created ON api_keys (created_at DESC);
