// Package password hashes admin passwords with Argon2id (OWASP's minimum:
// m=19456 KiB, t=2, p=1) into PHC strings, and bounds how many hashes run at
// once: each takes 19 MiB, so a burst of sign-ins cannot exhaust memory.
package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The parameters of every new hash. Verify reads them from the stored string,
// so raising them later keeps old hashes valid.
const (
	memoryKiB  = 19456
	iterations = 2
	threads    = 1
	saltLen    = 16
	keyLen     = 32
)

// ErrMalformed is returned by Verify for a string that is not an argon2id
// PHC hash.
var ErrMalformed = errors.New("password: malformed argon2id hash")

var b64 = base64.RawStdEncoding

// Hasher hashes and verifies passwords, at most N at a time.
type Hasher struct {
	sem   chan struct{}
	dummy string
}

// New returns a Hasher that runs at most maxConcurrent hashes at once
// (callers wait their turn, or give up when their context ends).
func New(maxConcurrent int) *Hasher {
	if maxConcurrent < 1 {
		maxConcurrent = 1
	}
	h := &Hasher{sem: make(chan struct{}, maxConcurrent)}
	// The dummy needs the real parameters (so verifying against it costs a
	// real hash) but no real key: random bytes match no password. Hashing
	// one here would cost ~90 ms and 19 MiB at every start.
	salt, key := make([]byte, saltLen), make([]byte, keyLen)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	h.dummy = encode(memoryKiB, iterations, threads, salt, key)
	return h
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC string of pw with a fresh random salt.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	key := argon2.IDKey([]byte(pw), salt, iterations, memoryKiB, threads, keyLen)
	return encode(memoryKiB, iterations, threads, salt, key), nil
}

// Verify reports whether pw matches the PHC string, comparing in constant
// time.
func (h *Hasher) Verify(ctx context.Context, pw, phc string) (bool, error) {
	m, t, p, salt, want, err := decode(phc)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want))) // #nosec G115 -- len(want) is a stored hash's length, far below 2^32
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// VerifyDummy does the work of a Verify against a hash no password matches,
// so that an unknown email takes as long as a wrong password.
func (h *Hasher) VerifyDummy(ctx context.Context, pw string) {
	_, _ = h.Verify(ctx, pw+"\x00", h.dummy)
}

// NeedsRehash reports whether a stored hash uses other parameters than new
// hashes do, so it should be replaced at the next successful sign-in.
func NeedsRehash(phc string) bool {
	m, t, p, salt, key, err := decode(phc)
	return err != nil || m != memoryKiB || t != iterations || p != threads || len(salt) != saltLen || len(key) != keyLen
}

func encode(m, t uint32, p uint8, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decode(phc string) (m, t uint32, p uint8, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return 0, 0, 0, nil, nil, ErrMalformed
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return 0, 0, 0, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 100 {
		return 0, 0, 0, nil, nil, ErrMalformed
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return 0, 0, 0, nil, nil, ErrMalformed
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return 0, 0, 0, nil, nil, ErrMalformed
	}
	return m, t, p, salt, key, nil
}
