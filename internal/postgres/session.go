package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.ConnectSessionService = (*ConnectSessionService)(nil)

// ConnectSessionService stores connect sessions and hub sessions. Tokens and
// handles are 32 random bytes, base64url; only their SHA-256 is stored.
type ConnectSessionService struct {
	db *DB
}

// NewConnectSessionService returns a ConnectSessionService on db.
func NewConnectSessionService(db *DB) *ConnectSessionService {
	return &ConnectSessionService{db: db}
}

// sessionRow is one row of the connect_sessions table.
type sessionRow struct {
	ID              string         `db:"id"`
	OriginOwnerID   string         `db:"origin_owner_id"`
	OriginOwnerName string         `db:"origin_owner_name"`
	OriginUsername  string         `db:"origin_username"`
	ProfileIDs      []string       `db:"profile_ids"`
	ConnectorID     string         `db:"connector_id"`
	AccountID       string         `db:"account_id"`
	EmbedOrigin     string         `db:"embed_origin"`
	ReturnURL       string         `db:"return_url"`
	Metadata        map[string]any `db:"metadata"`
	Label           string         `db:"label"`
	CreatedByKey    string         `db:"created_by_key"`
	MaxLinks        int            `db:"max_links"`
	Links           int            `db:"links"`
	ExpiresAt       time.Time      `db:"expires_at"`
	CreatedAt       time.Time      `db:"created_at"`
	Locale          string         `db:"locale"`
	HubLocale       string         `db:"hub_locale"`
}

const sessionColumns = `s.id::text AS id, s.origin_owner_id, s.origin_owner_name, s.origin_username,
	s.profile_ids::text[] AS profile_ids, s.connector_id, coalesce(s.account_id::text, '') AS account_id,
	s.embed_origin, s.return_url, s.metadata, s.label, coalesce(s.created_by_key::text, '') AS created_by_key,
	s.max_links, s.links, s.expires_at, s.created_at, s.locale`

func (r sessionRow) session() *linkhub.ConnectSession {
	return &linkhub.ConnectSession{
		ID: r.ID, OriginOwnerID: r.OriginOwnerID, OriginOwnerName: r.OriginOwnerName,
		OriginUsername: r.OriginUsername, ProfileIDs: r.ProfileIDs, ConnectorID: r.ConnectorID,
		AccountID: r.AccountID, EmbedOrigin: r.EmbedOrigin, ReturnURL: r.ReturnURL, Metadata: r.Metadata,
		Label: r.Label, CreatedByKey: r.CreatedByKey, MaxLinks: r.MaxLinks, Links: r.Links,
		ExpiresAt: r.ExpiresAt, CreatedAt: r.CreatedAt, Locale: r.Locale, HubLocale: r.HubLocale,
	}
}

// CreateConnectSession stores s and returns its token. The caller validates
// the fields; ENOTFOUND when the account does not exist.
func (s *ConnectSessionService) CreateConnectSession(ctx context.Context, actor linkhub.Actor, cs *linkhub.ConnectSession) (string, error) {
	tok, hash := newToken(32)
	if cs.MaxLinks == 0 {
		cs.MaxLinks = 1
	}
	var accountID, keyID any
	if cs.AccountID != "" {
		if !validUUID(cs.AccountID) {
			return "", linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
		}
		accountID = cs.AccountID
	}
	if cs.CreatedByKey != "" {
		keyID = cs.CreatedByKey
	}
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
		INSERT INTO connect_sessions (token_hash, origin_owner_id, origin_owner_name, origin_username,
			profile_ids, connector_id, account_id, embed_origin, return_url, metadata, label,
			created_by_key, expires_at, max_links, locale)
		VALUES (@hash, @owner_id, @owner_name, @username, @profile_ids, @connector_id, @account_id,
			@embed_origin, @return_url, @metadata, @label, @key, @expires_at, @max_links, @locale)
		RETURNING id::text, created_at`,
			pgx.NamedArgs{"hash": hash, "owner_id": cs.OriginOwnerID, "owner_name": cs.OriginOwnerName,
				"username": cs.OriginUsername, "profile_ids": orEmpty(cs.ProfileIDs), "connector_id": cs.ConnectorID,
				"account_id": accountID, "embed_origin": cs.EmbedOrigin, "return_url": cs.ReturnURL,
				"metadata": orEmptyMap(cs.Metadata), "label": cs.Label, "key": keyID, "expires_at": cs.ExpiresAt,
				"max_links": cs.MaxLinks, "locale": cs.Locale},
		).Scan(&cs.ID, &cs.CreatedAt)
		if err != nil {
			return err
		}
		details := map[string]string{"origin_owner_id": cs.OriginOwnerID, "expires_at": cs.ExpiresAt.UTC().Format(time.RFC3339)}
		if cs.AccountID != "" {
			details["account_id"] = cs.AccountID
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionConnectSessionCreated, "connect_session", cs.ID, details)
	})
	if pgErr, ok := pgError(err, codeForeignKeyViolation); ok && pgErr.ConstraintName == "connect_sessions_account_id_fkey" {
		return "", linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	} else if err != nil {
		return "", fmt.Errorf("insert connect session: %w", err)
	}
	return tok, nil
}

// FindConnectSessionByToken returns the session of token; ENOTFOUND or
// EEXPIRED.
func (s *ConnectSessionService) FindConnectSessionByToken(ctx context.Context, token string) (*linkhub.ConnectSession, error) {
	return findSession(ctx, s.db.Pool, `SELECT `+sessionColumns+`, '' AS hub_locale FROM connect_sessions s WHERE s.token_hash = $1`, token, false)
}

// OpenHubSession starts a hub session for token's connect session.
func (s *ConnectSessionService) OpenHubSession(ctx context.Context, token string) (string, *linkhub.ConnectSession, error) {
	var handle string
	var cs *linkhub.ConnectSession
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		var err error
		cs, err = findSession(ctx, tx, `SELECT `+sessionColumns+`, '' AS hub_locale FROM connect_sessions s WHERE s.token_hash = $1`, token, false)
		if err != nil {
			return err
		}
		var hash []byte
		handle, hash = newToken(32)
		if _, err := tx.Exec(ctx, `INSERT INTO hub_sessions (handle_hash, connect_session_id, expires_at)
			VALUES ($1, $2, $3)`, hash, cs.ID, cs.ExpiresAt); err != nil {
			return fmt.Errorf("insert hub session: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return handle, cs, nil
}

// FindHubSession returns the connect session of handle, spent or not;
// ENOTFOUND, or EEXPIRED (ESPENT once a spent one has expired).
func (s *ConnectSessionService) FindHubSession(ctx context.Context, handle string) (*linkhub.ConnectSession, error) {
	return findSession(ctx, s.db.Pool, `SELECT `+sessionColumns+`, h.locale AS hub_locale
		FROM hub_sessions h JOIN connect_sessions s ON s.id = h.connect_session_id
		WHERE h.handle_hash = $1`, handle, true)
}

// SetHubLocale stores the language the user picked in the hub session of
// handle; ENOTFOUND for an unknown handle.
func (s *ConnectSessionService) SetHubLocale(ctx context.Context, handle, tag string) error {
	res, err := s.db.Pool.Exec(ctx, `UPDATE hub_sessions SET locale = $2 WHERE handle_hash = $1`, hashToken(handle), tag)
	if err != nil {
		return fmt.Errorf("set hub locale: %w", err)
	} else if res.RowsAffected() == 0 {
		return linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
	}
	return nil
}

// findSession runs query with the hash of secret and checks the expiry and,
// unless spentOK, that links are left.
func findSession(ctx context.Context, q querier, query, secret string, spentOK bool) (*linkhub.ConnectSession, error) {
	if secret == "" || len(secret) > 100 {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
	}
	rows, _ := q.Query(ctx, query, hashToken(secret))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[sessionRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
	} else if err != nil {
		return nil, fmt.Errorf("find connect session: %w", err)
	}
	expired := !time.Now().Before(r.ExpiresAt)
	if r.Links >= r.MaxLinks && (!spentOK || expired) {
		return nil, errSpent
	}
	if expired {
		return nil, linkhub.Errorf(linkhub.EEXPIRED, "This link has expired.")
	}
	return r.session(), nil
}

// errSpent is a connect session whose links are used up.
var errSpent = linkhub.Errorf(linkhub.ESPENT, "This link was already used.")

// spendLink counts a successful link against the connect session of its
// hub attempt, in the transaction that stores the account: the row lock
// makes a second link of the same session wait for the first, then find
// the session spent and store nothing.
func spendLink(ctx context.Context, tx pgx.Tx, attemptID string) error {
	var sessionID *string
	err := tx.QueryRow(ctx, `SELECT connect_session_id::text FROM attempts WHERE id = $1`, attemptID).Scan(&sessionID)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && sessionID == nil {
		return nil // not a hub attempt, or its session is gone: nothing to spend
	} else if err != nil {
		return fmt.Errorf("find attempt session: %w", err)
	}
	tag, err := tx.Exec(ctx, `UPDATE connect_sessions SET links = links + 1 WHERE id = $1 AND links < max_links`, *sessionID)
	if err != nil {
		return fmt.Errorf("spend connect session: %w", err)
	} else if tag.RowsAffected() == 0 {
		return errSpent
	}
	return nil
}
