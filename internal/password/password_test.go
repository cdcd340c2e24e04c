package password_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/password"
)

func TestHasher_HashVerify(t *testing.T) {
	ctx := context.Background()
	h := password.New(2)
	phc, err := h.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("got %q, want an argon2id PHC string with m=19456,t=2,p=1", phc)
	}
	if strings.Contains(phc, "correct horse") {
		t.Fatal("hash contains the password")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		ok, err := h.Verify(ctx, pw, phc)
		if err != nil || ok != want {
			t.Errorf("Verify(%q): got %v, %v, want %v", pw, ok, err, want)
		}
	}
	other, _ := h.Hash(ctx, "correct horse battery")
	if other == phc {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestHasher_Malformed(t *testing.T) {
	h := password.New(1)
	for _, s := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA", "$argon2id$v=19$m=x$a$b"} {
		if _, err := h.Verify(context.Background(), "pw", s); err == nil {
			t.Errorf("Verify(%q): got nil error, want ErrMalformed", s)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	h := password.New(1)
	phc, _ := h.Hash(context.Background(), "pw")
	if password.NeedsRehash(phc) {
		t.Error("a current hash needs a rehash")
	}
	old := strings.Replace(phc, "m=19456,t=2", "m=8192,t=3", 1)
	if !password.NeedsRehash(old) {
		t.Error("a hash with old parameters does not need a rehash")
	}
}
