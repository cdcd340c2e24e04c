// Package webhook signs and delivers Linkhub's webhook events: a worker
// claims due deliveries from the outbox the postgres package writes, posts
// each event signed to its endpoint through the SSRF-safe client, and
// retries with exponential back-off and jitter.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery.
const (
	HeaderEventID   = "Linkhub-Event-Id"
	HeaderEventType = "Linkhub-Event-Type"
	HeaderTimestamp = "Linkhub-Timestamp"
	HeaderSignature = "Linkhub-Signature"
	HeaderAttempt   = "Linkhub-Delivery-Attempt"
)

// Sign returns the Linkhub-Signature value for body sent at timestamp (Unix
// seconds): "v1=" and the hex HMAC-SHA256, keyed with the whole signing
// secret, of the timestamp, a dot and the body.
func Sign(secret string, timestamp int64, body []byte) string {
	return "v1=" + hex.EncodeToString(mac(secret, strconv.FormatInt(timestamp, 10), body))
}

func mac(secret, timestamp string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// Errors of Verify.
var (
	ErrNoSignature = errors.New("webhook: no v1 signature")
	ErrBadSig      = errors.New("webhook: signature does not match")
	ErrStale       = errors.New("webhook: timestamp outside the tolerance")
)

// Verify checks a delivery the way a receiver should: the timestamp header
// within tolerance of now (replay protection), and one of the signature
// header's comma-separated v1 values matching, compared in constant time.
// It is the reference for the snippets in docs/webhooks.md.
func Verify(secret, timestamp, signature string, body []byte, tolerance time.Duration, now time.Time) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return ErrStale
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	want := mac(secret, timestamp, body)
	found := false
	for _, part := range strings.Split(signature, ",") {
		v, ok := strings.CutPrefix(strings.TrimSpace(part), "v1=")
		if !ok {
			continue
		}
		found = true
		if got, err := hex.DecodeString(v); err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	if !found {
		return ErrNoSignature
	}
	return ErrBadSig
}
