// Package linking is Linkhub's linking use case: which profiles a connect
// session may use, the credentials a test runs on, the attempt lifecycle
// (create, hold, take, finish) and the account it stores, the tenant and
// duplicate-identity answers, relinks, the connect-session rules, and the
// admin's tests of a profile or an account. The hub, the API and the admin
// console call it; it sees only linkhub interfaces.
package linking

import (
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Connectors finds connectors by id; *connector.Registry is one.
type Connectors interface {
	Get(id string) (linkhub.Connector, bool)
	All() []linkhub.Connector
}

// Services are what the linking service uses.
type Services struct {
	Profiles        linkhub.ProfileService
	Accounts        linkhub.AccountService
	Attempts        linkhub.AttemptService
	ConnectSessions linkhub.ConnectSessionService
	Settings        linkhub.SettingsService
	Audit           linkhub.AuditService
	Connectors      Connectors
	// Tester re-tests a stored account and records the result; *health.Checker is one.
	Tester linkhub.AccountTester
}

// Service runs the linking use case.
type Service struct {
	profiles   linkhub.ProfileService
	accounts   linkhub.AccountService
	attempts   linkhub.AttemptService
	sessions   linkhub.ConnectSessionService
	settings   linkhub.SettingsService
	audit      linkhub.AuditService
	connectors Connectors
	tester     linkhub.AccountTester
}

// New returns the linking service.
func New(s Services) *Service {
	return &Service{profiles: s.Profiles, accounts: s.Accounts, attempts: s.Attempts, sessions: s.ConnectSessions,
		settings: s.Settings, audit: s.Audit, connectors: s.Connectors, tester: s.Tester}
}

// The errors whose words the hub shows in the user's language: callers
// match them with errors.Is.
var (
	// ErrNotAllowed is a profile this connect session may not use.
	ErrNotAllowed = linkhub.Errorf(linkhub.ENOTFOUND, "This service is not part of this connection link.")
	// ErrChoiceGone is a held attempt that is gone, or a choice it never offered.
	ErrChoiceGone = linkhub.Errorf(linkhub.ENOTFOUND, "This choice is no longer available. Enter your details again.")
	// ErrChoiceInvalid is a choice the held attempt never offered; the attempt is over.
	ErrChoiceInvalid = linkhub.Errorf(linkhub.EINVALID, "This choice is no longer available. Enter your details again.")
	// ErrLinkUsed is a connect session whose links are used up.
	ErrLinkUsed = linkhub.Errorf(linkhub.ESPENT, "This link was already used.")
)
