-- +goose Up
-- One credential test at a time per connect session: a double submit cannot
-- link the same account twice. A held attempt (waiting for the user's
-- choice) does not count as running.
CREATE UNIQUE INDEX attempts_one_running ON attempts (connect_session_id)
    WHERE status = 'pending' AND NOT held;
