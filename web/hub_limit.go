package web

import "time"

// hubLimiters cap credential tests per connect session (every hub session
// opened with one token shares its budget) and per client IP: n tests per
// window, refilled evenly. The token buckets are the admin sign-in's.
type hubLimiters struct {
	session, ip *ipLimiter
}

func newHubLimiters(l HubLimits) *hubLimiters {
	l = l.withDefaults()
	return &hubLimiters{
		session: newIPLimiter(l.Window/time.Duration(l.PerSession), l.PerSession),
		ip:      newIPLimiter(l.Window/time.Duration(l.PerIP), l.PerIP),
	}
}

// allow takes one test from both the session's and the IP's bucket.
func (h *hubLimiters) allow(sessionID, ip string) bool {
	okIP := h.ip.allow(ip)
	okSession := h.session.allow(sessionID)
	return okIP && okSession
}
