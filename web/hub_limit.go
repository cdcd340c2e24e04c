package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter hands out one token bucket per key (a hub session, an IP): n
// events per window, refilled evenly. Buckets idle for a whole window are
// full again and are dropped, so memory stays bounded by recent activity.
type limiter struct {
	mu      sync.Mutex
	n       int
	window  time.Duration
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(n int, window time.Duration) *limiter {
	return &limiter{n: n, window: window, buckets: map[string]*bucket{}, swept: time.Now()}
}

// allow takes one event for key, reporting false when its bucket is empty.
func (l *limiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.swept) > l.window {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.window {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.window/time.Duration(l.n)), l.n)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// hubLimiters cap credential tests per hub session and per client IP.
type hubLimiters struct {
	session, ip *limiter
}

func newHubLimiters(l HubLimits) *hubLimiters {
	l = l.withDefaults()
	return &hubLimiters{session: newLimiter(l.PerSession, l.Window), ip: newLimiter(l.PerIP, l.Window)}
}

// allow takes one test from both the session's and the IP's bucket.
func (h *hubLimiters) allow(sessionID, ip string) bool {
	okIP := h.ip.allow(ip)
	okSession := h.session.allow(sessionID)
	return okIP && okSession
}
