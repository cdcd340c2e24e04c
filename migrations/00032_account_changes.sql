-- +goose Up
-- Every update or delete of an account is announced on a channel, so each
-- Linkhub process can drop the account from its memory at once, whichever
-- process (or an operator's SQL) made the change.
-- +goose StatementBegin
CREATE FUNCTION linkhub_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('linkhub_account_changed', OLD.id::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER accounts_changed AFTER UPDATE OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION linkhub_account_changed();

-- +goose Down
DROP TRIGGER accounts_changed ON accounts;
DROP FUNCTION linkhub_account_changed();
