-- +goose Up
-- runner: the advisory-lock key of the process testing a pending attempt;
-- while that process lives it holds the lock, so a retry can tell a test
-- that runs from one whose process died or gave up. NULL: the process
-- held no lock (no connection of its own), and age decides.
-- submission: the id of the hub form submission, so a retry of it finds
-- the earlier result instead of linking again.
ALTER TABLE attempts ADD COLUMN runner bigint, ADD COLUMN submission text;
CREATE INDEX attempts_submission ON attempts (connect_session_id, submission) WHERE submission IS NOT NULL;
