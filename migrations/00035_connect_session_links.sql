-- +goose Up
-- A connect session is spent by its first successful link (or relink) unless
-- the host asked for more: links counts them, raised in the transaction that
-- stores the account, so two links at once cannot both pass the limit.
-- Sessions minted before this change become one-time links too.
ALTER TABLE connect_sessions
    ADD COLUMN max_links integer NOT NULL DEFAULT 1 CHECK (max_links BETWEEN 1 AND 100),
    ADD COLUMN links     integer NOT NULL DEFAULT 0 CHECK (links BETWEEN 0 AND max_links);
