package kit

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Resolver looks up a host name's addresses; *net.Resolver is one. Tests
// give a resolver that answers what a hostile DNS server would.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

func (c Config) resolver() Resolver {
	if c.Resolver == nil {
		return net.DefaultResolver
	}
	return c.Resolver
}

// CheckAddress checks a user-given URL before any credential is sent to it:
// https (http only with AllowHTTP), no user name or password, a plain ASCII
// host that cannot be read as an IP address in another notation, and every
// address the host resolves to allowed by cfg's policy. The dial-time check
// in NewClient still runs: DNS may answer differently a moment later.
func CheckAddress(ctx context.Context, cfg Config, rawURL string) *Failure {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" || u.Opaque != "" {
		return invalid("The address is not a valid URL.")
	}
	switch {
	case u.Scheme == "http" && !cfg.AllowHTTP, u.Scheme != "https" && u.Scheme != "http":
		return invalid("The address must start with https://.")
	case u.User != nil:
		return invalid("The address must not contain a user name or password.")
	}
	host := u.Hostname()
	port := uint16(443)
	if u.Scheme == "http" {
		port = 80
	}
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil || n == 0 {
			return invalid("The port in the address is not a number from 1 to 65535.")
		}
		port = uint16(n)
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return invalid("IPv6 zone identifiers are not allowed in the address.")
		}
		addrs = []netip.Addr{ip}
	} else {
		if msg := checkHostname(host); msg != "" {
			return invalid(msg)
		}
		ctx, cancel := context.WithTimeout(ctx, cfg.RequestTimeout())
		defer cancel()
		addrs, err = cfg.resolver().LookupNetIP(ctx, "ip", host)
		if err != nil {
			return NetFailure(err, host, cfg)
		}
		if len(addrs) == 0 {
			return &Failure{Reason: linkhub.ReasonDNSNotFound, Hint: fmt.Sprintf("The name %s has no addresses.", host)}
		}
	}
	// Refuse when any address is refused: the dialer may pick any of them.
	for _, a := range addrs {
		if err := cfg.Permit(netip.AddrPortFrom(a, port)); err != nil {
			return NetFailure(err, u.Host, cfg)
		}
	}
	return nil
}

func invalid(hint string) *Failure {
	return &Failure{Reason: linkhub.ReasonInvalidInput, Hint: hint}
}

// checkHostname returns why host is not a usable DNS name, or "". Names
// whose last label is a number (2130706433, 127.1, 0x7f.1) are refused:
// browsers and C resolvers read them as IPv4 addresses in decimal, octal or
// hex, and the policy must judge the address a dial would really reach.
// Non-ASCII names are refused too: IDNA maps 127。0。0。1 to 127.0.0.1.
func checkHostname(host string) string {
	name := strings.TrimSuffix(host, ".")
	if len(name) == 0 || len(name) > 253 {
		return "The server name must be 1 to 253 characters long."
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 {
			return "Each part of the server name between dots must be 1 to 63 characters long."
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return "The server name may contain only letters a-z, digits, hyphens and dots (write international names in their xn-- form)."
			}
		}
	}
	if numeric(labels[len(labels)-1]) {
		return "Write an IP address in its usual dotted form, like 203.0.113.10."
	}
	return ""
}

// numeric reports whether a label reads as a number in C's inet_aton: decimal,
// octal (leading 0) or hex (0x).
func numeric(label string) bool {
	l := strings.ToLower(label)
	if strings.HasPrefix(l, "0x") {
		l = l[2:]
		return strings.Trim(l, "0123456789abcdef") == ""
	}
	return strings.Trim(l, "0123456789") == ""
}
