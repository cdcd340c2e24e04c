package kit

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// NewClient returns the one HTTP client every connector uses for outbound
// calls. It checks the resolved IP of every dial against cfg's policy, never
// uses a proxy (the proxy's IP would be checked instead of the vendor's),
// never follows redirects (a token request must not be bounced elsewhere with
// the secret, and a vendor API that redirects is answering unexpectedly), caps
// response bodies at MaxBody and times out each request after cfg.Timeout.
func NewClient(cfg Config) *http.Client {
	hc := NewUncappedClient(cfg)
	// The timeout moves into the transport as a context deadline: around a
	// RoundTripper it does not know, http.Client enforces Timeout with two
	// goroutines per request (a timer and a legacy cancel), thousands of
	// stacks with a thousand links in flight.
	hc.Transport = cappedTransport{base: hc.Transport, timeout: hc.Timeout}
	hc.Timeout = 0
	return hc
}

// NewUncappedClient is NewClient without the body cap, for the host API's
// proxy: it passes on answers larger than MaxBody and must tell a too-large
// answer from a complete one, so it caps the body itself.
func NewUncappedClient(cfg Config) *http.Client {
	timeout := cfg.RequestTimeout()
	dialer := &net.Dialer{Timeout: timeout, Control: cfg.control}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           cfg.dialContext(dialer),
		TLSClientConfig:       &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ForceAttemptHTTP2:     true,
		// Many accounts share a vendor host (Sophos's id.sophos.com, a
		// NinjaOne region): keep enough connections open that a burst of
		// tests does not pay a TLS handshake per call.
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// cappedTransport limits every response body to MaxBody bytes so a hostile
// or broken server cannot make us buffer gigabytes, and bounds each request,
// body included, by timeout.
type cappedTransport struct {
	base    http.RoundTripper
	timeout time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t cappedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(r.Context(), t.timeout)
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cappedBody{Reader: io.LimitReader(resp.Body, MaxBody), body: resp.Body, cancel: cancel}
	return resp, nil
}

// cappedBody ends its request's deadline when closed.
type cappedBody struct {
	io.Reader
	body   io.Closer
	cancel context.CancelFunc
}

func (b cappedBody) Close() error {
	err := b.body.Close()
	b.cancel()
	return err
}

// dialContext resolves the host with cfg's resolver and dials its addresses
// in turn; the dialer's Control hook judges each one before it connects.
func (c Config) dialContext(d *net.Dialer) func(ctx context.Context, network, address string) (net.Conn, error) {
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(address)
		if err != nil {
			return nil, err
		}
		if _, err := netip.ParseAddr(host); err == nil {
			return d.DialContext(ctx, network, address)
		}
		addrs, err := c.resolver().LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
		}
		var first error
		for _, a := range addrs {
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(a.Unmap().String(), port))
			if err == nil {
				return conn, nil
			}
			if first == nil {
				first = err
			}
		}
		return nil, first
	}
}
