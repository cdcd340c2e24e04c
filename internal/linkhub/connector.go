package linkhub

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/secret"
)

// Auth types: how a connector proves who it is to the vendor.
const (
	AuthOAuth2ClientCredentials = "oauth2_client_credentials" // #nosec G101 -- the name of an auth type, not a credential
	AuthAPIKey                  = "api_key"                   // a static key or token in a header
	AuthBasic                   = "basic"                     // HTTP Basic with a key pair
	AuthOAuth2Password          = "oauth2_password"           // #nosec G101 -- a key pair traded for a token by the password grant
)

// FieldScope says who fills a field in: the admin on the connector profile, or
// the end user in the hub. An admin may also fill an account field at profile
// level to share it across all accounts of that profile.
type FieldScope string

// Field scopes.
const (
	ScopeProfile FieldScope = "profile"
	ScopeAccount FieldScope = "account"
)

// FieldKind selects the input widget and the base validation of a field.
type FieldKind string

// Field kinds.
const (
	KindText   FieldKind = "text"
	KindURL    FieldKind = "url"
	KindUUID   FieldKind = "uuid"
	KindSecret FieldKind = "secret"
	KindSelect FieldKind = "select"
)

// Option is one choice of a select field.
type Option struct {
	Value string
	Label string
}

// Field describes one input of a connector's form.
type Field struct {
	ID          string
	Label       string
	Scope       FieldScope
	Kind        FieldKind
	Secret      bool
	Required    bool
	Placeholder string
	Help        string
	Options     []Option // for KindSelect
	GuideStep   string   // id of the guide step that tells the user where to find the value
}

// Guide is a set-up guide in our own words: sections of numbered steps,
// warnings and tables (roles, privileges, scopes).
type Guide struct {
	Title    string
	Sections []GuideSection
}

// GuideSection is one titled part of a guide.
type GuideSection struct {
	ID       string
	Title    string
	Intro    string
	Steps    []GuideStep
	Warnings []string
	Tables   []GuideTable
}

// GuideStep is one numbered step. Copy, when set, is a value the user pastes at
// the vendor (a name, a scope list) and gets a copy button.
type GuideStep struct {
	ID   string
	Text string
	Copy string
}

// GuideTable is a small table such as the roles or privileges to grant.
type GuideTable struct {
	Caption string
	Header  []string
	Rows    [][]string
}

// Action is a vendor API call an admin can enable on a profile and the host
// product can then run through Linkhub.
type Action struct {
	ID          string
	Name        string
	Description string
	Method      string
	Path        string
	Privilege   string // the privilege, role or scope the vendor requires for it
	// OptIn actions start unticked on a new profile: only some of the
	// connector's credentials can run them (Sophos's tenant list needs a
	// partner or organization credential).
	OptIn bool
}

// ConnectorSpec is the data half of a connector.
type ConnectorSpec struct {
	ID         string
	Name       string
	Logo       string // path under /static, e.g. "/static/logos/jamf.svg"
	Category   string
	AuthType   string
	Summary    string
	Fields     []Field
	AdminGuide Guide
	UserGuide  Guide
	Actions    []Action
	// Identity names the account at the vendor (a Jamf Pro server, a Sophos
	// tenant, a NinjaOne region and client): keys of the account's values or
	// metadata, in the order shown.
	Identity []string
	// MetadataLabels names the discovered metadata the hub shows after
	// linking (Value is the metadata key), in this order.
	MetadataLabels []Option
	// Text holds the end-user text in other languages, by BCP 47 tag (see
	// Locales); Localized applies it.
	Text map[string]ConnectorText
}

// Credentials are the values a test or a session works with: the profile's
// and the account's values merged, non-secret and secret apart.
type Credentials struct {
	Values  map[string]string
	Secrets map[string]secret.Value
}

// TestInput is what a connector's staged test runs on.
type TestInput struct {
	Credentials
	// Actions are the ids of the profile's enabled actions; each is probed for
	// permission in the last stage.
	Actions []string
}

// StageName names a stage of a credential test.
type StageName string

// The stages of a credential test, in order.
const (
	StageValidate    StageName = "validate"
	StageAddress     StageName = "address"
	StageToken       StageName = "token"
	StageVerify      StageName = "verify"
	StagePermissions StageName = "permissions"
)

// StageStatus is the outcome of one stage.
type StageStatus string

// Stage outcomes.
const (
	StatusPassed  StageStatus = "passed"
	StatusFailed  StageStatus = "failed"
	StatusSkipped StageStatus = "skipped"
)

// Reason codes of a failed stage; they are stored with attempts and accounts.
const (
	ReasonInvalidInput       = "invalid_input"
	ReasonAddressNotAllowed  = "address_not_allowed"
	ReasonDNSNotFound        = "dns_not_found"
	ReasonConnectionRefused  = "connection_refused"
	ReasonTLSInvalid         = "tls_invalid"
	ReasonTimeout            = "timeout"
	ReasonBadCredentials     = "bad_credentials"
	ReasonUnknownClient      = "unknown_client"
	ReasonScopeNotGranted    = "scope_not_granted"
	ReasonNotVendor          = "not_vendor"
	ReasonVendorUnavailable  = "vendor_unavailable"
	ReasonUnexpectedResponse = "unexpected_response"
	ReasonPermissionMissing  = "permission_missing"
	// ReasonVendorTooOld: the vendor's product, in a version without what
	// Linkhub needs (Jamf Pro before 10.49 has no API clients).
	ReasonVendorTooOld = "vendor_too_old"
	// ReasonSchemeMismatch: an https:// address whose port answers plain HTTP.
	ReasonSchemeMismatch = "scheme_mismatch"
)

// Stage is the result of one stage of a credential test. Hint is plain words
// for the user; Snippet is a redacted, truncated excerpt of the vendor's answer
// (escaping is the page's job). Neither ever holds a secret or a Go error string.
type Stage struct {
	Name       StageName
	Title      string
	Status     StageStatus
	Duration   time.Duration
	HTTPStatus int
	Reason     string
	Hint       string
	// AdminHint is what only an admin can do about the failure (turn an
	// action off on the profile); the admin console and the attempt log
	// show it, the end user never sees it.
	AdminHint string
	Snippet   string
}

// Choice is an option the user picks after a successful test, such as a Sophos
// tenant under a partner credential. Metadata is merged into the account's.
type Choice struct {
	ID       string
	Name     string
	Detail   string
	Metadata map[string]string
}

// Report is the outcome of a staged credential test.
type Report struct {
	Stages []Stage
	// FieldErrors maps field ids to messages when the validate stage failed.
	FieldErrors map[string]string
	// Values are the normalised non-secret values (e.g. the Jamf URL as
	// https://host[:port]); they are what gets stored.
	Values map[string]string
	// Metadata is what the test discovered (tenant id, region, version...).
	Metadata map[string]string
	// Choices, when not empty, must be offered to the user before linking.
	Choices []Choice
	// Notes are remarks on the test kept with the attempt, such as what of
	// the vendor's answer had to be changed to be stored.
	Notes []string
}

// Storable returns r with the text a vendor may have chosen made storable:
// a NUL or invalid UTF-8 in metadata, choices or hints (PostgreSQL refuses
// both in text and jsonb) is replaced by U+FFFD, and a note names what was
// changed. A vendor, or whatever answers in its place, must never be able to
// make a link fail.
func (r Report) Storable() Report {
	var changed []string
	fix := func(what string, s string) string {
		out, bad := StorableText(s)
		if bad && !slices.Contains(changed, what) {
			changed = append(changed, what)
		}
		return out
	}
	fixMap := func(what string, m map[string]string) map[string]string {
		if m == nil {
			return nil
		}
		out := make(map[string]string, len(m))
		for k, v := range m {
			out[fix(what, k)] = fix(what+" "+k, v)
		}
		return out
	}
	r.Metadata = fixMap("metadata", r.Metadata)
	r.Stages = slices.Clone(r.Stages)
	for i := range r.Stages {
		r.Stages[i].Hint = fix("the "+string(r.Stages[i].Name)+" step's message", r.Stages[i].Hint)
	}
	r.Choices = slices.Clone(r.Choices)
	for i, c := range r.Choices {
		r.Choices[i] = Choice{ID: fix("a choice", c.ID), Name: fix("a choice", c.Name),
			Detail: fix("a choice", c.Detail), Metadata: fixMap("a choice's metadata", c.Metadata)}
	}
	if len(changed) > 0 {
		slices.Sort(changed)
		r.Notes = append(slices.Clone(r.Notes), "The vendor's answer held characters that cannot be stored "+
			"(NUL or invalid UTF-8); they were replaced with \uFFFD in: "+strings.Join(changed, ", ")+".")
	}
	return r
}

// OK reports whether no stage failed.
func (r Report) OK() bool {
	for _, s := range r.Stages {
		if s.Status == StatusFailed {
			return false
		}
	}
	return len(r.Stages) > 0
}

// Failed returns the first failed stage, if any.
func (r Report) Failed() (Stage, bool) {
	for _, s := range r.Stages {
		if s.Status == StatusFailed {
			return s, true
		}
	}
	return Stage{}, false
}

// Token is an access token for a linked account plus how to call the vendor.
type Token struct {
	AccessToken secret.Value
	Expiry      time.Time
	BaseURL     string            // where API calls go, e.g. the Sophos data-region host
	Headers     map[string]string // extra headers the vendor needs, e.g. X-Tenant-ID
}

// Route is where one call of the proxy or of an action goes.
type Route struct {
	BaseURL string
	Path    string            // escaped, below BaseURL
	Headers map[string]string // sent instead of the token's Headers
}

// Router is implemented by a connector whose vendor wants the host, path or
// headers of a call to depend on the account and the call (Sophos: a
// tenant's data region with X-Tenant-ID, or the global host with
// X-Partner-ID or X-Organization-ID). The proxy and the actions ask it for
// every call; other connectors' calls go below the token's BaseURL with its
// Headers.
type Router interface {
	// Route returns where a call goes for an account with metadata. actionID
	// is the action's id, "" for a proxy call; path is the call's escaped
	// path. Errors are EINVALID *Error values saying why this account
	// cannot make the call.
	Route(metadata map[string]string, actionID, path string) (Route, error)
}

// Connector is a vendor integration: data plus one staged test plus a way to
// get a token for a stored account.
type Connector interface {
	// Spec returns the connector's data. It is the same on every call.
	Spec() ConnectorSpec
	// Test runs the staged test. It never returns an error: every failure is a
	// failed stage in the report.
	Test(ctx context.Context, in TestInput) Report
	// Token fetches a fresh access token for stored credentials and the
	// metadata the test discovered. Errors are *Error values with user-safe text.
	Token(ctx context.Context, creds Credentials, metadata map[string]string) (Token, error)
}
