package kit

import (
	"context"
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
		return invalid("address_invalid")
	}
	switch {
	case u.Scheme == "http" && !cfg.AllowHTTP, u.Scheme != "https" && u.Scheme != "http":
		return invalid("address_not_https")
	case u.User != nil:
		return invalid("address_has_user")
	}
	host := u.Hostname()
	port := uint16(443)
	if u.Scheme == "http" {
		port = 80
	}
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil || n == 0 {
			return invalid("address_bad_port")
		}
		port = uint16(n)
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return invalid("address_ipv6_zone")
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
			return failure(linkhub.ReasonDNSNotFound, "dns_no_addresses", host)
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

func invalid(id string) *Failure {
	return failure(linkhub.ReasonInvalidInput, id)
}

// checkHostname returns the text id of why host is not a usable DNS name,
// or "". Names
// whose last label is a number (2130706433, 127.1, 0x7f.1) are refused:
// browsers and C resolvers read them as IPv4 addresses in decimal, octal or
// hex, and the policy must judge the address a dial would really reach.
// Non-ASCII names are refused too: IDNA maps 127。0。0。1 to 127.0.0.1.
func checkHostname(host string) string {
	name := strings.TrimSuffix(host, ".")
	if len(name) == 0 || len(name) > 253 {
		return "name_length"
	}
	labels := strings.Split(name, ".")
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 {
			return "label_length"
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
				return "name_chars"
			}
		}
	}
	if numeric(labels[len(labels)-1]) {
		return "ip_form"
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
