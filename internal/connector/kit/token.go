package kit

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// TokenRequest is an OAuth 2.0 client-credentials request with the client id
// and secret in the form body (what all our vendors accept, and what Jamf
// requires).
type TokenRequest struct {
	Vendor       string // the vendor's name, for hints
	URL          string
	ClientID     string
	ClientSecret secret.Value
	Scope        string // space-separated; empty sends none
}

// TokenResult is a token endpoint's successful answer.
type TokenResult struct {
	AccessToken secret.Value
	Expiry      time.Time
	Scope       string
	HTTPStatus  int
}

// tokenBody is the union of the vendors' token answers: RFC 6749 fields plus
// Sophos's errorCode/message.
type tokenBody struct {
	AccessToken      string          `json:"access_token"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	Scope            string          `json:"scope"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	ErrorCode        string          `json:"errorCode"`
}

// We hand-write the request rather than use x/oauth2's clientcredentials:
// the staged test needs the status, a redacted snippet and vendor error codes
// of every answer, including 200s that are not token answers at all.

// RequestToken runs the client-credentials grant, retried once as
// retryDelay says. The secret is revealed only into the request body sent to
// req.URL.
func RequestToken(ctx context.Context, hc *http.Client, cfg Config, req TokenRequest) (TokenResult, *Failure) {
	tok, f, retryAfter := requestToken(ctx, hc, cfg, req)
	if d, ok := retryDelay(ctx, f, retryAfter, cfg, req.Vendor); ok && sleep(ctx, d) {
		tok, f, _ = requestToken(ctx, hc, cfg, req)
	}
	return tok, f
}

// requestToken makes one token request; retryAfter is the answer's
// Retry-After header.
func requestToken(ctx context.Context, hc *http.Client, cfg Config, req TokenRequest) (_ TokenResult, _ *Failure, retryAfter string) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {req.ClientID},
		"client_secret": {req.ClientSecret.Reveal()},
	}
	if req.Scope != "" {
		form.Set("scope", req.Scope)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, req.URL, strings.NewReader(form.Encode()))
	if err != nil {
		return TokenResult{}, failure(linkhub.ReasonInvalidInput, "token_url_invalid"), ""
	}
	hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	hr.Header.Set("Accept", "application/json")
	resp, err := hc.Do(hr)
	if err != nil {
		return TokenResult{}, NetFailure(err, hr.URL.Host, cfg), ""
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return TokenResult{}, NetFailure(err, hr.URL.Host, cfg), ""
	}
	sec := req.ClientSecret.Reveal()
	var body tokenBody
	jsonErr := json.Unmarshal(raw, &body)
	if resp.StatusCode == http.StatusOK {
		if jsonErr != nil || body.AccessToken == "" {
			f := &Failure{Reason: linkhub.ReasonNotVendor, HTTPStatus: resp.StatusCode, Snippet: Snippet(raw, sec)}
			f.say("no_access_token", req.Vendor)
			return TokenResult{}, f, ""
		}
		return TokenResult{
			AccessToken: secret.New(body.AccessToken),
			Expiry:      time.Now().Add(expiresIn(body.ExpiresIn)),
			Scope:       body.Scope,
			HTTPStatus:  resp.StatusCode,
		}, nil, ""
	}
	return TokenResult{}, tokenFailure(resp.StatusCode, body, raw, req, sec), resp.Header.Get("Retry-After")
}

// tokenFailure maps a token endpoint's refusal to a reason. Vendors disagree
// on statuses (400 or 401) but agree enough on error codes.
func tokenFailure(status int, body tokenBody, raw []byte, req TokenRequest, sec string) *Failure {
	f := &Failure{HTTPStatus: status, Snippet: Snippet(raw, sec)}
	code := strings.ToLower(body.Error + " " + body.ErrorCode)
	switch {
	case strings.Contains(code, "invalid_scope"):
		f.Reason = linkhub.ReasonScopeNotGranted
		f.say("token_scope_not_granted", req.Vendor)
	case strings.Contains(code, "client_app_does_not_exist"), strings.Contains(code, "invalid_client_id"),
		strings.Contains(code, "client_disabled"), strings.Contains(code, "unknown_client"):
		f.Reason = linkhub.ReasonUnknownClient
		f.say("token_unknown_client", req.Vendor)
	case (status == 400 || status == 401 || status == 403) && strings.TrimSpace(code) != "",
		status == http.StatusUnauthorized:
		f.Reason = linkhub.ReasonBadCredentials
		f.say("token_bad_credentials", req.Vendor)
	default:
		return StatusFailure(status, raw, req.Vendor, sec)
	}
	return f
}

// expiresIn reads expires_in as a number or a numeric string; a missing or
// odd value means a short, safe lifetime so a cache refreshes soon.
func expiresIn(raw json.RawMessage) time.Duration {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return time.Minute
		}
		n = json.Number(s)
	}
	secs, err := n.Int64()
	if err != nil || secs <= 0 {
		return time.Minute
	}
	return time.Duration(secs) * time.Second
}
