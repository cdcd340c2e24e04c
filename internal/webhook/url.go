package webhook

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// URLChecker returns the check of endpoint URLs for the outbound policy
// cfg: https on port 443 or 8443 to a host whose every address is public;
// with cfg.AllowPrivate also http and loopback or private addresses on any
// port. The host passes the same check as a Jamf Pro address
// (kit.CheckAddress), name resolution included; the dial-time check of the
// client still runs at each delivery, for names that resolve privately later.
func URLChecker(cfg kit.Config) func(context.Context, string) (string, error) {
	return func(ctx context.Context, raw string) (string, error) { return checkURL(ctx, cfg, raw) }
}

func checkURL(ctx context.Context, cfg kit.Config, raw string) (string, error) {
	bad := func(msg string) (string, error) { return "", linkhub.FieldError("url", msg) }
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return bad("Enter the URL that receives the events, like https://api.example.com/linkhub/events.")
	}
	if len(raw) > linkhub.MaxWebhookURLLen {
		return bad("Use a URL of at most 2000 characters.")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return bad("Enter a full URL, like https://api.example.com/linkhub/events.")
	}
	switch {
	case u.Scheme == "http" && !cfg.AllowPrivate:
		return bad("Use an https:// URL: events carry account details and must be encrypted in transit.")
	case u.Scheme != "https" && u.Scheme != "http":
		return bad("Use an https:// URL.")
	case u.User != nil:
		return bad("Remove the user name and password from the URL; the signature authenticates each delivery.")
	case u.Fragment != "":
		return bad("Remove the #fragment from the URL.")
	}
	// Refusals that need no DNS come first, with the clearer message.
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if p := u.Port(); p != "" && !cfg.AllowPrivate {
		if n, err := strconv.Atoi(p); err == nil && n != 443 && n != 8443 {
			return bad("Use port 443 or 8443 (or leave the port out).")
		}
	}
	if !cfg.AllowPrivate && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		return bad("Linkhub may not send events to " + host + ": it is this machine.")
	}
	cfg.AllowHTTP = cfg.AllowPrivate // http was refused above otherwise
	if f := kit.CheckAddress(ctx, cfg, raw); f != nil {
		return bad(f.Hint)
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}
