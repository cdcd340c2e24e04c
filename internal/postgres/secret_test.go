package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestSecretStore_RoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", map[string]secret.Value{"client_secret": secret.New("profile-secret-123456")})
	a := MustAccount(t, accounts, p.ID, "owner-1", map[string]secret.Value{
		"client_secret": secret.New("account-secret"), "api_key": secret.New("k"), "blank": {},
	})

	got, err := accounts.FindAccountSecrets(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"client_secret": "account-secret", "api_key": "k"}
	if len(got) != len(want) {
		t.Fatalf("got %d secrets, want %d (a zero value is not stored)", len(got), len(want))
	}
	for k, v := range want {
		if got[k].Reveal() != v {
			t.Errorf("secret %s: got %q, want %q", k, got[k].Reveal(), v)
		}
	}
	ps, err := profiles.FindProfileSecrets(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ps["client_secret"].Reveal(), "profile-secret-123456"; got != want {
		t.Errorf("profile secret: got %q, want %q", got, want)
	}
	if got, want := p.SecretMasks["client_secret"], "••••••••3456"; got != want {
		t.Errorf("mask: got %q, want %q", got, want)
	}
	// At rest: ciphertext under the active key id, no plaintext.
	var kek int
	var sealed []byte
	if err := db.Pool.QueryRow(ctx, `SELECT kek_id, sealed FROM secrets WHERE owner_id = $1 AND name = 'client_secret'`, a.ID).Scan(&kek, &sealed); err != nil {
		t.Fatal(err)
	}
	if kek != 1 || strings.Contains(string(sealed), "account-secret") {
		t.Errorf("got kek_id %d and sealed containing the plaintext=%v, want 1 and false", kek, strings.Contains(string(sealed), "account-secret"))
	}
}

func TestSecretStore_CopiedCiphertext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	victim := MustAccount(t, accounts, p.ID, "victim", map[string]secret.Value{"client_secret": secret.New("victim-secret")})
	attacker := MustAccount(t, accounts, p.ID, "attacker", map[string]secret.Value{"client_secret": secret.New("attacker-secret")})

	// Someone with write access to the table copies the victim's ciphertext
	// into their own row, hoping to read it through their account.
	if _, err := db.Pool.Exec(ctx, `UPDATE secrets SET sealed = (SELECT sealed FROM secrets WHERE owner_id = $1)
		WHERE owner_id = $2`, victim.ID, attacker.ID); err != nil {
		t.Fatal(err)
	}
	got, err := accounts.FindAccountSecrets(ctx, attacker.ID)
	if !errors.Is(err, secret.ErrWrongContext) {
		t.Fatalf("got %v, %v, want secret.ErrWrongContext", got, err)
	}
	if code := linkhub.ErrorCode(err); code != linkhub.EINTERNAL {
		t.Errorf("got code %s, want %s", code, linkhub.EINTERNAL)
	}
	if msg := err.Error(); strings.Contains(msg, "victim-secret") || strings.Contains(msg, "attacker-secret") {
		t.Errorf("error %q holds secret content", msg)
	}
	if got, err := accounts.FindAccountSecrets(ctx, victim.ID); err != nil || got["client_secret"].Reveal() != "victim-secret" {
		t.Errorf("victim: got %v, want its own secret back", err)
	}
}
