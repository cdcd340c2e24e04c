package linkhub

import (
	"context"
	"time"

	"github.com/linkhub/linkhub/internal/secret"
)

// Webhook event types. Each is written to the outbox in the transaction of
// the change it reports.
const (
	EventAccountCreated       = "account.created"
	EventAccountUpdated       = "account.updated"
	EventAccountDeleted       = "account.deleted"
	EventAccountStatusChanged = "account.status_changed"
	EventConnectSessionFailed = "connect_session.failed"
	EventWebhookTest          = "webhook.test" // sent by the admin's test button, to one endpoint
)

// MaxWebhookURLLen is the longest endpoint URL accepted.
const MaxWebhookURLLen = 2000

// WebhookSecretPrefix starts every signing secret, so that one found in a
// config file or a log is recognisable (and scanners can look for it).
const WebhookSecretPrefix = "whsec_"

// ReasonLinkNotCompleted is the reason of a connect_session.failed event
// whose attempt failed after its test passed (the choice expired, the
// account could not be stored).
const ReasonLinkNotCompleted = "link_not_completed"

// WebhookEvents are the event types an endpoint may subscribe to, in the
// order the admin console lists them.
var WebhookEvents = []string{EventAccountCreated, EventAccountUpdated, EventAccountDeleted,
	EventAccountStatusChanged, EventConnectSessionFailed}

// Webhook is an endpoint of the host product that receives signed events.
// It never carries its signing secret.
type Webhook struct {
	ID        string
	URL       string
	Events    []string
	Enabled   bool
	CreatedAt time.Time
	UpdatedAt time.Time
	// Pending and Failed count the endpoint's deliveries in those states.
	Pending int
	Failed  int
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// WebhookAttempt is one line of an endpoint's delivery log. Error is a
// summary in our words, never a secret, a header or the receiver's body.
type WebhookAttempt struct {
	EventID        string
	EventType      string
	Attempt        int
	StatusCode     int
	Latency        time.Duration
	Error          string
	DeliveryStatus string     // the delivery's state now
	NextAttemptAt  *time.Time // when the delivery is tried again, if it is
	CreatedAt      time.Time
}

// WebhookService manages webhook endpoints. Every change writes its audit
// entry in the same transaction.
type WebhookService interface {
	// FindWebhooks lists every endpoint, newest first.
	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	// FindWebhookByID returns ENOTFOUND when there is no such endpoint.
	FindWebhookByID(ctx context.Context, id string) (*Webhook, error)
	// CreateWebhook stores w, fills in its id and timestamps, and returns
	// its signing secret, the only time it is available. EINVALID with the
	// field "url" or "events" for bad input.
	CreateWebhook(ctx context.Context, actor Actor, w *Webhook) (secret string, err error)
	// SetWebhookEnabled enables or disables an endpoint; a disabled one
	// keeps its pending deliveries for when it is enabled again. ENOTFOUND.
	SetWebhookEnabled(ctx context.Context, actor Actor, id string, enabled bool) (*Webhook, error)
	// DeleteWebhook deletes an endpoint, its secret and its deliveries. ENOTFOUND.
	DeleteWebhook(ctx context.Context, actor Actor, id string) error
	// SendTestEvent queues a webhook.test event for this endpoint only and
	// returns its id. ENOTFOUND.
	SendTestEvent(ctx context.Context, actor Actor, id string) (eventID string, err error)
	// FindWebhookAttempts returns the endpoint's latest delivery attempts,
	// newest first, at most limit of them.
	FindWebhookAttempts(ctx context.Context, id string, limit int) ([]*WebhookAttempt, error)
}

// EventAccount is the account as events show it: no secret, no typed value
// (values such as a Jamf URL are the host product's to ask for by API).
type EventAccount struct {
	ID                string            `json:"id"`
	ProfileID         string            `json:"profile_id"`
	Connector         string            `json:"connector"`
	OriginOwnerID     string            `json:"origin_owner_id"`
	OriginOwnerName   string            `json:"origin_owner_name"`
	OriginUsername    string            `json:"origin_username,omitempty"`
	Label             string            `json:"label,omitempty"`
	Status            string            `json:"status"`
	StatusReason      string            `json:"status_reason,omitempty"`
	Metadata          map[string]string `json:"metadata"`
	CredentialVersion int               `json:"credential_version"`
	LastTestedAt      *time.Time        `json:"last_tested_at"`
	CreatedAt         time.Time         `json:"created_at"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

// NewEventAccount is what an event says of a.
func NewEventAccount(a *Account) *EventAccount {
	md := a.Metadata
	if md == nil {
		md = map[string]string{}
	}
	return &EventAccount{ID: a.ID, ProfileID: a.ProfileID, Connector: a.ConnectorID, OriginOwnerID: a.OriginOwnerID,
		OriginOwnerName: a.OriginOwnerName, OriginUsername: a.OriginUsername, Label: a.Label, Status: a.Status,
		StatusReason: a.StatusReason, Metadata: md, CredentialVersion: a.CredentialVersion,
		LastTestedAt: a.LastTestedAt, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// Event is the JSON body of a webhook delivery. The outbox stores it whole,
// so a delivery sends exactly what the change wrote.
type Event struct {
	ID             string             `json:"id"`
	Type           string             `json:"type"`
	CreatedAt      time.Time          `json:"created_at"`
	Account        *EventAccount      `json:"account,omitempty"`
	PreviousStatus string             `json:"previous_status,omitempty"` // status_changed only
	Status         string             `json:"status,omitempty"`          // status_changed only
	ConnectSession *EventSessionFault `json:"connect_session,omitempty"`
}

// EventSessionFault tells of a failed hub attempt: which connect session,
// whose, and why (a stage reason code such as bad_credentials).
type EventSessionFault struct {
	ID            string `json:"id"`
	OriginOwnerID string `json:"origin_owner_id"`
	ProfileID     string `json:"profile_id,omitempty"`
	AttemptID     string `json:"attempt_id"`
	Stage         string `json:"stage,omitempty"`
	Reason        string `json:"reason"`
}

// WebhookDelivery is one event on its way to one endpoint, as a worker
// claimed it. Secret is the endpoint's signing secret.
type WebhookDelivery struct {
	ID         int64
	EndpointID string
	URL        string
	Secret     secret.Value
	EventID    string
	EventType  string
	Body       []byte
	Attempt    int       // this attempt's number, from 1
	CreatedAt  time.Time // when the event was queued; retries stop a while after
}

// DeliveryOutcome is what one attempt of a delivery came to. A delivery
// that was not delivered is retried at NextAttemptAt, or failed for good
// when that is nil.
type DeliveryOutcome struct {
	Delivered     bool
	StatusCode    int
	Latency       time.Duration
	Error         string // in our words; never the receiver's body or a secret
	NextAttemptAt *time.Time
}
