// Package proxy forwards the host product's calls to a linked account's
// vendor: the host is pinned to the base URL of the account's token, the
// access token and the connector's headers are injected, and size and time
// are bounded. The host API's proxy and actions both go through it.
package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MaxResponse is the largest vendor answer passed on; a larger one is an
// EVENDOR error rather than a cut body the caller would take for complete.
const MaxResponse = 10 << 20

// Tokens hands out access tokens; *tokens.Service is one.
type Tokens interface {
	AccountToken(ctx context.Context, a *linkhub.Account) (linkhub.Token, error)
	ForgetRefused(a *linkhub.Account, refused linkhub.Token)
}

// Forwarder sends requests to accounts' vendors.
type Forwarder struct {
	tokens      Tokens
	hc          *http.Client
	cfg         kit.Config
	maxResponse int64
}

// New returns a forwarder whose client follows cfg's outbound policy (SSRF
// checks on every dial, timeout, no redirects), like the connectors'.
func New(tokens Tokens, cfg kit.Config) *Forwarder {
	return &Forwarder{tokens: tokens, hc: kit.NewUncappedClient(cfg), cfg: cfg, maxResponse: MaxResponse}
}

// Request is one call to forward.
type Request = linkhub.VendorRequest

// Response is the vendor's answer.
type Response = linkhub.VendorResponse

var _ linkhub.Vendor = (*Forwarder)(nil)

// ActionRequest is the package's ActionRequest, for linkhub.Vendor.
func (f *Forwarder) ActionRequest(act linkhub.Action, params map[string]any) (Request, error) {
	return ActionRequest(act, params)
}

// dropHeaders are never forwarded: hop-by-hop headers (RFC 9110 §7.6.1),
// the caller's credentials and addressing, and Accept-Encoding so that the
// client decompresses what it passes back.
var dropHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Authorization", "Cookie",
	"Host", "Accept-Encoding", "Content-Length", "Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
	"X-Forwarded-Proto", "X-Real-Ip"}

// passHeaders are the vendor's response headers passed back.
var passHeaders = []string{"Content-Type", "Retry-After", "Etag", "Last-Modified", "Link"}

// Forward sends r to a's vendor with a fresh or cached access token. When the
// vendor answers 401 the token is forgotten and the call made once more with
// a new one (the vendor may have revoked it early). Errors are *linkhub.Error
// values: the token service's, EUNAVAILABLE when the vendor cannot be
// reached, EVENDOR for an answer larger than MaxResponse.
func (f *Forwarder) Forward(ctx context.Context, a *linkhub.Account, r Request) (*Response, error) {
	path, err := CleanPath(r.Path)
	if err != nil {
		return nil, err
	}
	tok, err := f.tokens.AccountToken(ctx, a)
	if err != nil {
		return nil, err
	}
	resp, err := f.send(ctx, tok, r, path)
	if err != nil || resp.Status != http.StatusUnauthorized {
		return resp, err
	}
	f.tokens.ForgetRefused(a, tok)
	if tok, err = f.tokens.AccountToken(ctx, a); err != nil {
		return nil, err
	}
	return f.send(ctx, tok, r, path)
}

// send makes one attempt with tok.
func (f *Forwarder) send(ctx context.Context, tok linkhub.Token, r Request, path string) (*Response, error) {
	base, headers := tok.BaseURL, tok.Headers
	if r.Route != nil {
		base, headers = r.Route.BaseURL, r.Route.Headers
	}
	target, err := pinned(base, path, r.RawQuery)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, target.String(), bytes.NewReader(r.Body))
	if err != nil {
		return nil, linkhub.Errorf(linkhub.EINVALID, "The request cannot be sent to the vendor.")
	}
	req.Header = outboundHeader(r.Header)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken.Reveal())
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		return nil, kit.NetFailure(err, target.Host, f.cfg).UserError()
	}
	defer resp.Body.Close()
	if resp.ContentLength > f.maxResponse {
		return nil, f.tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxResponse+1))
	if err != nil {
		return nil, kit.NetFailure(err, target.Host, f.cfg).UserError()
	}
	if int64(len(body)) > f.maxResponse {
		return nil, f.tooLarge()
	}
	out := &Response{Status: resp.StatusCode, Header: http.Header{}, Body: body}
	for _, k := range passHeaders {
		if v := resp.Header.Values(k); len(v) > 0 {
			out.Header[k] = v
		}
	}
	return out, nil
}

func (f *Forwarder) tooLarge() error {
	return linkhub.Errorf(linkhub.EVENDOR, "The vendor's answer is larger than %d MiB, more than Linkhub passes on. Ask for less, e.g. a smaller page.",
		f.maxResponse>>20)
}

// pinned joins the base URL of a token and a checked path; the result has
// the base's scheme and host whatever the path holds.
func pinned(base, path, rawQuery string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, linkhub.Errorf(linkhub.EVENDOR, "This account has no valid vendor address. Test the connection again.")
	}
	decoded, _ := url.PathUnescape(path) // CleanPath made sure it decodes
	target := &url.URL{Scheme: u.Scheme, Host: u.Host,
		Path:    strings.TrimSuffix(u.Path, "/") + decoded,
		RawPath: strings.TrimSuffix(u.EscapedPath(), "/") + path, RawQuery: rawQuery}
	if again, err := url.Parse(target.String()); err != nil || again.Host != u.Host || again.Scheme != u.Scheme {
		return nil, linkhub.FieldError("path", "The path must stay on the vendor's host.")
	}
	return target, nil
}

// outboundHeader copies the caller's headers minus dropHeaders and any
// header its Connection header names.
func outboundHeader(in http.Header) http.Header {
	out := in.Clone()
	if out == nil {
		out = http.Header{}
	}
	for _, v := range in.Values("Connection") {
		for name := range strings.SplitSeq(v, ",") {
			out.Del(strings.TrimSpace(name))
		}
	}
	for _, k := range dropHeaders {
		out.Del(k)
	}
	return out
}

// CleanPath checks an escaped path from the caller and returns it, "/" for
// an empty one. It refuses anything that could leave the vendor's base URL
// or be read differently by the vendor: dot segments, empty segments ("//"),
// backslashes, "@", control characters, encoded slashes and dots, and
// double encoding.
func CleanPath(escaped string) (string, error) {
	if escaped == "" {
		return "/", nil
	}
	bad := func(why string) error {
		return linkhub.FieldError("path", fmt.Sprintf("The path %s; give a path below the vendor's API address, like /api/v1/items.", why))
	}
	if !strings.HasPrefix(escaped, "/") {
		return "", bad("must start with /")
	}
	if len(escaped) > 2048 {
		return "", bad("is longer than 2048 characters")
	}
	lower := strings.ToLower(escaped)
	for _, enc := range []string{"%2f", "%5c", "%2e", "%25"} {
		if strings.Contains(lower, enc) {
			return "", bad("may not encode /, \\, . or %")
		}
	}
	decoded, err := url.PathUnescape(escaped)
	if err != nil {
		return "", bad("is not validly escaped")
	}
	if strings.ContainsAny(decoded, "\\@") || strings.ContainsFunc(decoded, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", bad("may not hold \\, @ or control characters")
	}
	segs := strings.Split(decoded[1:], "/")
	for i, s := range segs {
		if s == "." || s == ".." {
			return "", bad("may not hold . or .. segments")
		}
		if s == "" && i < len(segs)-1 {
			return "", bad("may not hold empty segments (//)")
		}
	}
	return escaped, nil
}
