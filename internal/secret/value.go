// Package secret holds secrets in memory and at rest: the Value type that never
// prints its content, and envelope encryption (AES-256-GCM data keys wrapped by
// a keyring of key-encryption keys) for what is stored.
package secret

import (
	"fmt"
	"log/slog"
)

const redacted = "[redacted]"

// Value is a secret in memory. Every way of printing, logging or marshalling it
// yields "[redacted]"; only Reveal gives the content, so each use is explicit.
type Value struct{ s string }

// New wraps s as a secret.
func New(s string) Value { return Value{s: s} }

// Reveal returns the secret's content. Call it only where the secret leaves
// the process on purpose: the vendor request, the encryption call.
func (v Value) Reveal() string { return v.s }

// IsZero reports whether the secret is empty.
func (v Value) IsZero() bool { return v.s == "" }

// String implements fmt.Stringer.
func (v Value) String() string { return redacted }

// GoString implements fmt.GoStringer so %#v does not print the content.
func (v Value) GoString() string { return redacted }

// Format implements fmt.Formatter so every verb prints "[redacted]".
func (v Value) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON implements json.Marshaler.
func (v Value) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler.
func (v Value) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue implements slog.LogValuer.
func (v Value) LogValue() slog.Value { return slog.StringValue(redacted) }

// Mask returns what a page may show of a stored secret: bullets and at most the
// last 4 characters, and only when the secret is long enough (>= 12) that those
// 4 characters do not give much of it away.
func (v Value) Mask() string {
	r := []rune(v.s)
	switch {
	case len(r) == 0:
		return ""
	case len(r) < 12:
		return "••••••••"
	default:
		return "••••••••" + string(r[len(r)-4:])
	}
}
