-- +goose Up
-- Instance-wide settings (hub branding, embed origins, session lifetime...),
-- one row per key so that each setting can change on its own.
CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
