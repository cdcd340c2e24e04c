package linkhub

import (
	"context"
	"time"

	"github.com/linkhub/linkhub/internal/secret"
)

// Limits of a connect session's fields.
const (
	MaxOwnerFieldLen     = 200
	MaxSessionMetadata   = 4 << 10 // bytes of encoded JSON
	DefaultSessionExpiry = 30 * time.Minute
	MinSessionExpiry     = time.Minute
	MaxSessionExpiry     = 30 * 24 * time.Hour
	MaxSessionLinks      = 100 // successful links one connect session may make
)

// ConnectSession is what the host product's backend asked for when it
// minted a connect token: whose account, which profiles, where the hub may be
// embedded. Only a hash of the token is stored.
type ConnectSession struct {
	ID              string
	OriginOwnerID   string
	OriginOwnerName string
	OriginUsername  string
	// ProfileIDs, when not empty, are the profiles the user may pick from;
	// else ConnectorID, when set, limits the picker to that connector's
	// enabled profiles; else every enabled profile is offered.
	ProfileIDs  []string
	ConnectorID string
	// AccountID, when set, makes this a relink session for that account.
	AccountID   string
	EmbedOrigin string // origin allowed to frame the hub; "" for standalone use
	ReturnURL   string
	Metadata    map[string]any
	Label       string
	// CreatedByKey is the id of the API key that created the session, if any.
	CreatedByKey string
	// MaxLinks is how many successful links (or relinks) spend the session:
	// 1 unless the host asked for more. Links is how many there were.
	MaxLinks  int
	Links     int
	ExpiresAt time.Time
	CreatedAt time.Time
	// Locale is the hub's language the host product asked for (a tag of
	// Locales, or PseudoLocale), empty for none.
	Locale string
	// HubLocale is the language the user picked in this hub session's
	// switcher, empty for none; only FindHubSession fills it in.
	HubLocale string
}

// Spent reports whether the session's successful links are used up.
func (s *ConnectSession) Spent() bool { return s.Links >= s.MaxLinks }

// Relink reports whether the session updates an existing account.
func (s *ConnectSession) Relink() bool { return s.AccountID != "" }

// ConnectSessionService mints connect tokens and the hub sessions opened
// with them.
type ConnectSessionService interface {
	// CreateConnectSession stores s, records actor's audit entry, and returns
	// the plaintext token, the only time it is ever available. It fills in
	// s.ID and s.CreatedAt. Returns ENOTFOUND for an unknown account.
	CreateConnectSession(ctx context.Context, actor Actor, s *ConnectSession) (token string, err error)
	// FindConnectSessionByToken returns ENOTFOUND for an unknown token,
	// ESPENT for one whose links are used up and EEXPIRED for an expired one.
	FindConnectSessionByToken(ctx context.Context, token string) (*ConnectSession, error)
	// OpenHubSession checks the token like FindConnectSessionByToken and
	// starts a hub session with a fresh random handle that expires with the
	// connect session. Each call starts a new hub session.
	OpenHubSession(ctx context.Context, token string) (handle string, s *ConnectSession, err error)
	// FindHubSession returns the connect session of a hub handle, spent or
	// not (see Spent): ENOTFOUND for an unknown handle, EEXPIRED for an
	// expired one, ESPENT for one both spent and expired.
	FindHubSession(ctx context.Context, handle string) (*ConnectSession, error)
	// SetHubLocale stores the language the user picked for the hub session
	// of handle: ENOTFOUND for an unknown handle. The caller checks tag.
	SetHubLocale(ctx context.Context, handle, tag string) error
}

// Attempt kinds and statuses.
const (
	AttemptLink      = "link"
	AttemptRelink    = "relink"
	AttemptPending   = "pending"
	AttemptSucceeded = "succeeded"
	AttemptFailed    = "failed"
	AttemptExpired   = "expired"
)

// Attempt is one link or relink try in the hub. Its report never holds a
// secret or a vendor snippet.
type Attempt struct {
	ID               string
	ConnectSessionID string
	ProfileID        string
	AccountID        string
	Kind             string
	Status           string
	Stage            string // the failed stage, if any
	Reason           string // the failed stage's reason code
	Report           AttemptReport
	IP               string
	CreatedAt        time.Time
	FinishedAt       *time.Time
	// Submission is the id of the hub form submission that started the
	// attempt: a retry of it finds this attempt's result.
	Submission string
}

// AttemptReport is what is kept of a test report: the stages' outcomes and
// hints, and the ids of fields that had errors.
type AttemptReport struct {
	Stages      []AttemptStage `json:"stages"`
	FieldErrors []string       `json:"field_errors,omitempty"`
	Notes       []string       `json:"notes,omitempty"`
}

// AttemptStage is one stage of a stored report.
type AttemptStage struct {
	Name       string `json:"name"`
	Status     string `json:"status"`
	HTTPStatus int    `json:"http_status,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Hint       string `json:"hint,omitempty"`
	AdminHint  string `json:"admin_hint,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

// NewAttemptReport keeps what may be stored of r: no snippets, no values.
func NewAttemptReport(r Report) AttemptReport {
	var out AttemptReport
	for _, s := range r.Stages {
		out.Stages = append(out.Stages, AttemptStage{Name: string(s.Name), Status: string(s.Status),
			HTTPStatus: s.HTTPStatus, Reason: s.Reason, Hint: s.Hint, AdminHint: s.AdminHint, DurationMS: s.Duration.Milliseconds()})
	}
	for id := range r.FieldErrors {
		out.FieldErrors = append(out.FieldErrors, id)
	}
	out.Notes = r.Notes
	return out
}

// HeldAttempt is a successful test waiting for the user's choice (a Sophos
// tenant under a partner credential): the normalised values, the metadata,
// the choices and the secrets, which are stored sealed until then.
type HeldAttempt struct {
	Attempt
	Values   map[string]string
	Metadata map[string]string
	Choices  []Choice
	Secrets  map[string]secret.Value
}

// AttemptService records hub attempts.
type AttemptService interface {
	// CreateAttempt stores a pending attempt and fills in its id; the
	// attempt runs until ctx ends. When a's submission already linked an
	// account, it fills a in with that succeeded attempt instead. Returns
	// ECONFLICT while another test of the session runs.
	CreateAttempt(ctx context.Context, a *Attempt) error
	// FindLinkedSubmission returns the succeeded attempt of a hub form
	// submission in the connect session; ENOTFOUND when it linked nothing.
	FindLinkedSubmission(ctx context.Context, sessionID, submission string) (*Attempt, error)
	// FinishAttempt records the outcome of an attempt. Returns ENOTFOUND.
	FinishAttempt(ctx context.Context, id, status, accountID string, report AttemptReport) error
	// HoldAttempt keeps a successful test's values, metadata, choices and
	// sealed secrets until the user chooses. Returns ENOTFOUND.
	HoldAttempt(ctx context.Context, h *HeldAttempt) error
	// TakeHeldAttempt returns the held attempt of this connect session and
	// marks it succeeded, so that it is used once; its sealed secrets are
	// deleted. Returns ENOTFOUND when there is no such pending attempt.
	TakeHeldAttempt(ctx context.Context, id, connectSessionID string) (*HeldAttempt, error)
	// FindAttempts returns the attempts of a connect session, oldest first.
	FindAttempts(ctx context.Context, connectSessionID string) ([]*Attempt, error)
	// FindAccountAttempts returns an account's latest attempts, newest
	// first, at most limit of them.
	FindAccountAttempts(ctx context.Context, accountID string, limit int) ([]*Attempt, error)
}
