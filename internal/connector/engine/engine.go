// Package engine runs connector definitions: it turns a
// definition.Definition into a linkhub.Connector whose staged test, token
// and actions behave like the hand-written connectors', through the same kit
// (the SSRF-safe client, the address check, the recorder, the redaction).
package engine

import (
	"cmp"
	"context"
	"encoding/base64"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// staticTokenLife is how long the token API's answer for a static key is
// cached: no vendor call makes it, so a short life costs nothing and a
// changed key shows soon.
const staticTokenLife = 5 * time.Minute

// Connector is a definition made runnable.
type Connector struct {
	def       *definition.Definition
	cfg       kit.Config
	hc        *http.Client
	spec      linkhub.ConnectorSpec
	hosts     map[string]*host
	hostNames []string // sorted, for a stable discovery order
	patterns  map[string]*regexp.Regexp
}

var _ linkhub.Connector = (*Connector)(nil)

// New returns the connector of def calling out under cfg, with
// cfg.Hosts.Definitions[def.ID] overriding its hosts.
func New(def *definition.Definition, cfg kit.Config) *Connector {
	c := &Connector{def: def, cfg: cfg, hc: kit.NewClient(cfg), spec: def.Spec(),
		hosts: resolveHosts(def, cfg.Hosts.Definitions[def.ID]), patterns: map[string]*regexp.Regexp{}}
	for _, f := range def.Fields {
		if f.Pattern != nil {
			c.patterns[f.ID] = regexp.MustCompile(f.Pattern.Regex) // Parse compiled it once already
		}
	}
	for name := range c.hosts {
		c.hostNames = append(c.hostNames, name)
	}
	sort.Strings(c.hostNames)
	c.spec.Fields = offered(c.spec.Fields, c.hosts)
	return c
}

// Spec implements linkhub.Connector.
func (c *Connector) Spec() linkhub.ConnectorSpec { return c.spec }

// run is one staged test in progress.
type run struct {
	*Connector
	rec      *kit.Recorder
	values   map[string]string
	metadata map[string]string
	creds    linkhub.Credentials
	tag      string // the user's language
	grants   grants // the token's permissions claim, when the definition reads one
}

// Test implements linkhub.Connector.
func (c *Connector) Test(ctx context.Context, in linkhub.TestInput) linkhub.Report {
	r := &run{Connector: c, rec: kit.NewRecorder(ctx), metadata: map[string]string{}, creds: in.Credentials,
		tag: linkhub.LocaleFrom(ctx)}
	if !r.validate() || !r.address(ctx) {
		return r.rec.Report()
	}
	auth, ok := r.token(ctx)
	if ok {
		for k, v := range c.extraHeaders(r.values) {
			auth.Set(k, v)
		}
	}
	if !ok || !r.verify(ctx, auth) {
		return r.rec.Report()
	}
	r.probe(ctx, auth, in.Actions)
	for k, v := range r.metadata {
		r.rec.SetMetadata(k, v)
	}
	return r.rec.Report()
}

func (r *run) validate() bool {
	step := r.rec.Begin(linkhub.StageValidate)
	values, errs := validateFields(r.Connector, r.creds, r.tag)
	r.values = values
	for k, v := range values {
		r.rec.SetValue(k, v)
	}
	if errs != nil {
		r.rec.SetFieldErrors(errs)
		step.Fail(&kit.Failure{Reason: linkhub.ReasonInvalidInput, Hint: r.hint(r.tag, linkhub.ReasonInvalidInput, "")})
		return false
	}
	step.Pass(0, kit.Text(r.tag, "fields_ok"), "")
	return true
}

// address checks every base URL the test will call before a credential
// is sent anywhere.
func (r *run) address(ctx context.Context) bool {
	step := r.rec.Begin(linkhub.StageAddress)
	checked := map[string]bool{}
	for _, name := range r.usedHosts() {
		u := r.hosts[name].base(r.values, r.metadata)
		if checked[u] {
			continue
		}
		checked[u] = true
		if f := kit.CheckAddress(ctx, r.cfg, u); f != nil {
			step.Fail(r.override(r.tag, f))
			return false
		}
	}
	step.Pass(0, kit.Text(r.tag, "address_ok"), "")
	return true
}

// usedHosts names the hosts the test calls.
func (c *Connector) usedHosts() []string {
	var names []string
	if t := c.def.Auth.Token; t != nil {
		names = append(names, t.Host)
	}
	for _, v := range c.def.Verify {
		names = append(names, v.Host)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// token runs the token stage and returns the headers that authenticate
// API calls.
func (r *run) token(ctx context.Context) (http.Header, bool) {
	step := r.rec.Begin(linkhub.StageToken)
	if r.def.Auth.Token == nil {
		step.Skip(kit.Text(r.tag, "no_sign_in"))
		return r.staticAuth(r.creds), true
	}
	sec := secretOf(r.creds, r.def.Auth.Token.SecretField())
	th := r.hosts[r.def.Auth.Token.Host]
	tok, f := r.requestToken(ctx, th.base(r.values, r.metadata), r.values, r.metadata, sec)
	if f == nil {
		// The answer named another region: check its address, and sign in
		// again there when the token comes from that host.
		for _, name := range r.discover(tok.answer, r.values, r.metadata) {
			base := r.hosts[name].base(r.values, r.metadata)
			if f = kit.CheckAddress(ctx, r.cfg, base); f == nil && name == r.def.Auth.Token.Host {
				tok, f = r.requestToken(ctx, base, r.values, r.metadata, sec)
			}
			if f != nil {
				break
			}
		}
	}
	if f != nil {
		step.Fail(f)
		return nil, false
	}
	hint := kit.Text(r.tag, "signed_in")
	for _, name := range r.hostNames {
		if h := r.hosts[name]; h.def.Discover != nil {
			reg := h.region(r.values, r.metadata)
			hint = kit.Text(r.tag, "signed_in_region", reg)
			r.values[h.def.RegionField] = reg
			r.rec.SetValue(h.def.RegionField, reg)
		}
	}
	r.grants = r.granted(tok.token)
	step.Pass(tok.answer.status, hint, "")
	return http.Header{"Authorization": {"Bearer " + tok.token.Reveal()}}, true
}

// staticAuth returns the headers of an API key or HTTP Basic connector.
func (c *Connector) staticAuth(creds linkhub.Credentials) http.Header {
	a := c.def.Auth
	if a.Type == definition.AuthBasic {
		user := strings.TrimSpace(creds.Values[a.Username])
		if a.UsernameValue != "" {
			values := map[string]string{}
			for k, v := range creds.Values {
				values[k] = strings.TrimSpace(v)
			}
			user = expandText(a.UsernameValue, values, nil)
		}
		pair := user + ":" + strings.TrimSpace(creds.Secrets[a.Password].Reveal())
		return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(pair))}}
	}
	v := strings.TrimSpace(creds.Secrets[a.Secret].Reveal())
	if a.Value != "" {
		all := map[string]string{}
		for k, s := range creds.Secrets {
			all[k] = strings.TrimSpace(s.Reveal())
		}
		v = expandText(a.Value, creds.Values, all)
	}
	if a.Scheme != "" {
		v = a.Scheme + " " + v
	}
	h := http.Header{}
	h.Set(a.Header, v)
	return h
}

func secretOf(creds linkhub.Credentials, id string) secret.Value {
	return secret.New(strings.TrimSpace(creds.Secrets[id].Reveal()))
}

// revealed returns the secrets of creds, to redact from snippets.
func revealed(creds linkhub.Credentials) []string {
	var out []string
	for _, s := range creds.Secrets {
		if v := strings.TrimSpace(s.Reveal()); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Token implements linkhub.Connector.
func (c *Connector) Token(ctx context.Context, creds linkhub.Credentials, metadata map[string]string) (linkhub.Token, error) {
	values := map[string]string{}
	for k, v := range creds.Values {
		values[k] = strings.TrimSpace(v)
	}
	base := c.apiBase(values, metadata)
	if base == "" {
		return linkhub.Token{}, linkhub.Errorf(linkhub.EINVALID, "This %s account has no known address. Test the connection again.", c.def.Name)
	}
	if c.def.Auth.Token == nil {
		h := c.staticAuth(creds)
		name := cmp.Or(c.def.Auth.Header, "Authorization") // as the definition spells it
		headers := map[string]string{name: h.Get(name)}
		key := creds.Secrets[c.def.Auth.Secret]
		switch {
		case c.def.Auth.Type == definition.AuthBasic:
			key = secret.New(strings.TrimPrefix(h.Get("Authorization"), "Basic "))
		case c.def.Auth.Value != "":
			key = secret.New(h.Get(c.def.Auth.Header))
		}
		maps.Copy(headers, c.extraHeaders(values))
		return linkhub.Token{AccessToken: secret.New(strings.TrimSpace(key.Reveal())), Expiry: time.Now().Add(staticTokenLife),
			BaseURL: base, Headers: headers}, nil
	}
	t := c.def.Auth.Token
	tb := c.hosts[t.Host].base(values, metadata)
	if tb == "" {
		return linkhub.Token{}, linkhub.Errorf(linkhub.EINVALID, "This %s account has no known address. Test the connection again.", c.def.Name)
	}
	tok, f := c.requestToken(ctx, tb, values, metadata, secretOf(creds, t.SecretField()))
	if f != nil {
		return linkhub.Token{}, f.UserError()
	}
	tk := linkhub.Token{AccessToken: tok.token, Expiry: tok.expiry, BaseURL: base}
	if h := c.extraHeaders(values); len(h) > 0 {
		tk.Headers = h
	}
	return tk, nil
}

// extraHeaders returns the definition's headers for every API call.
func (c *Connector) extraHeaders(values map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range c.def.Auth.Headers {
		if v = expandText(v, values, nil); v != "" {
			out[k] = v
		}
	}
	return out
}

// apiBase is where the token API and the proxy send calls: the host of the
// first action, else of the first verification call.
func (c *Connector) apiBase(values, metadata map[string]string) string {
	name := c.def.Verify[0].Host
	if len(c.def.Actions) > 0 {
		name = c.def.Actions[0].Host
	}
	return c.hosts[name].base(values, metadata)
}
