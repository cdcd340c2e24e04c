package engine

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// issued is a token endpoint's success.
type issued struct {
	token  secret.Value
	expiry time.Time
	answer answer
}

// requestToken runs the client-credentials grant at base, trying the
// definition's token paths in order and moving on only after a 404 (an
// older or newer server without that path). The secret is revealed only
// into the request sent to base.
func (c *Connector) requestToken(ctx context.Context, base string, values, metadata map[string]string, sec secret.Value) (issued, *kit.Failure) {
	t := c.def.Auth.Token
	clientID := values[t.ClientID]
	form := url.Values{}
	grant := "client_credentials"
	if t.GrantType != nil {
		grant = *t.GrantType
	}
	if grant != "" {
		form.Set("grant_type", grant)
	}
	if scope := c.scope(values, metadata); scope != "" {
		form.Set("scope", scope)
	}
	for k, v := range t.Params {
		if v = expandText(v, values, metadata); v != "" {
			form.Set(k, v)
		}
	}
	header := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if t.Username != "" {
		passwordGrant(t, form, header, values, sec)
	} else if t.ClientAuth == "basic" {
		header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString(
			[]byte(url.QueryEscape(clientID)+":"+url.QueryEscape(sec.Reveal()))))
	} else {
		form.Set("client_id", clientID)
		form.Set("client_secret", sec.Reveal())
	}
	success := t.Success
	if len(success) == 0 {
		success = []int{http.StatusOK}
	}
	var a answer
	for _, p := range t.Paths {
		var f *kit.Failure
		a, f = c.send(ctx, http.MethodPost, base+expand(p, values, metadata), header.Clone(), strings.NewReader(form.Encode()))
		if f != nil {
			return issued{}, c.override(linkhub.LocaleFrom(ctx), f)
		}
		if a.status != http.StatusNotFound {
			break
		}
	}
	if !slices.Contains(success, a.status) {
		return issued{}, c.refusal(linkhub.LocaleFrom(ctx), stageToken, a, values, metadata, sec.Reveal())
	}
	tok := gjson.GetBytes(a.body, "access_token").String()
	if tok == "" {
		return issued{}, &kit.Failure{Reason: linkhub.ReasonNotVendor, HTTPStatus: a.status, Snippet: kit.Snippet(a.body, sec.Reveal()),
			Hint: c.hint(linkhub.LocaleFrom(ctx), linkhub.ReasonNotVendor, kit.Text(linkhub.LocaleFrom(ctx), "no_access_token", c.def.Name))}
	}
	return issued{token: secret.New(tok), expiry: time.Now().Add(c.lifetime(a.body)), answer: a}, nil
}

// expiresIn reads expires_in as a number or a numeric string; a missing or
// odd value means a short, safe lifetime so a cache refreshes soon.
func expiresIn(body []byte) time.Duration {
	var v struct {
		ExpiresIn json.Number `json:"expires_in"`
	}
	if json.Unmarshal(body, &v) != nil {
		return time.Minute
	}
	secs, err := v.ExpiresIn.Int64()
	if err != nil || secs <= 0 {
		return time.Minute
	}
	return time.Duration(secs) * time.Second
}

// discover reads the region an answer names for every host that discovers
// one, and returns the hosts whose region changed. The region in use is
// stored in metadata either way.
func (c *Connector) discover(a answer, values, metadata map[string]string) []string {
	var changed []string
	for _, name := range c.hostNames {
		h := c.hosts[name]
		d := h.def.Discover
		if d == nil {
			continue
		}
		cur := h.region(values, metadata)
		var v string
		if d.Header != "" {
			v = strings.TrimSpace(a.headers.Get(d.Header))
		} else {
			v = gjson.GetBytes(a.body, d.JSON).String()
		}
		if v != "" && v != cur && h.has(v) {
			vars := a.vars(values, metadata)
			vars.Value = v
			ok := true
			if d.When != "" {
				var err error
				if ok, err = c.def.Expr(d.When).Bool(vars); err != nil {
					ok = false
				}
			}
			if ok {
				cur, changed = v, append(changed, name)
			}
		}
		metadata[d.Metadata] = cur
	}
	return changed
}
