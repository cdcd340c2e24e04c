package engine

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/kit"
)

// hostnameRE matches a DNS name: dot-separated labels of letters, digits and
// inner hyphens.
var hostnameRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// urlMessages are kit's texts (by id) of the generic words for each
// problem of a pasted address, in every hub language; a field's
// url.messages replace them one by one.
var urlMessages = map[string]string{
	"empty":        "url_example",
	"spaces":       "url_spaces",
	"invalid":      "url_example",
	"http":         "address_not_https",
	"scheme":       "address_not_https",
	"user":         "address_has_user",
	"no_host":      "url_example",
	"name":         "name_chars",
	"single_label": "url_single_label", // %s the name typed
	"ip_zone":      "address_ipv6_zone",
	"port_missing": "url_port_missing",
	"port":         "address_bad_port",
	"ports":        "url_only_port", // %s the ports allowed
}

// normaliseURL reads a pasted address in any usual form (acme.okta.com,
// https://acme-admin.okta.com/admin/dashboard, jss.example.org:8443/index.html,
// upper case, a trailing dot) as https://host[:port]: the path, query and
// fragment go, a default port is dropped. It refuses user names and
// passwords, anything without a usable host name, and http:// unless the
// deployment allows it (development and tests). A port other than the
// rule's passes only for addresses the deployment's policy opens on every
// port (development and tests: the fakes' loopback). The second result is
// the message for the user in the language tag, "" when the address is
// fine; own are the field's url.messages in that language, by check.
func normaliseURL(raw string, rule *definition.URLRule, cfg kit.Config, tag string, own map[string]string) (string, string) {
	msg := func(check string, arg ...any) (string, string) {
		if m := own[check]; m != "" {
			return "", strings.NewReplacer("{ports}", joinInts(tag, portsOf(rule)), "{host}", fmt.Sprint(arg...)).Replace(m)
		}
		if check == "ports" {
			arg = []any{joinInts(tag, portsOf(rule))}
		}
		return "", kit.Text(tag, urlMessages[check], arg...)
	}
	s := strings.TrimSpace(raw)
	if s == "" {
		return msg("empty")
	}
	if strings.ContainsAny(s, " \t\r\n\\") {
		return msg("spaces")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return msg("invalid")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "http" && !cfg.AllowHTTP:
		return msg("http")
	case scheme != "https" && scheme != "http":
		return msg("scheme")
	case u.User != nil:
		return msg("user")
	case u.Opaque != "":
		return msg("invalid")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return msg("no_host")
	}
	ip, ipErr := netip.ParseAddr(host)
	switch {
	case ipErr == nil && ip.Zone() != "":
		return msg("ip_zone")
	case ipErr == nil:
		host = ip.String()
	case !hostnameRE.MatchString(host) || len(host) > 253:
		return msg("name")
	case !strings.Contains(host, ".") && host != "localhost":
		return msg("single_label", host)
	default:
		if rule.StripSuffix != "" {
			first, rest, _ := strings.Cut(host, ".")
			host = strings.TrimSuffix(strings.TrimSuffix(first, rule.StripSuffix)+"."+rest, ".")
		}
	}
	port := u.Port()
	if port == "" && strings.HasSuffix(u.Host, ":") {
		return msg("port_missing")
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return msg("port")
		}
		port = strconv.Itoa(n) // drops leading zeros
		if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
			port = ""
		} else if !rule.AnyPort && !slices.Contains(portsOf(rule), n) && !openOnEveryPort(host, cfg) {
			return msg("ports")
		}
	}
	if port != "" {
		return scheme + "://" + net.JoinHostPort(host, port), ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	return scheme + "://" + host, ""
}

// openOnEveryPort reports whether the deployment's policy lets calls reach
// host on any port: an IP address (or localhost) in a range opened for
// development and tests.
func openOnEveryPort(host string, cfg kit.Config) bool {
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && (cfg.AllowPrivate || len(cfg.AllowCIDRs) > 0) && cfg.Permit(netip.AddrPortFrom(ip, 1)) == nil
}

func portsOf(rule *definition.URLRule) []int {
	if len(rule.Ports) == 0 {
		return []int{443}
	}
	return rule.Ports
}

// joinInts words a list of ports in the language tag: "443 or 8443".
func joinInts(tag string, ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return kit.JoinOr(tag, s)
}
