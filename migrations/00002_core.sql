-- +goose Up
-- Every stored secret lives here, sealed (internal/secret) with associated
-- data (owner_kind, owner_id, name), so one table is re-wrapped on key
-- rotation and a copied ciphertext cannot be opened elsewhere.
CREATE TABLE secrets (
    owner_kind text        NOT NULL CHECK (owner_kind IN ('profile', 'account', 'webhook')),
    owner_id   uuid        NOT NULL,
    name       text        NOT NULL,
    kek_id     integer     NOT NULL,
    sealed     bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_kind, owner_id, name)
);
CREATE INDEX secrets_kek_id ON secrets (kek_id);

CREATE TABLE admins (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);
CREATE UNIQUE INDEX admins_email ON admins (lower(email));

CREATE TABLE api_keys (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text        NOT NULL,
    prefix       text        NOT NULL UNIQUE,
    hash         bytea       NOT NULL,
    created_by   uuid REFERENCES admins (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE TABLE profiles (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    connector_id text        NOT NULL,
    name         text        NOT NULL,
    enabled      boolean     NOT NULL DEFAULT true,
    is_default   boolean     NOT NULL DEFAULT false,
    actions      text[]      NOT NULL DEFAULT '{}',
    field_values jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX profiles_name ON profiles (lower(name));
CREATE UNIQUE INDEX profiles_one_default ON profiles (connector_id) WHERE is_default;

CREATE TABLE accounts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    profile_id         uuid        NOT NULL REFERENCES profiles (id),
    connector_id       text        NOT NULL,
    origin_owner_id    text        NOT NULL,
    origin_owner_name  text        NOT NULL,
    origin_username    text        NOT NULL DEFAULT '',
    label              text        NOT NULL DEFAULT '',
    status             text        NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'error', 'needs_relink', 'disabled', 'inactive')),
    status_reason      text        NOT NULL DEFAULT '',
    field_values       jsonb       NOT NULL DEFAULT '{}',
    metadata           jsonb       NOT NULL DEFAULT '{}',
    session_metadata   jsonb       NOT NULL DEFAULT '{}',
    credential_version integer     NOT NULL DEFAULT 1,
    last_tested_at     timestamptz,
    next_test_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_owner ON accounts (origin_owner_id, created_at DESC, id);
CREATE INDEX accounts_profile ON accounts (profile_id);
CREATE INDEX accounts_status ON accounts (status);

CREATE TABLE connect_sessions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash        bytea       NOT NULL UNIQUE,
    origin_owner_id   text        NOT NULL,
    origin_owner_name text        NOT NULL,
    origin_username   text        NOT NULL DEFAULT '',
    profile_ids       uuid[]      NOT NULL DEFAULT '{}',
    connector_id      text        NOT NULL DEFAULT '',
    account_id        uuid REFERENCES accounts (id) ON DELETE CASCADE,
    embed_origin      text        NOT NULL DEFAULT '',
    return_url        text        NOT NULL DEFAULT '',
    metadata          jsonb       NOT NULL DEFAULT '{}',
    label             text        NOT NULL DEFAULT '',
    created_by_key    uuid REFERENCES api_keys (id) ON DELETE SET NULL,
    created_by_admin  uuid REFERENCES admins (id) ON DELETE SET NULL,
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connect_sessions_expires ON connect_sessions (expires_at);

-- Every link or relink attempt, kept for admins and the host API.
CREATE TABLE attempts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    connect_session_id uuid REFERENCES connect_sessions (id) ON DELETE SET NULL,
    profile_id         uuid REFERENCES profiles (id) ON DELETE CASCADE,
    account_id         uuid REFERENCES accounts (id) ON DELETE CASCADE,
    kind               text        NOT NULL DEFAULT 'link' CHECK (kind IN ('link', 'relink', 'retest', 'profile_test')),
    status             text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'failed', 'expired', 'cancelled')),
    stage              text        NOT NULL DEFAULT '',
    reason             text        NOT NULL DEFAULT '',
    report             jsonb       NOT NULL DEFAULT '{}',
    ip                 text        NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    finished_at        timestamptz
);
CREATE INDEX attempts_account ON attempts (account_id, created_at DESC);
CREATE INDEX attempts_session ON attempts (connect_session_id);

-- Who did what, when, from where. Never a secret in details.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    actor_kind  text        NOT NULL CHECK (actor_kind IN ('admin', 'api_key', 'end_user', 'system')),
    actor_id    text        NOT NULL DEFAULT '',
    actor_label text        NOT NULL DEFAULT '',
    action      text        NOT NULL,
    target_kind text        NOT NULL DEFAULT '',
    target_id   text        NOT NULL DEFAULT '',
    ip          text        NOT NULL DEFAULT '',
    details     jsonb       NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at DESC);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id);
