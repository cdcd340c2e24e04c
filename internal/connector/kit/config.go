// Package kit is what every vendor connector is built from: the one SSRF-safe
// HTTP client, the address check, the OAuth 2.0 client-credentials token
// request, the staged-test recorder and the redaction of vendor answers.
//
// It lives apart from package connector because connector's registry imports
// every vendor package, and the vendor packages import this one.
package kit

import (
	"crypto/x509"
	"net/netip"
	"time"
)

// DefaultTimeout is the per-request timeout when Config.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// MaxBody is the most of a vendor's response body that is ever read. Larger
// answers are cut; no vendor call we make needs more.
const MaxBody = 1 << 20

// Config is the outbound-call policy shared by all connectors. The zero value
// is the production policy: public addresses on ports 443 and 8443 only,
// https only, the vendors' real hosts, the system's trusted CAs.
type Config struct {
	// Timeout bounds each vendor request (connect, TLS, headers and body).
	Timeout time.Duration
	// AllowPrivate lets calls reach loopback and private networks (RFC 1918,
	// fc00::/7) on any port. For development and tests only.
	AllowPrivate bool
	// AllowCIDRs lets calls reach these prefixes on any port, even when they
	// are reserved; narrower than AllowPrivate.
	AllowCIDRs []netip.Prefix
	// AllowHTTP accepts http:// for user-given addresses (Jamf). Dev and tests only.
	AllowHTTP bool
	// RootCAs, when set, replaces the system roots: linkhub serve passes the
	// system's plus LINKHUB_EXTRA_CA_FILE's, tests their fakes' certificates.
	RootCAs *x509.CertPool
	// Hosts points the vendors' fixed hosts elsewhere (fakes, staging).
	Hosts Hosts
	// Resolver looks up host names for the address check and every dial;
	// nil is the system's resolver.
	Resolver Resolver
}

// Hosts overrides the vendors' fixed base URLs. Empty fields keep the real
// hosts.
type Hosts struct {
	// Definitions overrides the hosts of connectors defined as data: by
	// connector id, "host" or "host.region" -> base URL
	// (LINKHUB_CONNECTOR_<ID>_HOSTS).
	Definitions map[string]map[string]string
}

// RequestTimeout returns the per-request timeout in force.
func (c Config) RequestTimeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}
