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
	Identity   []string          `yaml:"identity"` // field ids or metadata keys naming the account at the vendor
	Auth       Auth              `yaml:"auth"`
	Fields     []Field           `yaml:"fields"`
	Hosts      map[string]Host   `yaml:"hosts"`
	Verify     []Call            `yaml:"verify"`
	Actions    []Action          `yaml:"actions"`
	Errors     []ErrorRule       `yaml:"errors"`
	Hints      map[string]string `yaml:"hints"`
	Show       []Shown           `yaml:"show"`
	Routes     *Routes           `yaml:"routes"`
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
	// PathMetadata stores the path that answered; later requests try it
	// first (a server on the newer path answers at once).
	PathMetadata string `yaml:"path_metadata"`
	// ScopeMetadata stores the scope asked for, which later requests reuse.
	ScopeMetadata string `yaml:"scope_metadata"`
	// Passed is the token stage's text when it passes, {field} and
	// {metadata} substituted.
	Passed string `yaml:"passed"`
	// NotFound tells why every path answered 404.
	NotFound *NotFound `yaml:"not_found"`
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

// NotFound is an unauthenticated GET made when every token path answered
// 404, whose answer tells an older version of the product (no such sign-in
// yet) from another product; the first rule whose When holds, or that has
// none, gives the token stage's reason and hint.
type NotFound struct {
	Probe string         `yaml:"probe"`
	Rules []NotFoundRule `yaml:"rules"`
}

// NotFoundRule is one verdict of NotFound.
type NotFoundRule struct {
	When   string `yaml:"when"` // CEL over the probe's answer; empty always holds
	Reason string `yaml:"reason"`
	Hint   string `yaml:"hint"`
	// ID names the rule's hint in translations (hints).
	ID string `yaml:"id"`
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
	// AnyPort accepts any port and leaves it to the address policy (443
	// and 8443 in production), for a server that may run on its own port.
	AnyPort bool `yaml:"any_port"`
	// StripSuffix is removed from the first label of the host, e.g. Okta's
	// "-admin" in acme-admin.okta.com.
	StripSuffix string `yaml:"strip_suffix"`
	// Messages replace the generic words for a problem of the address, by
	// check (empty, spaces, invalid, http, scheme, user, no_host, name,
	// single_label, ip_zone, port_missing, port, ports); {host} is the name
	// typed.
	Messages map[string]string `yaml:"messages"`
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
	TryEach       *TryEach  `yaml:"try_each"`
	// Path is appended to the base URL, {field} and {metadata}
	// substituted, e.g. an API root a verification call discovers.
	Path string `yaml:"path"`
	// Metadata makes the base URL a stored metadata value the vendor
	// named (Sophos' data-region host), used only when it is an https
	// origin on one of Domains, or on a host the deployment's overrides
	// name (fakes, staging).
	Metadata string   `yaml:"metadata"`
	Domains  []string `yaml:"domains"`
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

// TryEach finds the region when the field names none ("I don't know"): each
// region's token endpoint is asked in turn and the first that issues a token
// wins, stored as metadata Metadata. A refused scope stops the search (only
// the region that knows the client checks scopes); an outage is reported
// over refusals, since it may hide the right region; RefusedHint is the hint
// when every region refused the credentials.
type TryEach struct {
	Metadata    string `yaml:"metadata"`
	RefusedHint string `yaml:"refused_hint"`
	// ID names RefusedHint in translations (hints).
	ID string `yaml:"id"`
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
	// When is a CEL condition over what the test knows so far (values,
	// metadata); the call is made only when it holds.
	When string `yaml:"when"`
	// Pages reads a paged list: the call is repeated with Param=1, 2, ...
	// until the answer's Total (a gjson path) says it was the last page,
	// or Max pages.
	Pages *Pages `yaml:"pages"`
	// Choices offers the answer's items for the user to pick one; a
	// picked choice's metadata is merged over the account's.
	Choices *Choices `yaml:"choices"`
	// GrantedBy lists permissions, any one of which the token's
	// permissions claim must hold before the call is made.
	GrantedBy []string `yaml:"granted_by"`
}

// Pages is how a paged list is read.
type Pages struct {
	Param string `yaml:"param"`
	Total string `yaml:"total"`
	Max   int    `yaml:"max"`
}

// Choices turns a list in the answer into choices. Items is the gjson path
// of the list; ID, Name, Detail and Metadata are CEL over item (and the
// usual variables); Check must hold for every item. Then are choices added
// after the items (CEL over metadata and count, the number of items).
type Choices struct {
	Items    string            `yaml:"items"`
	Check    *Check            `yaml:"check"`
	ID       string            `yaml:"id"`
	Name     string            `yaml:"name"`
	Detail   string            `yaml:"detail"`
	Metadata map[string]string `yaml:"metadata"`
	Then     []Choice          `yaml:"then"`
}

// Choice is one fixed choice of Choices.Then, its texts CEL.
type Choice struct {
	ID       string            `yaml:"id"`
	Name     string            `yaml:"name"`
	Detail   string            `yaml:"detail"`
	Metadata map[string]string `yaml:"metadata"`
}

// Routes decide, per call, where an account's calls go (the proxy, the
// actions, the permission probes and the token API's base URL): the first
// rule whose When holds. Defaults fill metadata an older account lacks,
// in order, before the rules see it.
type Routes struct {
	Defaults []Default `yaml:"defaults"`
	Rules    []Route   `yaml:"rules"`
}

// Default is a metadata value computed (CEL string) when it is missing.
type Default struct {
	Key  string `yaml:"key"`
	Expr string `yaml:"expr"`
}

// Route is one routing rule: CEL over metadata, action (the action id, ""
// for a proxy call) and path. Error (a CEL string) refuses the call;
// otherwise it goes to Host, at Path (CEL string, default the call's path)
// with Headers (CEL strings; empty ones left out).
type Route struct {
	When    string            `yaml:"when"`
	Error   string            `yaml:"error"`
	Host    string            `yaml:"host"`
	Path    string            `yaml:"path"`
	Headers map[string]string `yaml:"headers"`
	// HostError is the message (plain text) when Host has no address this
	// account may call, e.g. a stored data region the definition does not
	// allow.
	HostError string `yaml:"host_error"`
	// ID names the rule's texts in translations: Error under hint_exprs,
	// HostError under hints.
	ID string `yaml:"id"`
}

// Check is a CEL condition on the answer's shape; when it fails the stage
// fails with Reason (default unexpected_response) and Message as the hint.
type Check struct {
	Expr    string `yaml:"expr"`
	Message string `yaml:"message"`
	Reason  string `yaml:"reason"`
	// ID names Message in translations (hints); without one the message
	// is translated as the hint of Reason.
	ID string `yaml:"id"`
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
	// OptIn leaves the action unticked on new profiles: only some
	// credentials can run it.
	OptIn bool `yaml:"opt_in"`
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
		Summary: d.Summary, Identity: d.Identity, AdminGuide: d.AdminGuide.Linkhub(), UserGuide: d.UserGuide.Linkhub()}
	for _, f := range d.Fields {
		s.Fields = append(s.Fields, linkhub.Field{ID: f.ID, Label: f.Label, Scope: linkhub.FieldScope(f.Scope),
			Kind: linkhub.FieldKind(f.Kind), Secret: f.Kind == string(linkhub.KindSecret), Required: f.Required,
			Placeholder: f.Placeholder, Help: f.Help, Options: f.Options, GuideStep: f.GuideStep})
	}
	for _, a := range d.Actions {
		s.Actions = append(s.Actions, linkhub.Action{ID: a.ID, Name: a.Name, Description: a.Description,
			Method: a.Method, Path: a.Path, Privilege: a.Permission, OptIn: a.OptIn})
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
