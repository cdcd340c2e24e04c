package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
)

// Errors returned by Open, OpenString, Rewrap and KeyID. They are distinct so
// callers and operators can tell a bug (wrong context), a configuration
// problem (unknown or wrong key) and an attack or corruption (tampered,
// malformed) apart. Match them with errors.Is.
var (
	// ErrMalformed means the bytes are not a sealed value this package can
	// read: too short, or an unknown format version.
	ErrMalformed = errors.New("secret: malformed sealed value")
	// ErrUnknownKey means the sealed value names a key id the keyring lacks.
	ErrUnknownKey = errors.New("secret: unknown encryption key")
	// ErrWrongKey means the keyring has a key under the sealed value's id but
	// it is not the key that sealed it.
	ErrWrongKey = errors.New("secret: wrong encryption key")
	// ErrWrongContext means the key is right but the data key does not open
	// under this AD: the value was sealed for another row or column (or its
	// header was altered, which GCM cannot tell apart).
	ErrWrongContext = errors.New("secret: sealed value does not belong to this row/column")
	// ErrTampered means the data key opened but the ciphertext body failed
	// authentication: it was altered.
	ErrTampered = errors.New("secret: sealed value was tampered with")
)

// Sealed value layout. The wrapped DEK has a fixed size, so every field sits
// at a fixed offset and Rewrap can swap the header without touching the body.
const (
	version     = 1
	wrappedSize = 12 + KeySize + 16 // nonce | DEK | GCM tag
	offID       = 1
	offCheck    = offID + 4
	offWrapped  = offCheck + checkSize
	headerSize  = offWrapped + wrappedSize
	bodyMinSize = 12 + 16 // nonce | tag, for an empty plaintext
)

// AD is the associated data of a sealed value: where the value lives. It is
// authenticated but not stored, so a value copied to another row or column
// fails to open there.
type AD struct {
	Table, RowID, Column string
}

// appendAD appends the AAD bytes for ad. Each part is length-prefixed so that
// no two different ADs encode alike ("a|b","c" versus "a","b|c").
func appendAD(dst []byte, ad AD) []byte {
	dst = append(dst, "linkhub/v1"...)
	for _, part := range [...]string{ad.Table, ad.RowID, ad.Column} {
		dst = append(dst, '|')
		dst = strconv.AppendInt(dst, int64(len(part)), 10)
		dst = append(dst, ':')
		dst = append(dst, part...)
	}
	return dst
}

// Seal encrypts plaintext for the place ad names: a fresh data key (DEK)
// encrypts the plaintext with AES-256-GCM, and the active KEK wraps the DEK,
// both with ad as associated data. The result is
// version | KEK id | KEK check | wrapped DEK | ciphertext.
//
// Each DEK encrypts once, so the random-nonce limit of GCM (about 2^32
// messages per key) counts only the wraps: rotate a KEK well before 2^32 seals.
func (kr *Keyring) Seal(plaintext []byte, ad AD) ([]byte, error) {
	if ad.Table == "" || ad.Column == "" {
		// An empty AD binds nothing; it is always a caller bug.
		return nil, errors.New("secret: seal: AD needs a table and a column")
	}
	k := kr.keys[kr.active]
	if k == nil {
		return nil, errors.New("secret: seal: keyring has no active key; build it with ParseKeyring")
	}
	var dek [KeySize]byte
	if _, err := rand.Read(dek[:]); err != nil {
		return nil, fmt.Errorf("secret: seal: %w", err)
	}
	body, err := dekAEAD(dek[:])
	if err != nil {
		return nil, err
	}
	var adBuf [128]byte
	aad := appendAD(adBuf[:0], ad)

	out := make([]byte, headerSize, headerSize+bodyMinSize+len(plaintext))
	out[0] = version
	binary.BigEndian.PutUint32(out[offID:], uint32(kr.active)) // #nosec G115 -- key ids are parsed as 1..2^31 in ParseKeyring
	copy(out[offCheck:], k.check[:])
	k.aead.Seal(out[:offWrapped], nil, dek[:], aad) // #nosec G407 -- NewGCMWithRandomNonce draws the nonce itself and requires nil here
	clear(dek[:])
	return body.Seal(out, nil, plaintext, aad), nil // #nosec G407 -- NewGCMWithRandomNonce draws the nonce itself and requires nil here
}

// Open decrypts a value sealed by Seal for the same ad, with any key of the
// keyring. Errors wrap ErrMalformed, ErrUnknownKey, ErrWrongKey,
// ErrWrongContext or ErrTampered; none holds key or plaintext bytes.
func (kr *Keyring) Open(sealed []byte, ad AD) ([]byte, error) {
	var adBuf [128]byte
	aad := appendAD(adBuf[:0], ad)
	body, err := kr.unwrap(sealed, aad)
	if err != nil {
		return nil, err
	}
	plaintext, err := body.Open(nil, nil, sealed[headerSize:], aad)
	if err != nil {
		return nil, ErrTampered
	}
	return plaintext, nil
}

// SealString seals the content of a secret Value.
func (kr *Keyring) SealString(v Value, ad AD) ([]byte, error) {
	return kr.Seal([]byte(v.Reveal()), ad)
}

// OpenString opens a value sealed by SealString and returns it as a Value so
// that it stays redacted in logs.
func (kr *Keyring) OpenString(sealed []byte, ad AD) (Value, error) {
	b, err := kr.Open(sealed, ad)
	if err != nil {
		return Value{}, err
	}
	return New(string(b)), nil
}

// KeyID returns the id of the KEK that wrapped a sealed value, without opening
// it: rotation uses it to find values not yet under the active key.
func KeyID(sealed []byte) (int, error) {
	if err := checkHeader(sealed); err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint32(sealed[offID:])), nil
}

// Rewrap re-wraps the data key of a sealed value under the active KEK and
// leaves the ciphertext body as it is, so rotation costs the same for any
// size of secret. A value already under the active key is returned unchanged
// and unchecked. Errors are those of Open except ErrTampered, since the body
// is not read; Open still catches a tampered body afterwards.
func (kr *Keyring) Rewrap(sealed []byte, ad AD) ([]byte, error) {
	id, err := KeyID(sealed)
	if err != nil {
		return nil, err
	}
	if id == kr.active {
		return sealed, nil
	}
	var adBuf [128]byte
	aad := appendAD(adBuf[:0], ad)
	var dek [KeySize]byte
	if err := kr.openDEK(sealed, aad, &dek); err != nil {
		return nil, err
	}
	active := kr.keys[kr.active]
	out := make([]byte, headerSize, len(sealed))
	out[0] = version
	binary.BigEndian.PutUint32(out[offID:], uint32(kr.active)) // #nosec G115 -- key ids are parsed as 1..2^31 in ParseKeyring
	copy(out[offCheck:], active.check[:])
	active.aead.Seal(out[:offWrapped], nil, dek[:], aad) // #nosec G407 -- NewGCMWithRandomNonce draws the nonce itself and requires nil here
	clear(dek[:])
	return append(out, sealed[headerSize:]...), nil
}

// checkHeader reports ErrMalformed unless sealed is long enough and of a
// version this package reads.
func checkHeader(sealed []byte) error {
	if len(sealed) < headerSize+bodyMinSize {
		return fmt.Errorf("%w: %d bytes, want at least %d", ErrMalformed, len(sealed), headerSize+bodyMinSize)
	}
	if sealed[0] != version {
		return fmt.Errorf("%w: unknown version %d", ErrMalformed, sealed[0])
	}
	return nil
}

// kekFor returns the keyring's KEK for a sealed value after checking that it
// is the very key that sealed it.
func (kr *Keyring) kekFor(sealed []byte) (*kek, error) {
	if err := checkHeader(sealed); err != nil {
		return nil, err
	}
	id := binary.BigEndian.Uint32(sealed[offID:])
	k, ok := kr.keys[int(id)]
	if !ok {
		return nil, fmt.Errorf("%w: key id %d", ErrUnknownKey, id)
	}
	if subtle.ConstantTimeCompare(k.check[:], sealed[offCheck:offWrapped]) != 1 {
		return nil, fmt.Errorf("%w: key id %d", ErrWrongKey, id)
	}
	return k, nil
}

// openDEK opens the wrapped DEK of sealed into dek.
func (kr *Keyring) openDEK(sealed, aad []byte, dek *[KeySize]byte) error {
	k, err := kr.kekFor(sealed)
	if err != nil {
		return err
	}
	// The check value already matched, so a failure here is the AAD (or an
	// altered wrapped DEK), not the key.
	if _, err := k.aead.Open(dek[:0], nil, sealed[offWrapped:headerSize], aad); err != nil {
		return ErrWrongContext
	}
	return nil
}

// unwrap opens the wrapped DEK of sealed and returns the AEAD for its body.
func (kr *Keyring) unwrap(sealed, aad []byte) (cipher.AEAD, error) {
	var dek [KeySize]byte
	if err := kr.openDEK(sealed, aad, &dek); err != nil {
		return nil, err
	}
	body, err := dekAEAD(dek[:])
	clear(dek[:])
	return body, err
}

// dekAEAD returns the AES-256-GCM AEAD with random nonces for a data key.
func dekAEAD(dek []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(dek)
	if err != nil {
		return nil, fmt.Errorf("secret: new cipher: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("secret: new gcm: %w", err)
	}
	return aead, nil
}
