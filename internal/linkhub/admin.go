package linkhub

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// MinPasswordLength is the fewest characters an admin password may have.
const MinPasswordLength = 12

// Admin is a person who may use the admin console.
type Admin struct {
	ID          string
	Email       string
	Disabled    bool
	CreatedAt   time.Time
	LastLoginAt *time.Time
}

// AdminUpdate changes an admin; nil fields are kept.
type AdminUpdate struct {
	Disabled *bool
	Password *string
}

// Actor is who does something, for the audit log: an admin (ID and email),
// an API key or the system, and the IP address the request came from.
type Actor struct {
	Kind  string // "admin", "api_key", "end_user" or "system"
	ID    string
	Label string
	IP    string
}

// AdminActor returns the actor for an admin acting from ip.
func AdminActor(a *Admin, ip string) Actor {
	return Actor{Kind: "admin", ID: a.ID, Label: a.Email, IP: ip}
}

// SystemActor is Linkhub itself, or an operator at its command line.
var SystemActor = Actor{Kind: "system", Label: "command line"}

// AdminService manages admins, their sign-in and their server-side sessions.
// Every change writes its audit entry in the same transaction.
type AdminService interface {
	// FindAdminByID returns ENOTFOUND when there is no such admin.
	FindAdminByID(ctx context.Context, id string) (*Admin, error)
	// FindAdmins lists every admin, oldest first.
	FindAdmins(ctx context.Context) ([]*Admin, error)
	// CreateAdmin returns EINVALID (with Field "email" or "password") for a
	// bad email or a short password, and ECONFLICT when the email is taken.
	CreateAdmin(ctx context.Context, actor Actor, email, password string) (*Admin, error)
	// UpdateAdmin returns ENOTFOUND, EINVALID for a short password, and
	// EFORBIDDEN when an admin tries to disable themselves. Disabling or a
	// new password ends the admin's sessions.
	UpdateAdmin(ctx context.Context, actor Actor, id string, upd AdminUpdate) (*Admin, error)
	// FindAdminByEmail returns ENOTFOUND when there is no such admin.
	FindAdminByEmail(ctx context.Context, email string) (*Admin, error)

	// IssueSetupToken returns a new one-time first-run token, valid for an
	// hour, or ECONFLICT when an admin exists already.
	IssueSetupToken(ctx context.Context) (string, error)
	// CheckSetupToken returns ENOTFOUND when an admin exists (setup is over)
	// and EUNAUTHORIZED for an unknown or expired token.
	CheckSetupToken(ctx context.Context, token string) error
	// CreateFirstAdmin spends the token and creates the first admin; it
	// returns what CheckSetupToken and CreateAdmin return.
	CreateFirstAdmin(ctx context.Context, token, email, password, ip string) (*Admin, error)

	// Authenticate checks an email and password and starts a session,
	// returning its token (for the cookie). It returns EUNAUTHORIZED with one
	// message for any wrong email, password or disabled admin, and
	// ERATELIMIT while the email is locked out after repeated failures.
	Authenticate(ctx context.Context, email, password, ip string) (*Admin, string, error)
	// FindAdminBySession returns the enabled admin of a live session (idle
	// under 2 h, younger than 12 h), or EUNAUTHORIZED.
	FindAdminBySession(ctx context.Context, token string) (*Admin, error)
	// DeleteSession ends a session (sign out); unknown tokens are ignored.
	DeleteSession(ctx context.Context, actor Actor, token string) error
}

// ValidateEmail returns an EINVALID error about field "email", or nil.
func ValidateEmail(email string) error {
	if email == "" {
		return FieldError("email", "Enter an email address.")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") || len(email) > 254 {
		return FieldError("email", "Enter an email address like name@example.com.")
	}
	return nil
}

// ValidatePassword returns an EINVALID error about field "password", or nil.
func ValidatePassword(pw string) error {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLength {
		return FieldError("password", "Use at least 12 characters.")
	} else if len(pw) > 1024 {
		return FieldError("password", "Use at most 1024 characters.")
	}
	return nil
}

// NormalizeEmail trims and lower-cases an email address.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
