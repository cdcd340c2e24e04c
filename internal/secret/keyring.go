package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// KeySize is the size in bytes of every key: key-encryption keys and data keys
// are both AES-256 keys.
const KeySize = 32

// checkSize is how many bytes of the KEK check value a sealed value carries:
// enough to tell keys apart by accident (1 in 2^32), too few to help an attacker.
const checkSize = 4

// Keyring holds the key-encryption keys (KEKs), each under a small positive
// integer id, and which of them is active for new seals. Older keys stay to
// open what they sealed until rotation re-wraps it. A Keyring is immutable and
// safe for concurrent use.
type Keyring struct {
	keys   map[int]*kek
	active int
}

// kek keeps what sealing needs of a key, not the key bytes: the AEAD is built
// once here because rebuilding it per call doubles the cost of Seal and Open.
type kek struct {
	aead  cipher.AEAD
	check [checkSize]byte
}

func newKEK(key []byte) (*kek, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: new cipher: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("secret: new gcm: %w", err)
	}
	k := &kek{aead: aead}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("linkhub-kek-check"))
	copy(k.check[:], mac.Sum(nil))
	return k, nil
}

// ParseKeyring parses keys in the LINKHUB_ENCRYPTION_KEYS format, a comma
// separated list of ID:BASE64 entries such as "2:q83v...=,1:U3Rh...=" where
// BASE64 is standard base64 of 32 bytes, and active, the id of the key that
// seals new values (LINKHUB_ENCRYPTION_ACTIVE_KEY). Spaces around entries and
// their parts are ignored. Errors name the entry and the problem but never
// show key material.
func ParseKeyring(keys, active string) (*Keyring, error) {
	if strings.TrimSpace(keys) == "" {
		return nil, fmt.Errorf("secret: encryption key list is empty, want ID:BASE64[,ID:BASE64...]")
	}
	kr := &Keyring{keys: make(map[int]*kek)}
	for i, entry := range strings.Split(keys, ",") {
		n := i + 1 // operators count entries from 1
		idStr, b64, ok := strings.Cut(strings.TrimSpace(entry), ":")
		if !ok {
			return nil, fmt.Errorf("secret: encryption key entry %d is not in ID:BASE64 form", n)
		}
		id, err := parseID(idStr)
		if err != nil {
			return nil, fmt.Errorf("secret: encryption key entry %d: %w", n, err)
		}
		if _, dup := kr.keys[id]; dup {
			return nil, fmt.Errorf("secret: encryption key id %d appears more than once", id)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			// The decoder's error quotes the offending input: leave it out.
			return nil, fmt.Errorf("secret: encryption key %d is not valid standard base64", id)
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("secret: encryption key %d is %d bytes after base64 decoding, want %d", id, len(key), KeySize)
		}
		k, err := newKEK(key)
		clear(key)
		if err != nil {
			return nil, err
		}
		kr.keys[id] = k
	}
	id, err := parseID(active)
	if err != nil {
		return nil, fmt.Errorf("secret: active encryption key: %w", err)
	}
	if _, ok := kr.keys[id]; !ok {
		return nil, fmt.Errorf("secret: active encryption key id %d is not in the key list (ids %v)", id, kr.IDs())
	}
	kr.active = id
	return kr, nil
}

// parseID parses a key id: a positive integer that fits the uint32 of the
// sealed header.
func parseID(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("key id is empty, want a positive integer")
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 || n > math.MaxInt32 {
		return 0, fmt.Errorf("key id %q is not a positive integer", s)
	}
	return int(n), nil
}

// GenerateKey returns a new random key as standard base64 of 32 bytes, ready
// to be listed as ID:KEY in LINKHUB_ENCRYPTION_KEYS.
func GenerateKey() (string, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("secret: generate key: %w", err)
	}
	return base64.StdEncoding.EncodeToString(key), nil
}

// ActiveID returns the id of the key that seals new values.
func (kr *Keyring) ActiveID() int { return kr.active }

// Has reports whether the keyring holds a key with this id.
func (kr *Keyring) Has(id int) bool {
	_, ok := kr.keys[id]
	return ok
}

// IDs returns the ids of all keys, highest first.
func (kr *Keyring) IDs() []int {
	ids := make([]int, 0, len(kr.keys))
	for id := range kr.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids
}

// String describes the keyring by its ids only, so that printing or logging
// it never dumps the expanded keys held inside.
func (kr *Keyring) String() string {
	return fmt.Sprintf("secret.Keyring{active: %d, ids: %v}", kr.active, kr.IDs())
}

// GoString implements fmt.GoStringer for the same reason as String.
func (kr *Keyring) GoString() string { return kr.String() }
