package linkhub

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits of the connect-session lifetime.
const (
	MinSessionLifetime = time.Minute
	MaxSessionLifetime = 30 * 24 * time.Hour
)

// Settings are the instance-wide settings an admin edits.
type Settings struct {
	// EmbedOrigins are the origins allowed to frame the hub, like
	// https://app.example.com.
	EmbedOrigins    []string
	ProductName     string
	LogoURL         string
	PrimaryColor    string // #rrggbb
	SessionLifetime time.Duration
	// DefaultLocale is the hub's language when neither the connect session
	// nor the browser names one of Locales.
	DefaultLocale string
}

// Clone returns a copy of s that shares nothing with it.
func (s *Settings) Clone() *Settings {
	c := *s
	c.EmbedOrigins = slices.Clone(s.EmbedOrigins)
	return &c
}

// DefaultSettings are the settings before an admin changes any.
func DefaultSettings() Settings {
	return Settings{ProductName: "Linkhub", PrimaryColor: "#1f5ad6", SessionLifetime: 30 * time.Minute, DefaultLocale: "en"}
}

// SettingsService reads and changes the settings.
type SettingsService interface {
	// FindSettings returns the settings, defaults filled in.
	FindSettings(ctx context.Context) (*Settings, error)
	// UpdateSettings validates and stores every setting and records the
	// change; it returns EINVALID (Field set) for the first bad value.
	UpdateSettings(ctx context.Context, actor Actor, s Settings) (*Settings, error)
}

var colorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// Validate returns one message per bad field (keys: product_name, logo_url,
// primary_color, session_lifetime, embed_origins, default_locale), or nil.
func (s *Settings) Validate() map[string]string {
	errs := map[string]string{}
	if n := strings.TrimSpace(s.ProductName); n == "" {
		errs["product_name"] = "Enter a product name."
	} else if !ValidText(n) { // PostgreSQL refuses a NUL in the jsonb it is kept in
		errs["product_name"] = "The product name holds characters that cannot be stored (a NUL byte or broken UTF-8). Type it again."
	} else if len(n) > 80 {
		errs["product_name"] = "Use at most 80 characters."
	}
	if s.LogoURL != "" {
		u, err := url.Parse(s.LogoURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(s.LogoURL) > 2000 {
			errs["logo_url"] = "Enter an https:// address, like https://example.com/logo.svg, or leave it empty."
		}
	}
	if !colorRE.MatchString(s.PrimaryColor) {
		errs["primary_color"] = "Enter a colour as #rrggbb, like #1f5ad6."
	}
	if s.SessionLifetime < MinSessionLifetime || s.SessionLifetime > MaxSessionLifetime {
		errs["session_lifetime"] = "Choose a lifetime from 60 seconds to 30 days."
	}
	if !slices.Contains(Locales, s.DefaultLocale) {
		errs["default_locale"] = "Choose one of the hub's languages."
	}
	for i, o := range s.EmbedOrigins {
		if msg := CheckEmbedOrigin(o); msg != "" {
			errs["embed_origins"] = fmt.Sprintf("Line %d: %s", i+1, msg)
			break
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// CheckEmbedOrigin returns why o is not an allowed embed origin, or "".
// An origin is scheme://host[:port]: https, or http for localhost and
// 127.0.0.1 during development; no path, query, fragment or wildcard.
func CheckEmbedOrigin(o string) string {
	if strings.Contains(o, "*") {
		return fmt.Sprintf("%q: wildcards are not allowed; list each origin.", o)
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" {
		return fmt.Sprintf("%q is not an origin like https://app.example.com.", o)
	}
	if u.User != nil {
		return fmt.Sprintf("%q: remove the user name.", o)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(o, "/") || strings.Contains(o, "#") {
		return fmt.Sprintf("%q: an origin has no path, query or fragment; use %s://%s.", o, u.Scheme, u.Host)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Sprintf("%q: the port must be from 1 to 65535.", o)
		}
	}
	host := u.Hostname()
	if host != strings.ToLower(host) || u.Scheme != strings.ToLower(u.Scheme) {
		return fmt.Sprintf("%q: write the origin in lower case.", o)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if host != "localhost" && host != "127.0.0.1" {
			return fmt.Sprintf("%q: use https (http is allowed only for localhost and 127.0.0.1).", o)
		}
	default:
		return fmt.Sprintf("%q: use https.", o)
	}
	if net.ParseIP(host) == nil && !strings.Contains(host, ".") && host != "localhost" {
		return fmt.Sprintf("%q: the host needs a domain, like app.example.com.", o)
	}
	return ""
}

// ParseEmbedOrigins reads one origin per line, skipping blank lines. It
// returns the origins and one message per bad line ("Line 2: ..."), in order.
func ParseEmbedOrigins(text string) ([]string, []string) {
	var origins, problems []string
	seen := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		o := strings.TrimSpace(line)
		if o == "" {
			continue
		}
		if msg := CheckEmbedOrigin(o); msg != "" {
			problems = append(problems, fmt.Sprintf("Line %d: %s", i+1, msg))
			continue
		}
		if seen[o] {
			continue
		}
		seen[o] = true
		origins = append(origins, o)
	}
	return origins, problems
}
