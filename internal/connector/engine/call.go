package engine

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// answer is a vendor's answer, body capped by the kit client.
type answer struct {
	status  int
	headers http.Header
	body    []byte
}

// vars returns what CEL expressions see of the answer.
func (a answer) vars(values, metadata map[string]string) definition.Vars {
	h := map[string]string{}
	for k, v := range a.headers {
		if len(v) > 0 {
			h[strings.ToLower(k)] = v[0]
		}
	}
	var body any
	if json.Unmarshal(a.body, &body) != nil {
		body = nil
	}
	return definition.Vars{Status: a.status, Headers: h, Body: body, Values: values, Metadata: metadata}
}

// send makes one request through the SSRF-safe client. It fails only when
// no HTTP answer came back.
func (c *Connector) send(ctx context.Context, method, target string, header http.Header, body io.Reader) (answer, *kit.Failure) {
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return answer{}, &kit.Failure{Reason: linkhub.ReasonInvalidInput, Hint: kit.TextIn(ctx, "api_url_invalid")}
	}
	req.Header = header
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{}, kit.NetFailure(err, req.URL.Host, c.cfg)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, kit.NetFailure(err, req.URL.Host, c.cfg)
	}
	return answer{status: resp.StatusCode, headers: resp.Header, body: raw}, nil
}

// expand replaces {name} with the value or metadata of that name, escaped
// for a path before any '?' and for a query after it.
func expand(s string, values, metadata map[string]string) string {
	path, query, hasQuery := strings.Cut(s, "?")
	sub := func(s string, esc func(string) string) string {
		return definition.Placeholder.ReplaceAllStringFunc(s, func(m string) string {
			name := m[1 : len(m)-1]
			if v, ok := values[name]; ok {
				return esc(v)
			}
			return esc(metadata[name])
		})
	}
	out := sub(path, url.PathEscape)
	if hasQuery {
		out += "?" + sub(query, url.QueryEscape)
	}
	return out
}

// expandText replaces {name} without escaping, for headers and form values.
func expandText(s string, values, metadata map[string]string) string {
	return definition.Placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		if v, ok := values[name]; ok {
			return v
		}
		return metadata[name]
	})
}
