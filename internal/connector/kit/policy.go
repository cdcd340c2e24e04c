package kit

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"

	"code.dny.dev/ssrf"
)

// allowedPorts are the only ports a public vendor address may use: https and
// the usual on-premises Jamf Pro port.
var allowedPorts = []uint16{443, 8443}

// privatePrefixes are what AllowPrivate opens up. Link-local (and so the
// cloud metadata address 169.254.169.254) is deliberately not among them.
var privatePrefixes = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fc00::/7"),
}

// Permit reports whether a call may connect to ap: nil when allowed, an error
// wrapping an ssrf sentinel (ssrf.ErrProhibitedIP, ssrf.ErrProhibitedPort)
// when not.
func (c Config) Permit(ap netip.AddrPort) error {
	// Go's resolver answers hosts-file IPv4 entries as IPv4-mapped IPv6
	// (::ffff:a.b.c.d); every check below judges the IPv4 address itself, or
	// the SSRF list would refuse a public address (outside 2000::/3) and its
	// IPv4 deny list would never see a mapped private one.
	ip := ap.Addr().Unmap()
	ap = netip.AddrPortFrom(ip, ap.Port())
	for _, p := range c.AllowCIDRs {
		if p.Contains(ip) {
			return nil
		}
	}
	if c.AllowPrivate {
		for _, p := range privatePrefixes {
			if p.Contains(ip) {
				return nil
			}
		}
	}
	// The guardian is cheap to build; building it here keeps Config a plain value.
	return ssrf.New(ssrf.WithPorts(allowedPorts...)).SafeAddrPort(ap)
}

// control is the net.Dialer.Control hook: it runs after DNS resolution on
// every dial, redirects and reused names included, so DNS rebinding cannot
// slip past the address stage.
func (c Config) control(network, address string, _ syscall.RawConn) error {
	if network != "tcp4" && network != "tcp6" {
		return fmt.Errorf("%w: %s", ssrf.ErrProhibitedNetwork, network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ssrf.ErrInvalidHostPort, address)
	}
	return c.Permit(ap)
}

// isProhibited reports whether err is the SSRF policy refusing a dial.
func isProhibited(err error) bool {
	return errors.Is(err, ssrf.ErrProhibitedIP) || errors.Is(err, ssrf.ErrProhibitedPort) ||
		errors.Is(err, ssrf.ErrProhibitedNetwork) || errors.Is(err, ssrf.ErrInvalidHostPort)
}
