package secret_test

import (
	"errors"
	"testing"

	"github.com/linkhub/linkhub/internal/secret"
)

// fuzzKey is a fixed test key (bytes 0..31) so that the committed seeds in
// testdata/fuzz/FuzzOpen are real sealed values that open, and the fuzzer
// starts from deep inside the format.
const fuzzKey = "7:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

var fuzzAD = secret.AD{Table: "credentials", RowID: "row-1", Column: "client_secret"}

// FuzzOpen checks that the sealed-value parser never panics and that every
// failure is exactly one of the package's errors.
func FuzzOpen(f *testing.F) {
	kr := MustKeyring(f, fuzzKey, "7")
	other := MustKeyring(f, "8:"+MustGenerateKey(f)+","+fuzzKey, "8")
	f.Add(MustSeal(f, kr, []byte("hello"), fuzzAD))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, sealed []byte) {
		_, _ = secret.KeyID(sealed)
		_, _ = other.Rewrap(sealed, fuzzAD)
		_, err := kr.Open(sealed, fuzzAD)
		if err == nil {
			return
		}
		n := 0
		for _, e := range allErrs {
			if errors.Is(err, e) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("got error %v matching %d package errors, want 1", err, n)
		}
	})
}
