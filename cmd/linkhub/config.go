package main

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
)

// configError is a bad setting; main exits with status 2 for it.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

func configErrorf(format string, args ...any) error {
	return &configError{msg: fmt.Sprintf(format, args...)}
}

// Config is everything `linkhub serve` can be told.
type Config struct {
	Host string
	Port int
	// ListenFD is an inherited listening socket served instead of Host and
	// Port; 0 is off.
	ListenFD        int
	BaseURL         string
	DatabaseURL     string
	DataDir         string
	DBMaxConns      int
	LogFormat       string
	LogLevel        string
	TrustedProxies  []netip.Prefix
	ShutdownTimeout time.Duration
	// PprofAddr is the loopback address of the profiling listener; "" is off.
	PprofAddr    string
	MaxBodyBytes int64
	// EncryptionKeys and EncryptionActiveKey are secret.ParseKeyring's
	// input; they are never printed.
	EncryptionKeys      string
	EncryptionActiveKey string
	// Outbound calls to vendors.
	AllowPrivateNetworks bool
	VendorTimeout        time.Duration
	// VendorRootCAs is the system's CAs plus LINKHUB_EXTRA_CA_FILE's; nil
	// means the system's alone.
	VendorRootCAs *x509.CertPool
	SessionKeys   [][]byte // hash/block pairs, newest first
	// TokenCacheSize is how many vendor access tokens are kept in memory.
	TokenCacheSize int
	// HealthInterval is how often each account is re-tested; 0 turns the
	// scheduler off.
	HealthInterval time.Duration
	// Definitions are the connectors loaded from LINKHUB_CONNECTORS_DIR.
	Definitions []*definition.Definition
	// ConnectorHosts are the LINKHUB_CONNECTOR_<ID>_HOSTS overrides by
	// connector id.
	ConnectorHosts map[string]map[string]string
}

// option is one setting: its environment variable, its flag and how to parse
// it. The README's configuration table lists exactly these.
type option struct {
	env, flag, def, usage string
	set                   func(c *Config, v string) error
}

var options = []option{
	{"LINKHUB_HOST", "host", "localhost", "interface to listen on (0.0.0.0 for all)",
		func(c *Config, v string) error { c.Host = v; return nil }},
	{"LINKHUB_PORT", "port", "8080", "TCP port to listen on (1-65535)",
		func(c *Config, v string) (err error) { c.Port, err = intIn(v, 1, 65535); return }},
	{"LINKHUB_LISTEN_FD", "listen-fd", "", "file descriptor (3 and up) of an open listening TCP socket to serve on instead of host and port, handed over by a supervisor or a test; empty = off",
		func(c *Config, v string) (err error) {
			if v != "" {
				c.ListenFD, err = intIn(v, 3, 1<<20)
			}
			return
		}},
	{"LINKHUB_BASE_URL", "base-url", "", "public URL of Linkhub, used in hub links (default http://localhost:PORT)",
		func(c *Config, v string) error { c.BaseURL = v; return checkBaseURL(v) }},
	{"LINKHUB_DATABASE_URL", "database-url", "", "PostgreSQL URL; empty starts a private cluster in the data folder",
		func(c *Config, v string) error { c.DatabaseURL = v; return nil }},
	{"LINKHUB_DATA_DIR", "data-dir", ".linkhub", "folder for the embedded database (pgdata/) and generated keys",
		func(c *Config, v string) error { c.DataDir = v; return nonEmpty(v) }},
	{"LINKHUB_DB_MAX_CONNS", "db-max-conns", "10", "most database connections this process opens (1-1000)",
		func(c *Config, v string) (err error) { c.DBMaxConns, err = intIn(v, 1, 1000); return }},
	{"LINKHUB_LOG_FORMAT", "log-format", "auto", "auto (text on a terminal, JSON otherwise), text or json",
		func(c *Config, v string) error { c.LogFormat = v; return oneOf(v, "auto", "text", "json") }},
	{"LINKHUB_LOG_LEVEL", "log-level", "info", "debug, info, warn or error",
		func(c *Config, v string) error { c.LogLevel = v; return oneOf(v, "debug", "info", "warn", "error") }},
	{"LINKHUB_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated CIDRs whose X-Forwarded-For is believed",
		func(c *Config, v string) (err error) { c.TrustedProxies, err = prefixes(v); return }},
	{"LINKHUB_PPROF_ADDR", "pprof-addr", "", "loopback address (e.g. 127.0.0.1:6060) of a Go profiling listener (/debug/pprof/) for diagnosing CPU and memory; empty = off",
		func(c *Config, v string) (err error) { c.PprofAddr, err = loopbackAddr(v); return }},
	{"LINKHUB_SHUTDOWN_TIMEOUT", "shutdown-timeout", "15s", "how long in-flight requests may run on shutdown (1s-10m)",
		func(c *Config, v string) (err error) {
			c.ShutdownTimeout, err = durationIn(v, time.Second, 10*time.Minute)
			return
		}},
	{"LINKHUB_MAX_BODY_BYTES", "max-body-bytes", "1048576", "largest request body accepted (1024-104857600)",
		func(c *Config, v string) error {
			n, err := intIn(v, 1024, 100<<20)
			c.MaxBodyBytes = int64(n)
			return err
		}},
	{"LINKHUB_ENCRYPTION_KEYS", "encryption-keys", "", "keys that encrypt stored secrets, ID:BASE64[,ID:BASE64...] (see linkhub keys generate); empty with the embedded database uses DATA_DIR/keys.env",
		func(c *Config, v string) error { c.EncryptionKeys = v; return nil }},
	{"LINKHUB_ENCRYPTION_ACTIVE_KEY", "encryption-active-key", "", "id of the key that encrypts new secrets (default the highest id in LINKHUB_ENCRYPTION_KEYS)",
		func(c *Config, v string) error {
			c.EncryptionActiveKey = v
			if v == "" {
				return nil
			}
			_, err := intIn(v, 1, math.MaxInt32)
			return err
		}},
	{"LINKHUB_ALLOW_PRIVATE_NETWORKS", "allow-private-networks", "false", "let vendor calls reach loopback and private networks on any port (development and tests only; logged loudly)",
		func(c *Config, v string) (err error) { c.AllowPrivateNetworks, err = boolean(v); return }},
	{"LINKHUB_VENDOR_TIMEOUT", "vendor-timeout", "10s", "timeout of each request to a vendor (1s-2m)",
		func(c *Config, v string) (err error) {
			c.VendorTimeout, err = durationIn(v, time.Second, 2*time.Minute)
			return
		}},
	{"LINKHUB_TOKEN_CACHE_SIZE", "token-cache-size", "10000", "vendor access tokens kept in memory, least recently used dropped first (100-1000000)",
		func(c *Config, v string) (err error) { c.TokenCacheSize, err = intIn(v, 100, 1000000); return }},
	{"LINKHUB_EXTRA_CA_FILE", "extra-ca-file", "", "PEM file of CA certificates trusted for vendor calls besides the system's (e.g. a TLS-inspecting proxy's)",
		func(c *Config, v string) (err error) { c.VendorRootCAs, err = extraCAs(v); return }},
	{"LINKHUB_HEALTH_INTERVAL", "health-interval", "6h", "how often each linked account is re-tested against its vendor (0 = never, else 1m-720h; jittered ±10 %)",
		func(c *Config, v string) (err error) {
			// "0s" and "0m" mean off as much as "0" does.
			if d, perr := time.ParseDuration(v); v == "0" || perr == nil && d == 0 {
				c.HealthInterval = 0
				return nil
			}
			if c.HealthInterval, err = durationIn(v, time.Minute, 720*time.Hour); err != nil {
				return fmt.Errorf("%w, or 0 to turn the re-tests off", err)
			}
			return nil
		}},
	{"LINKHUB_CONNECTORS_DIR", "connectors-dir", "", "folder of connector definitions (*.yaml) loaded at start besides the built-in ones; LINKHUB_CONNECTOR_<ID>_HOSTS points a defined connector's hosts elsewhere",
		func(c *Config, v string) (err error) { c.Definitions, err = loadDefinitions(v); return }},
	{"LINKHUB_SESSION_KEYS", "session-keys", "", "admin cookie keys: comma-separated base64 of 64 random bytes each, newest first (generated in the data folder when empty with the embedded database)",
		func(c *Config, v string) (err error) { c.SessionKeys, err = sessionKeys(v); return }},
}

// parseConfig reads the environment, then the flags (flags win). Every error
// names the variable and what it allows.
// extra adds a command's own flags.
func parseConfig(name string, args []string, getenv func(string) string, out io.Writer, extra ...func(*flag.FlagSet)) (*Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	for _, f := range extra {
		f(fs)
	}
	values := map[string]*string{}
	for _, o := range options {
		values[o.env] = fs.String(o.flag, "", o.usage+" ["+o.env+"]")
	}
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: linkhub %s [flags]\n\nFlags (each also an environment variable):\n", name)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, configErrorf("%v", err)
	}
	if fs.NArg() > 0 {
		return nil, configErrorf("unexpected argument %q (see linkhub %s --help)", fs.Arg(0), name)
	}
	cfg := &Config{}
	for _, o := range options {
		v, src := o.def, o.env
		if e := getenv(o.env); e != "" {
			v = e
		}
		if f := *values[o.env]; f != "" {
			v, src = f, "--"+o.flag
		}
		if err := o.set(cfg, strings.TrimSpace(v)); err != nil {
			return nil, configErrorf("%s: %v", src, err)
		}
	}
	var err error
	if cfg.ConnectorHosts, err = connectorHosts(getenv, cfg.Definitions); err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = fmt.Sprintf("http://localhost:%d", cfg.Port)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return cfg, nil
}

func intIn(v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%q is not a whole number from %d to %d", v, lo, hi)
	}
	return n, nil
}

// loopbackAddr checks a host:port whose host is a loopback IP or
// "localhost": profiles show what is in memory, so they are never served to
// the network.
func loopbackAddr(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return "", fmt.Errorf("want host:port, like 127.0.0.1:6060")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("port %q is not a number from 0 (any free port) to 65535", port)
	}
	if ip, err := netip.ParseAddr(host); host != "localhost" && (err != nil || !ip.IsLoopback()) {
		return "", fmt.Errorf("host %q is not a loopback address (127.0.0.1, ::1 or localhost)", host)
	}
	return v, nil
}

func durationIn(v string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%q is not a duration from %s to %s (e.g. 15s, 2m)", v, lo, hi)
	}
	return d, nil
}

func oneOf(v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
}

func nonEmpty(v string) error {
	if v == "" {
		return errors.New("must not be empty")
	}
	return nil
}

func checkBaseURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return fmt.Errorf("%q is not an http(s) URL like https://linkhub.example.com", v)
	}
	return nil
}

func prefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			if a, err := netip.ParseAddr(s); err == nil {
				out = append(out, netip.PrefixFrom(a, a.BitLen()))
				continue
			}
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address or CIDR like 10.0.0.0/8", s)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func boolean(v string) (bool, error) {
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

func optionalHTTPURL(v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" {
		return fmt.Errorf("%q is not an http(s) URL like https://id.sophos.com", v)
	}
	return nil
}

// httpsOnly says why a vendor's fixed host may not be plain http: the
// outbound client speaks only https to vendors, so every link would fail.
const httpsOnly = "Linkhub calls vendors over https only, so every link would fail; give the https:// URL"

// optionalHTTPSURL is optionalHTTPURL for a vendor host, which must be https.
func optionalHTTPSURL(v string) error {
	if err := optionalHTTPURL(v); err != nil {
		return err
	}
	if v != "" && !strings.EqualFold(v[:5], "https") {
		return fmt.Errorf("%q is plain http: %s", v, httpsOnly)
	}
	return nil
}

// sessionKeys parses LINKHUB_SESSION_KEYS: each key is 64 random bytes in
// base64, split into a 32-byte signing key and a 32-byte encryption key.
func sessionKeys(v string) ([][]byte, error) {
	var out [][]byte
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			b, err = base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
		}
		if err != nil || len(b) != 64 {
			return nil, errors.New("each key must be 64 random bytes in base64 (make one with: openssl rand -base64 64 | tr -d '\\n')")
		}
		out = append(out, b[:32], b[32:])
	}
	return out, nil
}

// extraCAs returns the system's CA pool with the certificates of the PEM file
// at path added, or nil (the system's alone) when path is empty. A file
// without a single certificate is an error, so a wrong path or a key file
// given by mistake is caught at start rather than at the first vendor call.
func extraCAs(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path) // #nosec G304 -- LINKHUB_EXTRA_CA_FILE, named by the operator
	if err != nil {
		return nil, fmt.Errorf("cannot read %q: %v", path, errors.Unwrap(err))
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	n := 0
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%q: certificate %d is not valid: %v", path, n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%q holds no PEM certificate (-----BEGIN CERTIFICATE-----)", path)
	}
	return pool, nil
}
