-- +goose Up
-- The health scheduler moves next_test_at on every claim and every test; no
-- process keeps it in memory, so a change of it alone is not announced:
-- each would drop the account from every process's cache for nothing.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION linkhub_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD) - 'next_test_at' = to_jsonb(NEW) - 'next_test_at' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('linkhub_account_changed', OLD.id::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION linkhub_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('linkhub_account_changed', OLD.id::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
