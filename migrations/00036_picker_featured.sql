-- +goose Up
-- An admin marks the profiles the hub's picker shows first, above the rest:
-- with eighteen connectors and more, the few a product is about should not
-- be searched for.
ALTER TABLE profiles ADD COLUMN featured boolean NOT NULL DEFAULT false;
