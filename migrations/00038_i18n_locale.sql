-- +goose Up
-- The hub's language: locale is what the host product asked for when it
-- created the connect session; a hub session's locale is what the user picked
-- in the hub's switcher (it outlives page loads without a cookie). Empty means
-- not chosen: the browser's Accept-Language, then the admin's default, decide.
ALTER TABLE connect_sessions ADD COLUMN locale text NOT NULL DEFAULT '' CHECK (length(locale) <= 35);
ALTER TABLE hub_sessions ADD COLUMN locale text NOT NULL DEFAULT '' CHECK (length(locale) <= 35);
