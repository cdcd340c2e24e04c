package secret_test

import (
	"testing"
)

func BenchmarkSeal64(b *testing.B) {
	kr := MustKeyring(b, "1:"+MustGenerateKey(b), "1")
	plaintext := randBytes(b, 64)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kr.Seal(plaintext, adA); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen64(b *testing.B) {
	kr := MustKeyring(b, "1:"+MustGenerateKey(b), "1")
	sealed := MustSeal(b, kr, randBytes(b, 64), adA)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kr.Open(sealed, adA); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRewrap64(b *testing.B) {
	k1, k2 := MustGenerateKey(b), MustGenerateKey(b)
	sealed := MustSeal(b, MustKeyring(b, "1:"+k1, "1"), randBytes(b, 64), adA)
	kr := MustKeyring(b, "2:"+k2+",1:"+k1, "2")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := kr.Rewrap(sealed, adA); err != nil {
			b.Fatal(err)
		}
	}
}
