package secret_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/secret"
)

var adA = secret.AD{Table: "credentials", RowID: "0b6f6a52-row-a", Column: "client_secret"}

// allErrs lists the Open errors; each failure must match exactly one.
var allErrs = []error{secret.ErrMalformed, secret.ErrUnknownKey, secret.ErrWrongKey, secret.ErrWrongContext, secret.ErrTampered}

// MustSeal seals plaintext or fails the test.
func MustSeal(t testing.TB, kr *secret.Keyring, plaintext []byte, ad secret.AD) []byte {
	t.Helper()
	sealed, err := kr.Seal(plaintext, ad)
	if err != nil {
		t.Fatalf("Seal: got error %v, want nil", err)
	}
	return sealed
}

func randBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func TestKeyring_Seal_RoundTrip(t *testing.T) {
	kr := MustKeyring(t, "1:"+MustGenerateKey(t), "1")
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{"empty", nil},
		{"64 bytes", randBytes(t, 64)},
		{"1 MiB", randBytes(t, 1<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed := MustSeal(t, kr, tt.plaintext, adA)
			got, err := kr.Open(sealed, adA)
			if err != nil {
				t.Fatalf("Open: got error %v, want nil", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("got %d bytes, want the %d sealed", len(got), len(tt.plaintext))
			}
			if id, err := secret.KeyID(sealed); id != 1 || err != nil {
				t.Errorf("KeyID: got %d, %v, want 1, nil", id, err)
			}
		})
	}
}

func TestKeyring_SealString(t *testing.T) {
	kr := MustKeyring(t, "1:"+MustGenerateKey(t), "1")
	sealed, err := kr.SealString(secret.New("tok_123"), adA)
	if err != nil {
		t.Fatalf("SealString: got error %v, want nil", err)
	}
	v, err := kr.OpenString(sealed, adA)
	if err != nil || v.Reveal() != "tok_123" {
		t.Errorf("OpenString: got %q, %v, want %q, nil", v.Reveal(), err, "tok_123")
	}
	if _, err := kr.OpenString(sealed, secret.AD{Table: "x", Column: "y"}); !errors.Is(err, secret.ErrWrongContext) {
		t.Errorf("OpenString wrong AD: got %v, want %v", err, secret.ErrWrongContext)
	}
}

func TestKeyring_Seal_Fresh(t *testing.T) {
	kr := MustKeyring(t, "1:"+MustGenerateKey(t), "1")
	a := MustSeal(t, kr, []byte("same"), adA)
	b := MustSeal(t, kr, []byte("same"), adA)
	if bytes.Equal(a, b) {
		t.Errorf("got identical sealed values, want fresh DEK and nonces each time")
	}
}

func TestKeyring_Seal_ErrNoAD(t *testing.T) {
	kr := MustKeyring(t, "1:"+MustGenerateKey(t), "1")
	for _, ad := range []secret.AD{{}, {Table: "t"}, {Column: "c"}} {
		if _, err := kr.Seal([]byte("x"), ad); err == nil {
			t.Errorf("Seal(%+v): got nil error, want one", ad)
		}
	}
}

func TestKeyring_Open_Err(t *testing.T) {
	k1, k2 := MustGenerateKey(t), MustGenerateKey(t)
	kr := MustKeyring(t, "1:"+k1, "1")
	plaintext := []byte("PLAINTEXT-never-in-errors")
	sealed := MustSeal(t, kr, plaintext, adA)
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[(i+len(b))%len(b)] ^= 1
		return b
	}
	withVersion := func(v byte) []byte {
		b := bytes.Clone(sealed)
		b[0] = v
		return b
	}
	rowB, colB, tableB := adA, adA, adA
	rowB.RowID = "row-b"
	colB.Column = "refresh_token"
	tableB.Table = "profiles"

	tests := []struct {
		name   string
		kr     *secret.Keyring
		sealed []byte
		ad     secret.AD
		want   error
	}{
		{"tampered last byte", kr, flip(-1), adA, secret.ErrTampered},
		{"tampered body nonce", kr, flip(len(sealed) - len(plaintext) - 28), adA, secret.ErrTampered},
		{"truncated body", kr, sealed[:len(sealed)-1], adA, secret.ErrTampered},
		{"row swap", kr, sealed, rowB, secret.ErrWrongContext},
		{"column swap", kr, sealed, colB, secret.ErrWrongContext},
		{"table swap", kr, sealed, tableB, secret.ErrWrongContext},
		{"zero AD", kr, sealed, secret.AD{}, secret.ErrWrongContext},
		{"tampered wrapped DEK", kr, flip(20), adA, secret.ErrWrongContext},
		{"unknown key id", MustKeyring(t, "2:"+k2, "2"), sealed, adA, secret.ErrUnknownKey},
		{"id changed", kr, flip(4), adA, secret.ErrUnknownKey},
		{"wrong key same id", MustKeyring(t, "1:"+k2, "1"), sealed, adA, secret.ErrWrongKey},
		{"check value changed", kr, flip(5), adA, secret.ErrWrongKey},
		{"nil", kr, nil, adA, secret.ErrMalformed},
		{"header only", kr, sealed[:len(sealed)-len(plaintext)-28], adA, secret.ErrMalformed},
		{"one short", kr, sealed[:len(sealed)-len(plaintext)-1], adA, secret.ErrMalformed},
		{"version 0", kr, withVersion(0), adA, secret.ErrMalformed},
		{"version 2", kr, withVersion(2), adA, secret.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.kr.Open(tt.sealed, tt.ad)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %q, %v, want error %v", got, err, tt.want)
			}
			for _, other := range allErrs {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("got error %v that also matches %v, want only %v", err, other, tt.want)
				}
			}
			msg := err.Error()
			if strings.Contains(msg, string(plaintext)) || strings.Contains(msg, k1) || strings.Contains(msg, k2) {
				t.Errorf("got error %q, want no plaintext or key in it", msg)
			}
		})
	}
}

func TestKeyring_Open_ErrUnknownKeyNamesID(t *testing.T) {
	sealed := MustSeal(t, MustKeyring(t, "7:"+MustGenerateKey(t), "7"), []byte("x"), adA)
	_, err := MustKeyring(t, "1:"+MustGenerateKey(t), "1").Open(sealed, adA)
	if want := "secret: unknown encryption key: key id 7"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestKeyring_Open_ADAmbiguity checks that the AD parts cannot be shifted
// across a separator and still open.
func TestKeyring_Open_ADAmbiguity(t *testing.T) {
	kr := MustKeyring(t, "1:"+MustGenerateKey(t), "1")
	tests := []struct{ seal, open secret.AD }{
		{secret.AD{Table: "a|b", RowID: "c", Column: "d"}, secret.AD{Table: "a", RowID: "b|c", Column: "d"}},
		{secret.AD{Table: "t", RowID: "r|1:x", Column: "c"}, secret.AD{Table: "t", RowID: "r", Column: "x|1:c"}},
		{secret.AD{Table: "t", RowID: "", Column: "rc"}, secret.AD{Table: "t", RowID: "r", Column: "c"}},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			sealed := MustSeal(t, kr, []byte("x"), tt.seal)
			if _, err := kr.Open(sealed, tt.open); !errors.Is(err, secret.ErrWrongContext) {
				t.Errorf("got %v, want %v", err, secret.ErrWrongContext)
			}
		})
	}
}

func TestKeyID_Err(t *testing.T) {
	for _, b := range [][]byte{nil, {1, 0, 0, 0, 1}, bytes.Repeat([]byte{2}, 200)} {
		if id, err := secret.KeyID(b); !errors.Is(err, secret.ErrMalformed) {
			t.Errorf("KeyID(%d bytes): got %d, %v, want %v", len(b), id, err, secret.ErrMalformed)
		}
	}
}

func TestKeyring_Rewrap(t *testing.T) {
	k1, k2 := MustGenerateKey(t), MustGenerateKey(t)
	old := MustKeyring(t, "1:"+k1, "1")
	rotating := MustKeyring(t, fmt.Sprintf("2:%s,1:%s", k2, k1), "2")
	retired := MustKeyring(t, "2:"+k2, "2")
	plaintext := randBytes(t, 64)
	sealed := MustSeal(t, old, plaintext, adA)

	rewrapped, err := rotating.Rewrap(sealed, adA)
	if err != nil {
		t.Fatalf("Rewrap: got error %v, want nil", err)
	}
	if id, _ := secret.KeyID(rewrapped); id != 2 {
		t.Errorf("KeyID after Rewrap: got %d, want 2", id)
	}
	body := len(plaintext) + 28 // nonce | ciphertext | tag
	if len(rewrapped) != len(sealed) || !bytes.Equal(rewrapped[len(rewrapped)-body:], sealed[len(sealed)-body:]) {
		t.Errorf("got a changed ciphertext body, want only the header re-wrapped")
	}
	got, err := retired.Open(rewrapped, adA)
	if err != nil || !bytes.Equal(got, plaintext) {
		t.Errorf("Open after retiring key 1: got %d bytes, %v, want the %d sealed, nil", len(got), err, len(plaintext))
	}
	if _, err := retired.Open(sealed, adA); !errors.Is(err, secret.ErrUnknownKey) {
		t.Errorf("Open old value after retiring key 1: got %v, want %v", err, secret.ErrUnknownKey)
	}

	again, err := rotating.Rewrap(rewrapped, adA)
	if err != nil || &again[0] != &rewrapped[0] {
		t.Errorf("Rewrap under active key: got a new slice or error %v, want the input unchanged", err)
	}

	rowB := adA
	rowB.RowID = "row-b"
	tests := []struct {
		name   string
		kr     *secret.Keyring
		sealed []byte
		ad     secret.AD
		want   error
	}{
		{"wrong AD", rotating, sealed, rowB, secret.ErrWrongContext},
		{"old key gone", retired, sealed, adA, secret.ErrUnknownKey},
		{"wrong old key", MustKeyring(t, fmt.Sprintf("2:%s,1:%s", k1, k2), "2"), sealed, adA, secret.ErrWrongKey},
		{"malformed", rotating, sealed[:10], adA, secret.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.kr.Rewrap(tt.sealed, tt.ad); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestKeyring_Seal_Layout pins the stored format: changing it breaks every
// value already in the database.
func TestKeyring_Seal_Layout(t *testing.T) {
	kr := MustKeyring(t, "258:"+MustGenerateKey(t), "258")
	sealed := MustSeal(t, kr, make([]byte, 10), adA)
	// version 1 | id 4 | check 4 | wrapped DEK 12+32+16 | nonce 12 | 10 | tag 16
	if got, want := len(sealed), 1+4+4+60+12+10+16; got != want {
		t.Errorf("length: got %d, want %d", got, want)
	}
	if got, want := sealed[:5], []byte{1, 0, 0, 1, 2}; !bytes.Equal(got, want) {
		t.Errorf("version and id: got %v, want %v", got, want)
	}
}

func TestKeyring_Seal_ErrZeroKeyring(t *testing.T) {
	if _, err := new(secret.Keyring).Seal([]byte("x"), adA); err == nil {
		t.Errorf("got nil error, want one for a keyring without keys")
	}
}
