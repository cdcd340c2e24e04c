package webhook

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// URLChecker returns the check of endpoint URLs for the outbound policy
// cfg: https on port 443 or 8443 to a public host; with cfg.AllowPrivate
// also http and loopback or private addresses on any port. The dial-time
// check of the client still runs for names that resolve privately.
func URLChecker(cfg kit.Config) func(string) (string, error) {
	return func(raw string) (string, error) { return checkURL(cfg, raw) }
}

func checkURL(cfg kit.Config, raw string) (string, error) {
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
	u.Scheme = strings.ToLower(u.Scheme)
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
	port := 443
	if u.Scheme == "http" {
		port = 80
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("The port must be a number from 1 to 65535.")
		}
		port = n
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if cfg.Permit(netip.AddrPortFrom(ip, uint16(port))) != nil {
			return bad("Linkhub may not send events to " + host + ": it is a private or reserved address, or the port is not 443 or 8443.")
		}
	} else if !cfg.AllowPrivate && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		return bad("Linkhub may not send events to " + host + ": it is this machine.")
	} else if !cfg.AllowPrivate && port != 443 && port != 8443 {
		return bad("Use port 443 or 8443 (or leave the port out).")
	}
	u.Host = strings.ToLower(u.Host)
	return u.String(), nil
}
