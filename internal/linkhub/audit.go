package linkhub

import (
	"context"
	"time"
)

// Audit actions.
const (
	ActionLogin          = "admin.login"
	ActionLoginFailed    = "admin.login_failed"
	ActionLogout         = "admin.logout"
	ActionSetup          = "admin.setup"
	ActionAdminCreated   = "admin.created"
	ActionAdminDisabled  = "admin.disabled"
	ActionAdminEnabled   = "admin.enabled"
	ActionPasswordReset  = "admin.password_reset"
	ActionAPIKeyCreated  = "api_key.created"
	ActionAPIKeyRevoked  = "api_key.revoked"
	ActionSettingsUpdate = "settings.updated"

	ActionConnectSessionCreated = "connect_session.created"
	ActionAccountLinked         = "account.linked"
	ActionAccountRelinked       = "account.relinked"
	ActionProfileCreated        = "profile.created"
	ActionProfileUpdated        = "profile.updated"
	ActionProfileEnabled        = "profile.enabled"
	ActionProfileDisabled       = "profile.disabled"
	ActionProfileDeleted        = "profile.deleted"
	ActionProfileTested         = "profile.tested"
	ActionAccountTested         = "account.tested"
	ActionAccountEnabled        = "account.enabled"
	ActionAccountDisabled       = "account.disabled"
	ActionAccountDeleted        = "account.deleted"
	ActionWebhookCreated        = "webhook.created"
	ActionWebhookEnabled        = "webhook.enabled"
	ActionWebhookDisabled       = "webhook.disabled"
	ActionWebhookDeleted        = "webhook.deleted"
	ActionWebhookTested         = "webhook.tested"
)

// AuditActions lists every action, for filters.
var AuditActions = []string{
	ActionLogin, ActionLoginFailed, ActionLogout, ActionSetup, ActionAdminCreated, ActionAdminDisabled,
	ActionAdminEnabled, ActionPasswordReset, ActionAPIKeyCreated, ActionAPIKeyRevoked, ActionSettingsUpdate,
	ActionProfileCreated, ActionProfileUpdated, ActionProfileEnabled, ActionProfileDisabled, ActionProfileDeleted,
	ActionProfileTested, ActionAccountTested, ActionAccountEnabled, ActionAccountDisabled, ActionAccountDeleted,
	ActionConnectSessionCreated, ActionAccountLinked, ActionAccountRelinked,
	ActionWebhookCreated, ActionWebhookEnabled, ActionWebhookDisabled, ActionWebhookDeleted, ActionWebhookTested,
	ActionConnectorSaved, ActionConnectorEnabled, ActionConnectorDisabled, ActionConnectorDeleted,
}

// AuditEntry is one thing someone did. Details never hold a secret.
type AuditEntry struct {
	ID         int64
	Actor      Actor
	Action     string
	TargetKind string
	TargetID   string
	Details    map[string]string
	CreatedAt  time.Time
}

// AuditFilter selects audit entries; nil fields do not filter.
type AuditFilter struct {
	Action *string
	Actor  *string // the actor's label (an admin's email), case-insensitive
	Offset int
	Limit  int
}

// AuditService reads the audit log and records events that change nothing
// else (a failed sign-in). Services record their own changes.
type AuditService interface {
	// FindAuditEntries returns the matching entries, newest first, and
	// whether more follow.
	FindAuditEntries(ctx context.Context, filter AuditFilter) ([]*AuditEntry, bool, error)
	// CreateAuditEntry appends an entry.
	CreateAuditEntry(ctx context.Context, e *AuditEntry) error
}
