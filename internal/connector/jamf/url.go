package jamf

import (
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// hostnameRE matches a DNS name: dot-separated labels of letters, digits and
// inner hyphens.
var hostnameRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

// NormalizeURL turns what a user pastes as their Jamf Pro address into
// https://host[:port]: it accepts a bare host, surrounding spaces, upper case,
// a trailing slash or a page path (/index.html) and a port (8443 on
// premises), and drops :443, the path, the query and the fragment. It refuses
// http:// unless allowHTTP, user names and passwords in the address, and
// anything without a usable host. IP addresses pass here; the address stage
// decides whether they may be called. Errors are *linkhub.Error for FieldURL.
func NormalizeURL(raw string, allowHTTP bool) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fieldErr("Enter your Jamf Pro address, for example https://yourcompany.jamfcloud.com.")
	}
	if strings.ContainsAny(s, " \t\r\n\\") {
		return "", fieldErr("The address must not contain spaces or backslashes.")
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fieldErr("This is not a valid web address. Copy it from your browser's address bar while signed in to Jamf Pro.")
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "http" && !allowHTTP:
		return "", fieldErr("Use https:// — Linkhub does not send credentials over unencrypted http://.")
	case scheme != "https" && scheme != "http":
		return "", fieldErr("The address must start with https://.")
	case u.User != nil:
		return "", fieldErr("Remove the user name or password from the address; the API client ID and secret go in their own fields.")
	case u.Opaque != "":
		return "", fieldErr("This is not a valid web address. Copy it from your browser's address bar while signed in to Jamf Pro.")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fieldErr("The address has no server name. Enter it like yourcompany.jamfcloud.com.")
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return "", fieldErr("IPv6 zone identifiers are not supported in the address.")
		}
		host = ip.String()
	} else if !hostnameRE.MatchString(host) || len(host) > 253 {
		return "", fieldErr("The server name may contain only letters, digits, hyphens and dots.")
	} else if !strings.Contains(host, ".") && host != "localhost" {
		return "", fieldErr("Enter the full server name, for example " + host + ".jamfcloud.com.")
	}
	port := u.Port()
	if port == "" && strings.HasSuffix(u.Host, ":") {
		return "", fieldErr("The port after the colon is missing.")
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fieldErr("The port must be a number from 1 to 65535.")
		}
		port = strconv.Itoa(n) // drops leading zeros
		if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
			port = ""
		}
	}
	if port != "" {
		return scheme + "://" + net.JoinHostPort(host, port), nil
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	return scheme + "://" + host, nil
}

func fieldErr(msg string) error { return linkhub.FieldError(FieldURL, msg) }
