package kit

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// MaxRetryAfter is the longest Retry-After a token request waits for before
// its one retry (less when the vendor timeout is shorter): a person may be
// watching the staged test.
const MaxRetryAfter = 5 * time.Second

// RetryPause is the pause before the one retry of a transient failure that
// named no Retry-After; up to half of it again is added as jitter, so that
// replicas do not retry in step.
const RetryPause = 300 * time.Millisecond

// retryDelay is the one retry policy of token requests, the staged test's and
// the token API's alike. A request is tried once more when the vendor was
// unavailable (429, 5xx, a broken connection; not a timeout, which already
// took the whole vendor timeout): after its Retry-After when it names one
// within MaxRetryAfter and the vendor timeout, else after RetryPause. A longer
// Retry-After is not waited for; f's hint then says when to try again.
func retryDelay(ctx context.Context, f *Failure, retryAfter string, cfg Config, vendor string) (time.Duration, bool) {
	if f == nil || f.Reason != linkhub.ReasonVendorUnavailable {
		return 0, false
	}
	delay := RetryPause + rand.N(RetryPause/2+1) // #nosec G404 -- retry jitter, not a secret
	if d, ok := parseRetryAfter(retryAfter, time.Now()); ok {
		if d > min(MaxRetryAfter, cfg.RequestTimeout()) {
			f.say("busy_wait", vendor, wording(d))
			return 0, false
		}
		delay = d
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
		return 0, false
	}
	return delay, true
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date
// (RFC 9110 §10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return time.Duration(max(n, 0)) * time.Second, n >= 0
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(at.Sub(now), 0), true
}

// wording says a wait in words, in the user's language: "30 seconds",
// "2 minutes", "3 hours".
type wording time.Duration

// In implements Localizer.
func (w wording) In(tag string) string {
	switch d := time.Duration(w); {
	case d < 2*time.Minute:
		return Text(tag, "wait_seconds", int(d.Round(time.Second)/time.Second))
	case d < 2*time.Hour:
		return Text(tag, "wait_minutes", int(d.Round(time.Minute)/time.Minute))
	default:
		return Text(tag, "wait_hours", int(d.Round(time.Hour)/time.Hour))
	}
}

// sleep waits d, or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
