package kit

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// CheckAddress resolves rawURL's host and checks every address it resolves
// to against cfg's policy, so the user learns about a typo or a private
// address before any credential is sent. The dial-time check in NewClient
// still runs: DNS may answer differently a moment later.
func CheckAddress(ctx context.Context, cfg Config, rawURL string) *Failure {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return &Failure{Reason: linkhub.ReasonInvalidInput, Hint: "The address is not a valid URL."}
	}
	host := u.Hostname()
	port := uint16(443)
	if u.Scheme == "http" {
		port = 80
	}
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return &Failure{Reason: linkhub.ReasonInvalidInput, Hint: "The port in the address is not a number."}
		}
		port = uint16(n)
	}
	var addrs []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{ip}
	} else {
		ctx, cancel := context.WithTimeout(ctx, cfg.RequestTimeout())
		defer cancel()
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
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
