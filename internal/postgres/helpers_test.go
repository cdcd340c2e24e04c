package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// MustKeyring returns a keyring of fresh keys under ids, the first active.
// keys, when not nil, receives the ID:BASE64 entries so a test can build
// another keyring around the same keys.
func MustKeyring(t testing.TB, entries map[int]string, active int, ids ...int) *secret.Keyring {
	t.Helper()
	var list []string
	for _, id := range ids {
		if _, ok := entries[id]; !ok {
			k, err := secret.GenerateKey()
			if err != nil {
				t.Fatal(err)
			}
			entries[id] = k
		}
		list = append(list, fmt.Sprintf("%d:%s", id, entries[id]))
	}
	kr, err := secret.ParseKeyring(strings.Join(list, ","), fmt.Sprint(active))
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

// MustProfile creates a profile named name with one secret.
func MustProfile(t testing.TB, profiles *postgres.ProfileService, name string, secrets map[string]secret.Value) *linkhub.Profile {
	t.Helper()
	p := &linkhub.Profile{ConnectorID: "sophos", Name: name, Enabled: true, Values: map[string]string{"region": "eu"}}
	if err := profiles.CreateProfile(context.Background(), linkhub.SystemActor, p, secrets); err != nil {
		t.Fatalf("create profile %s: %v", name, err)
	}
	return p
}

// MustAccount creates an account of profileID owned by owner.
func MustAccount(t testing.TB, accounts *postgres.AccountService, profileID, owner string, secrets map[string]secret.Value) *linkhub.Account {
	t.Helper()
	a := &linkhub.Account{ProfileID: profileID, OriginOwnerID: owner, OriginOwnerName: "Owner " + owner, Label: "label " + owner}
	if err := accounts.CreateAccount(context.Background(), a, secrets); err != nil {
		t.Fatalf("create account for %s: %v", owner, err)
	}
	return a
}

// Services returns profile and account services on a fresh database.
func Services(t testing.TB, db *postgres.DB, kr *secret.Keyring) (*postgres.ProfileService, *postgres.AccountService) {
	return postgres.NewProfileService(db, kr), postgres.NewAccountService(db, kr)
}

// newAccount returns an account of profileID with a random owner.
func newAccount(profileID string) *linkhub.Account {
	owner := "owner-" + rand.Text()[:8]
	return &linkhub.Account{ProfileID: profileID, OriginOwnerID: owner, OriginOwnerName: "Owner " + owner}
}
