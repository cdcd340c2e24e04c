package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

var _ linkhub.AttemptService = (*AttemptService)(nil)

// ownerAttempt is the owner kind of a held attempt's sealed secrets.
const ownerAttempt = "attempt"

// AttemptService records hub attempts and holds the ones waiting for a choice.
type AttemptService struct {
	db      *DB
	secrets secretStore
}

// NewAttemptService returns an AttemptService on db that seals held secrets
// with keys.
func NewAttemptService(db *DB, keys *secret.Keyring) *AttemptService {
	return &AttemptService{db: db, secrets: secretStore{keys: keys}}
}

// attemptRow is one row of the attempts table.
type attemptRow struct {
	ID               string                `db:"id"`
	ConnectSessionID string                `db:"connect_session_id"`
	ProfileID        string                `db:"profile_id"`
	AccountID        string                `db:"account_id"`
	Kind             string                `db:"kind"`
	Status           string                `db:"status"`
	Stage            string                `db:"stage"`
	Reason           string                `db:"reason"`
	Report           linkhub.AttemptReport `db:"report"`
	IP               string                `db:"ip"`
	CreatedAt        time.Time             `db:"created_at"`
	FinishedAt       *time.Time            `db:"finished_at"`
	Held             bool                  `db:"held"`
	HeldValues       map[string]string     `db:"held_values"`
	HeldMetadata     map[string]string     `db:"held_metadata"`
	Choices          []linkhub.Choice      `db:"choices"`
	Submission       string                `db:"submission"`
}

const attemptColumns = `id::text AS id, coalesce(connect_session_id::text, '') AS connect_session_id,
	coalesce(profile_id::text, '') AS profile_id, coalesce(account_id::text, '') AS account_id,
	kind, status, stage, reason, report, ip, created_at, finished_at, held, held_values, held_metadata, choices,
	coalesce(submission, '') AS submission`

func (r attemptRow) attempt() *linkhub.Attempt {
	return &linkhub.Attempt{ID: r.ID, ConnectSessionID: r.ConnectSessionID, ProfileID: r.ProfileID,
		AccountID: r.AccountID, Kind: r.Kind, Status: r.Status, Stage: r.Stage, Reason: r.Reason,
		Report: r.Report, IP: r.IP, CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt, Submission: r.Submission}
}

func nullUUID(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// staleAttempt is how long a test stamped with no runner lock may stay
// pending before it counts as abandoned: well past the longest test, every
// region of NinjaOne's "I don't know" at the 10 s request timeout.
const staleAttempt = "2 minutes"

// FindLinkedSubmission returns the succeeded attempt of a hub form
// submission; ENOTFOUND when the submission linked nothing.
func (s *AttemptService) FindLinkedSubmission(ctx context.Context, sessionID, submission string) (*linkhub.Attempt, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+attemptColumns+` FROM attempts
		WHERE connect_session_id = $1 AND submission = $2 AND status = 'succeeded' AND account_id IS NOT NULL
		ORDER BY created_at DESC LIMIT 1`, nullUUID(sessionID), submission)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[attemptRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "This submission linked no account.")
	} else if err != nil {
		return nil, fmt.Errorf("find submission: %w", err)
	}
	return r.attempt(), nil
}

// CreateAttempt stores a pending attempt and fills in its id and created_at;
// the attempt runs until ctx ends, when one left pending is expired. It
// returns ECONFLICT while another test of the same connect session is
// really running, so a double submit cannot link an account twice; one
// whose process died or gave up is expired, so a retry starts at once.
// When a's submission already linked an account, a is filled in with that
// succeeded attempt instead, and nothing is stored.
func (s *AttemptService) CreateAttempt(ctx context.Context, a *linkhub.Attempt) error {
	if a.Kind == "" {
		a.Kind = linkhub.AttemptLink
	}
	if a.Submission != "" {
		done, err := s.FindLinkedSubmission(ctx, a.ConnectSessionID, a.Submission)
		if err == nil {
			*a = *done
			return nil
		} else if linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			return err
		}
	}
	a.Status = linkhub.AttemptPending
	key := s.db.runner.currentKey()
	insert := func() error {
		return s.db.Pool.QueryRow(ctx, `
			INSERT INTO attempts (connect_session_id, profile_id, account_id, kind, status, ip, runner, submission)
			VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) RETURNING id::text, created_at`,
			nullUUID(a.ConnectSessionID), nullUUID(a.ProfileID), nullUUID(a.AccountID), a.Kind, a.IP,
			nullKey(key), nullString(a.Submission),
		).Scan(&a.ID, &a.CreatedAt)
	}
	// The insert alone is the common case. A unique violation means another
	// test of the session is pending: it is in the way only when abandoned.
	err := insert()
	if isUniqueViolation(err) {
		if err = s.expireAbandoned(ctx, a.ConnectSessionID, key); err == nil {
			err = insert()
		}
	}
	if isUniqueViolation(err) {
		return linkhub.Errorf(linkhub.ECONFLICT, "Your credentials are already being tested. Wait a few seconds for the result, then reload this page.")
	} else if err != nil {
		return fmt.Errorf("insert attempt: %w", err)
	}
	if restamp := s.db.runner.start(ctx, a.ID, key); restamp != 0 {
		if _, err := s.db.Pool.Exec(ctx, `UPDATE attempts SET runner = $2 WHERE id = $1`, a.ID, restamp); err != nil {
			s.abandon(a.ID)
			return fmt.Errorf("stamp attempt: %w", err)
		}
	}
	context.AfterFunc(ctx, func() { s.abandon(a.ID) })
	return nil
}

// expireAbandoned expires the session's pending test when nothing runs it:
// no session holds its process's lock (the process died, or lost the
// database), it is this process's and no longer runs here, or, without a
// lock, it is older than staleAttempt. The lock is looked up in pg_locks,
// not taken: retries of many sessions may look at one key at once.
func (s *AttemptService) expireAbandoned(ctx context.Context, sessionID string, key int64) error {
	_, err := s.db.Pool.Exec(ctx, `
		UPDATE attempts a SET status = 'expired', finished_at = now()
		WHERE connect_session_id = $1 AND status = 'pending' AND NOT held AND CASE
			WHEN runner IS NULL THEN created_at < now() - interval '`+staleAttempt+`'
			WHEN runner = $2 THEN NOT id = ANY($3::uuid[])
			ELSE NOT EXISTS (SELECT 1 FROM pg_locks l
				WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
				  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
				  AND (l.classid::bigint << 32 | l.objid::bigint) = a.runner) END`,
		sessionID, key, s.db.runner.runningIDs())
	if err != nil {
		return fmt.Errorf("expire abandoned attempt: %w", err)
	}
	return nil
}

// abandon expires attempt id if it is still pending once its request is
// over (the client went away, or the database failed mid-test), so a
// retry, on any process, need not wait. It is best effort: when the
// database is down, the runner lock tells the others instead.
func (s *AttemptService) abandon(id string) {
	if !s.db.runner.stop(id) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = s.db.Pool.Exec(ctx, `UPDATE attempts SET status = 'expired', finished_at = now()
		WHERE id = $1 AND status = 'pending' AND NOT held`, id)
}

// nullKey is a runner key for SQL: NULL when no lock is held.
func nullKey(key int64) any {
	if key == 0 {
		return nil
	}
	return key
}

// nullString is s for SQL, NULL when empty.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// FinishAttempt records the outcome; the first failed stage and its reason
// are copied into their own columns for filtering. A failed attempt of a
// connect session fires connect_session.failed in the same transaction.
func (s *AttemptService) FinishAttempt(ctx context.Context, id, status, accountID string, report linkhub.AttemptReport) error {
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		return finishAttempt(ctx, tx, id, status, accountID, report)
	})
	if err == nil {
		s.db.runner.stop(id)
	}
	return err
}

// finishAttempt is FinishAttempt inside the caller's transaction.
func finishAttempt(ctx context.Context, tx pgx.Tx, id, status, accountID string, report linkhub.AttemptReport) error {
	var stage, reason string
	for _, st := range report.Stages {
		if st.Status == string(linkhub.StatusFailed) {
			stage, reason = st.Name, st.Reason
			break
		}
	}
	if !validUUID(id) {
		return linkhub.Errorf(linkhub.ENOTFOUND, "Attempt not found.")
	}
	var f linkhub.EventSessionFault
	err := tx.QueryRow(ctx, `
		UPDATE attempts SET status = $2, stage = $3, reason = $4, report = $5,
			account_id = coalesce($6::uuid, account_id), finished_at = now()
		WHERE id = $1 AND status <> 'expired'
		RETURNING coalesce(connect_session_id::text, ''), coalesce(profile_id::text, '')`,
		id, status, stage, reason, report, nullUUID(accountID)).Scan(&f.ID, &f.ProfileID)
	if errors.Is(err, pgx.ErrNoRows) {
		// An expired attempt was given up (a retry took its place): its
		// outcome must not land after the fact, nor its account.
		var expired bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM attempts WHERE id = $1)`, id).Scan(&expired); err != nil {
			return fmt.Errorf("find attempt: %w", err)
		} else if expired {
			return linkhub.Errorf(linkhub.ECONFLICT, "This test was stopped before it finished. Reload the page and try again.")
		}
		return linkhub.Errorf(linkhub.ENOTFOUND, "Attempt not found.")
	} else if err != nil {
		return fmt.Errorf("finish attempt: %w", err)
	}
	if status != linkhub.AttemptFailed || f.ID == "" {
		return nil
	}
	f.AttemptID, f.Stage, f.Reason = id, stage, reason
	if f.Reason == "" {
		f.Reason = linkhub.ReasonLinkNotCompleted
	}
	return sessionFailedEvent(ctx, tx, &f)
}

// sessionFailedEvent fires connect_session.failed; a relink's event carries
// the account and is ordered with the account's other events.
func sessionFailedEvent(ctx context.Context, tx pgx.Tx, f *linkhub.EventSessionFault) error {
	var relinked string
	if err := tx.QueryRow(ctx, `SELECT origin_owner_id, coalesce(account_id::text, '') FROM connect_sessions WHERE id = $1`,
		f.ID).Scan(&f.OriginOwnerID, &relinked); err != nil {
		return fmt.Errorf("find connect session of attempt: %w", err)
	}
	e := &linkhub.Event{Type: linkhub.EventConnectSessionFailed, ConnectSession: f}
	orderKey := f.ID
	if relinked != "" {
		r, err := findAccountRow(ctx, tx, relinked, false)
		if err != nil {
			return err
		}
		e.Account, orderKey = linkhub.NewEventAccount(r.account()), relinked
	}
	return insertEvent(ctx, tx, e, orderKey)
}

// HoldAttempt keeps h's values, metadata, choices and report, and seals its
// secrets, in one transaction.
func (s *AttemptService) HoldAttempt(ctx context.Context, h *linkhub.HeldAttempt) error {
	if !validUUID(h.ID) {
		return linkhub.Errorf(linkhub.ENOTFOUND, "Attempt not found.")
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE attempts SET held = true, held_values = $2, held_metadata = $3, choices = $4, report = $5
			WHERE id = $1 AND status = 'pending'`,
			h.ID, orEmptyMap(h.Values), orEmptyMap(h.Metadata), orEmptyChoices(h.Choices), h.Report)
		if err != nil {
			return fmt.Errorf("hold attempt: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return linkhub.Errorf(linkhub.ENOTFOUND, "Attempt not found.")
		}
		return s.secrets.putSecrets(ctx, tx, ownerAttempt, h.ID, h.Secrets)
	})
	if err == nil {
		s.db.runner.stop(h.ID) // held: it waits for the user, not for a test
	}
	return err
}

// TakeHeldAttempt claims a held attempt of the session once.
func (s *AttemptService) TakeHeldAttempt(ctx context.Context, id, sessionID string) (*linkhub.HeldAttempt, error) {
	if !validUUID(id) || !validUUID(sessionID) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Attempt not found.")
	}
	var h *linkhub.HeldAttempt
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			UPDATE attempts SET status = 'succeeded', held = false, finished_at = now()
			WHERE id = $1 AND connect_session_id = $2 AND status = 'pending' AND held
			RETURNING `+attemptColumns, id, sessionID)
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[attemptRow])
		if errors.Is(err, pgx.ErrNoRows) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "Attempt not found.")
		} else if err != nil {
			return fmt.Errorf("take held attempt: %w", err)
		}
		secrets, err := s.secrets.findSecrets(ctx, tx, ownerAttempt, id)
		if err != nil {
			return err
		}
		if err := s.secrets.deleteSecrets(ctx, tx, ownerAttempt, id); err != nil {
			return err
		}
		h = &linkhub.HeldAttempt{Attempt: *r.attempt(), Values: r.HeldValues, Metadata: r.HeldMetadata,
			Choices: r.Choices, Secrets: secrets}
		return nil
	})
	return h, err
}

// FindAttempts returns a session's attempts, oldest first.
func (s *AttemptService) FindAttempts(ctx context.Context, sessionID string) ([]*linkhub.Attempt, error) {
	if !validUUID(sessionID) {
		return nil, nil
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+attemptColumns+` FROM attempts
		WHERE connect_session_id = $1 ORDER BY created_at, id`, sessionID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[attemptRow])
	if err != nil {
		return nil, fmt.Errorf("find attempts: %w", err)
	}
	out := make([]*linkhub.Attempt, len(list))
	for i, r := range list {
		out[i] = r.attempt()
	}
	return out, nil
}

// FindAccountAttempts returns an account's latest attempts, newest first.
func (s *AttemptService) FindAccountAttempts(ctx context.Context, accountID string, limit int) ([]*linkhub.Attempt, error) {
	if !validUUID(accountID) {
		return nil, nil
	}
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+attemptColumns+` FROM attempts
		WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, accountID, max(limit, 1))
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[attemptRow])
	if err != nil {
		return nil, fmt.Errorf("find account attempts: %w", err)
	}
	out := make([]*linkhub.Attempt, len(list))
	for i, r := range list {
		out[i] = r.attempt()
	}
	return out, nil
}

func orEmptyChoices(c []linkhub.Choice) []linkhub.Choice {
	if c == nil {
		return []linkhub.Choice{}
	}
	return c
}

// ExpireAttempts marks the pending attempts of expired connect sessions
// expired and deletes the sealed secrets of held ones, so a user who never
// chose leaves no secret behind. It also drops expired hub sessions, and
// connect sessions expired for longer than KeepExpiredSessions (their
// attempts stay, for the account's history). It is safe to run on every
// replica at once; it returns how many attempts expired.
// KeepExpiredSessions is how long an expired connect session is kept: for
// that long its link still says "expired" rather than "not valid".
const KeepExpiredSessions = 24 * time.Hour

func (s *AttemptService) ExpireAttempts(ctx context.Context) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `
			UPDATE attempts a SET status = 'expired', held = false, finished_at = now()
			FROM connect_sessions cs
			WHERE a.connect_session_id = cs.id AND a.status = 'pending' AND cs.expires_at < now()
			RETURNING a.id::text`)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("expire attempts: %w", err)
		}
		n = len(ids)
		if _, err := tx.Exec(ctx, `DELETE FROM secrets WHERE owner_kind = 'attempt' AND owner_id = ANY($1::uuid[])`, ids); err != nil {
			return fmt.Errorf("delete held secrets: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM hub_sessions WHERE expires_at < now()`); err != nil {
			return fmt.Errorf("delete hub sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM connect_sessions WHERE expires_at < now() - $1::interval`, KeepExpiredSessions); err != nil {
			return fmt.Errorf("delete connect sessions: %w", err)
		}
		return nil
	})
	return n, err
}
