package engine

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"time"

	"github.com/tidwall/gjson"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/secret"
)

// passwordGrant makes form a password grant: the customer's key pair as
// username and password, the vendor's public client by HTTP Basic (Datto's
// public-client:public, the same for everyone and no secret).
func passwordGrant(t *definition.Token, form url.Values, header http.Header, values map[string]string, sec secret.Value) {
	form.Set("grant_type", "password")
	form.Set("username", values[t.Username])
	form.Set("password", sec.Reveal())
	pair := url.QueryEscape(t.PublicClient.ID) + ":" + url.QueryEscape(t.PublicClient.Secret)
	header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(pair)))
}

// lifetime is how long a token from body lives: its expires_in, held to
// the vendor's documented lifetime when the definition gives one, which
// also stands in for a missing expires_in. A token that lasts days (Datto's
// 100 hours) is then cached for days, sparing the vendor's rate budget.
func (c *Connector) lifetime(body []byte) time.Duration {
	doc, _ := time.ParseDuration(c.def.Auth.Token.Lifetime) // Parse checked it
	switch {
	case doc <= 0:
		return expiresIn(body)
	case !gjson.GetBytes(body, "expires_in").Exists():
		return doc
	default:
		return min(expiresIn(body), doc)
	}
}

// scope is the scope the token request asks for: the token host's
// region's, when the definition gives one per region.
func (c *Connector) scope(values, metadata map[string]string) string {
	t := c.def.Auth.Token
	if len(t.Scopes) == 0 {
		return t.Scope
	}
	return t.Scopes[c.hosts[t.Host].region(values, metadata)]
}
