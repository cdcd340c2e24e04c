-- +goose Up
-- A hub session is what opening a connect token starts: a random handle (only
-- its SHA-256 is stored) that the hub carries in its URLs and forms instead of
-- a cookie, so the hub works in an iframe with third-party cookies blocked.
CREATE TABLE hub_sessions (
    handle_hash        bytea PRIMARY KEY,
    connect_session_id uuid        NOT NULL REFERENCES connect_sessions (id) ON DELETE CASCADE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL
);
CREATE INDEX hub_sessions_session ON hub_sessions (connect_session_id);
CREATE INDEX hub_sessions_expires ON hub_sessions (expires_at);

-- A test that succeeded but waits for the user's choice (a Sophos tenant under
-- a partner credential) is held on its attempt; its secrets wait sealed in
-- the secrets table under owner_kind 'attempt' and are deleted when it is
-- taken.
ALTER TABLE attempts
    ADD COLUMN held          boolean NOT NULL DEFAULT false,
    ADD COLUMN held_values   jsonb   NOT NULL DEFAULT '{}',
    ADD COLUMN held_metadata jsonb   NOT NULL DEFAULT '{}',
    ADD COLUMN choices       jsonb   NOT NULL DEFAULT '[]';

ALTER TABLE secrets DROP CONSTRAINT secrets_owner_kind_check;
ALTER TABLE secrets ADD CONSTRAINT secrets_owner_kind_check
    CHECK (owner_kind IN ('profile', 'account', 'webhook', 'attempt'));
