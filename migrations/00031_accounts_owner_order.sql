-- +goose Up
-- The account list sorts by created_at DESC, id DESC; an index in exactly
-- that order under the owner serves an owner's page without a sort.
DROP INDEX accounts_owner;
CREATE INDEX accounts_owner ON accounts (origin_owner_id, created_at DESC, id DESC);

-- +goose Down
DROP INDEX accounts_owner;
CREATE INDEX accounts_owner ON accounts (origin_owner_id, created_at DESC, id);
