// Package definition reads connector definitions: a vendor described as data
// (YAML) instead of a Go package. Parse checks a definition against the
// embedded JSON Schema, then against rules a schema cannot state (references
// between fields, hosts and guide steps; CEL expressions that compile), and
// reports every problem with its file, line and field.
//
// The engine package turns a Definition into a linkhub.Connector.
package definition

import (
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Auth types a definition may declare.
const (
	AuthClientCredentials = linkhub.AuthOAuth2ClientCredentials
	AuthPassword          = linkhub.AuthOAuth2Password
	AuthAPIKey            = linkhub.AuthAPIKey
	AuthBasic             = linkhub.AuthBasic
)

// Definition is one connector described as data.
type Definition struct {
	// Source is the file the definition came from, for error messages.
	Source     string            `yaml:"-"`
	ID         string            `yaml:"id"`
	Name       string            `yaml:"name"`
	Category   string            `yaml:"category"`
	Logo       string            `yaml:"logo"`
	Summary    string            `yaml:"summary"`
	Auth       Auth              `yaml:"auth"`
	Fields     []Field           `yaml:"fields"`
	Hosts      map[string]Host   `yaml:"hosts"`
	Verify     []Call            `yaml:"verify"`
	Actions    []Action          `yaml:"actions"`
	Errors     []ErrorRule       `yaml:"errors"`
	Hints      map[string]string `yaml:"hints"`
	Show       []Shown           `yaml:"show"`
	AdminGuide Guide             `yaml:"admin_guide"`
	UserGuide  Guide             `yaml:"user_guide"`
	// Translations is the end-user text in the other hub languages, by
	// language tag (see translations.go).
	Translations map[string]Translation `yaml:"translations"`

	exprs map[string]*Expr // compiled CEL, by source text
}

// Auth says how the connector proves who it is.
type Auth struct {
	Type string `yaml:"type"`
	// Token is the OAuth 2.0 client-credentials request.
	Token *Token `yaml:"token"`
	// Header, Scheme and Secret place a static key: "<Header>: <Scheme> <key>",
	// or the bare key when Scheme is empty.
	Header string `yaml:"header"`
	Scheme string `yaml:"scheme"`
	Secret string `yaml:"secret"` // field id of the key
	// Value, instead of Scheme and Secret, builds the header from several
	// fields, secrets included: "accessKey={access_key}; secretKey={secret_key}".
	Value string `yaml:"value"`
	// Username and Password are field ids for HTTP Basic.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// UsernameValue, instead of Username, builds the Basic user name from
	// non-secret fields, e.g. "{company_id}+{public_key}".
	UsernameValue string `yaml:"username_value"`
	// Headers are sent with every API call (verification, probes, the
	// token API's answer for the proxy), {field} substituted; a vendor may
	// want its integration's id besides the credentials.
	Headers map[string]string `yaml:"headers"`
}

// Token is an OAuth 2.0 client-credentials token request.
type Token struct {
	Host         string            `yaml:"host"`
	Paths        []string          `yaml:"paths"` // tried in order; the next one only after a 404; {field} substituted
	ClientID     string            `yaml:"client_id"`
	ClientSecret string            `yaml:"client_secret"`
	ClientAuth   string            `yaml:"client_auth"` // body (default) or basic
	GrantType    *string           `yaml:"grant_type"`  // default client_credentials; "" sends none
	Scope        string            `yaml:"scope"`
	Params       map[string]string `yaml:"params"` // extra form parameters; {field} substituted, empty ones left out
	Success      []int             `yaml:"success"`
	// Scopes is the scope per region of the token host, instead of Scope,
	// for a vendor whose clouds each name their own resource (Microsoft's
	// .default scope per national cloud).
	Scopes map[string]string `yaml:"scopes"`
	// Username and Password (field ids, the password a secret) make the
	// request an OAuth 2.0 password grant, authenticated as PublicClient:
	// a vendor that hands out a key pair but wants a token for it (Datto).
	Username     string        `yaml:"username"`
	Password     string        `yaml:"password"`
	PublicClient *PublicClient `yaml:"public_client"`
	// Lifetime is the vendor's documented token lifetime (a Go duration):
	// used when the answer carries no expires_in, and never exceeded.
	Lifetime string `yaml:"lifetime"`
	// PermissionsClaim names the claim of the (JWT) access token that lists
	// the permissions granted, read before any call (Microsoft's roles).
	PermissionsClaim string `yaml:"permissions_claim"`
}

// PublicClient is a fixed OAuth client every customer shares, published by
// the vendor; it is not a secret.
type PublicClient struct {
	ID     string `yaml:"id"`
	Secret string `yaml:"secret"`
}

// SecretField is the id of the secret field the token request sends: the
// client secret, or a password grant's password.
func (t *Token) SecretField() string {
	if t.Password != "" {
		return t.Password
	}
	return t.ClientSecret
}

// Field is one input of the connector's form.
type Field struct {
	ID          string           `yaml:"id"`
	Label       string           `yaml:"label"`
	Scope       string           `yaml:"scope"`
	Kind        string           `yaml:"kind"`
	Required    bool             `yaml:"required"`
	Placeholder string           `yaml:"placeholder"`
	Help        string           `yaml:"help"`
	GuideStep   string           `yaml:"guide_step"`
	Pattern     *Pattern         `yaml:"pattern"`
	URL         *URLRule         `yaml:"url"`
	Options     []linkhub.Option `yaml:"options"`
}

// Pattern is a regular expression a value must match, with the message shown
// when it does not.
type Pattern struct {
	Regex   string `yaml:"regex"`
	Message string `yaml:"message"`
}

// URLRule normalises a pasted address to scheme://host[:port].
type URLRule struct {
	Ports []int `yaml:"ports"` // allowed ports; empty allows 443 only
	// StripSuffix is removed from the first label of the host, e.g. Okta's
	// "-admin" in acme-admin.okta.com.
	StripSuffix string `yaml:"strip_suffix"`
}

// Host is where calls go: a fixed URL, a URL field's value, or one of
// several regions picked by a field, possibly corrected by discovery.
type Host struct {
	URL           string    `yaml:"url"`
	Field         string    `yaml:"field"`
	RegionField   string    `yaml:"region_field"`
	Regions       []Region  `yaml:"regions"`
	DefaultRegion string    `yaml:"default_region"` // used when the field's value is not a region (e.g. "auto")
	Discover      *Discover `yaml:"discover"`
	// Path is appended to the base URL, {field} and {metadata}
	// substituted, e.g. an API root a verification call discovers.
	Path string `yaml:"path"`
}

// Region is one of a host's regional base URLs.
type Region struct {
	ID  string `yaml:"id"`
	URL string `yaml:"url"`
}

// Discover reads the right region from an answer: a header or a JSON field
// of the token answer. The value is used when it names a known region and
// When (a CEL condition over value) holds.
type Discover struct {
	Header string `yaml:"header"`
	JSON   string `yaml:"json"`
	When   string `yaml:"when"`
	// Metadata is the key the region is stored under.
	Metadata string `yaml:"metadata"`
}

// Call is one verification request.
type Call struct {
	ID      string            `yaml:"id"`
	Method  string            `yaml:"method"`
	Host    string            `yaml:"host"`
	Path    string            `yaml:"path"`
	Headers map[string]string `yaml:"headers"`
	Expect  []int             `yaml:"expect"` // default 200
	Empty   []int             `yaml:"empty"`  // statuses that mean "fine, but nothing there yet"
	Check   *Check            `yaml:"check"`
	Store   map[string]Store  `yaml:"store"`  // metadata key -> where its value comes from
	Passed  string            `yaml:"passed"` // CEL string shown when the call passes
	// GrantedBy lists permissions, any one of which the token's
	// permissions claim must hold before the call is made.
	GrantedBy []string `yaml:"granted_by"`
}

// Check is a CEL condition on the answer's shape; when it fails the stage
// fails with Reason (default unexpected_response) and Message as the hint.
type Check struct {
	Expr    string `yaml:"expr"`
	Message string `yaml:"message"`
	Reason  string `yaml:"reason"`
}

// Store is where a metadata value comes from: a JSON path (gjson syntax), a
// response header, or a CEL expression.
type Store struct {
	JSON   string `yaml:"json"`
	Header string `yaml:"header"`
	Expr   string `yaml:"expr"`
}

// Action is a vendor call an admin can enable on a profile.
type Action struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Method      string `yaml:"method"`
	Host        string `yaml:"host"`
	Path        string `yaml:"path"`
	Permission  string `yaml:"permission"`
	Probe       string `yaml:"probe"`       // a cheap GET needing the same permission; default Path
	ProbeEmpty  []int  `yaml:"probe_empty"` // probe statuses that mean "allowed, nothing there yet"
	// ProbeBody makes the probe a POST of this JSON, for vendors whose
	// reads are POST searches (no GET needs the same permission).
	ProbeBody string `yaml:"probe_body"`
	// GrantedBy lists the permissions, any one of which allows the action,
	// when the token's permissions claim is read; default Permission.
	GrantedBy []string `yaml:"granted_by"`
}

// ErrorRule maps a vendor answer to a Linkhub reason code and hint.
type ErrorRule struct {
	// ID names the rule in translations; needed only by a rule with a hint.
	ID       string `yaml:"id"`
	Stage    string `yaml:"stage"` // token, verify or permissions; empty matches all
	Status   []int  `yaml:"status"`
	When     string `yaml:"when"` // CEL condition over status, headers, body
	Reason   string `yaml:"reason"`
	Hint     string `yaml:"hint"`
	HintExpr string `yaml:"hint_expr"`
}

// Shown is a metadata value the hub shows after linking.
type Shown struct {
	Key   string `yaml:"key"`
	Label string `yaml:"label"`
}

// Guide, GuideSection, GuideStep and GuideTable mirror linkhub.Guide.
type Guide struct {
	Title    string         `yaml:"title"`
	Sections []GuideSection `yaml:"sections"`
}

// GuideSection is one titled part of a guide.
type GuideSection struct {
	ID       string       `yaml:"id"`
	Title    string       `yaml:"title"`
	Intro    string       `yaml:"intro"`
	Steps    []GuideStep  `yaml:"steps"`
	Warnings []string     `yaml:"warnings"`
	Tables   []GuideTable `yaml:"tables"`
}

// GuideStep is one numbered step; Copy is a value with a copy button.
type GuideStep struct {
	ID   string `yaml:"id"`
	Text string `yaml:"text"`
	Copy string `yaml:"copy"`
}

// GuideTable is a small table such as the roles to grant.
type GuideTable struct {
	Caption string     `yaml:"caption"`
	Header  []string   `yaml:"header"`
	Rows    [][]string `yaml:"rows"`
}

// Linkhub returns g in the domain's shape.
func (g Guide) Linkhub() linkhub.Guide {
	out := linkhub.Guide{Title: g.Title}
	for _, s := range g.Sections {
		sec := linkhub.GuideSection{ID: s.ID, Title: s.Title, Intro: s.Intro, Warnings: s.Warnings}
		for _, st := range s.Steps {
			sec.Steps = append(sec.Steps, linkhub.GuideStep(st))
		}
		for _, t := range s.Tables {
			sec.Tables = append(sec.Tables, linkhub.GuideTable(t))
		}
		out.Sections = append(out.Sections, sec)
	}
	return out
}

// Spec returns the connector's data in the domain's shape.
func (d *Definition) Spec() linkhub.ConnectorSpec {
	s := linkhub.ConnectorSpec{ID: d.ID, Name: d.Name, Logo: d.Logo, Category: d.Category, AuthType: d.Auth.Type,
		Summary: d.Summary, AdminGuide: d.AdminGuide.Linkhub(), UserGuide: d.UserGuide.Linkhub()}
	for _, f := range d.Fields {
		s.Fields = append(s.Fields, linkhub.Field{ID: f.ID, Label: f.Label, Scope: linkhub.FieldScope(f.Scope),
			Kind: linkhub.FieldKind(f.Kind), Secret: f.Kind == string(linkhub.KindSecret), Required: f.Required,
			Placeholder: f.Placeholder, Help: f.Help, Options: f.Options, GuideStep: f.GuideStep})
	}
	for _, a := range d.Actions {
		s.Actions = append(s.Actions, linkhub.Action{ID: a.ID, Name: a.Name, Description: a.Description,
			Method: a.Method, Path: a.Path, Privilege: a.Permission})
	}
	for _, m := range d.Show {
		s.MetadataLabels = append(s.MetadataLabels, linkhub.Option{Value: m.Key, Label: m.Label})
	}
	s.Text = connectorText(d.Translations)
	return s
}

// Expr returns the compiled form of a CEL expression of the definition; Parse
// compiled every one, so it is never nil for an expression the definition holds.
func (d *Definition) Expr(src string) *Expr { return d.exprs[src] }
