package postgres_test

import (
	"context"
	"crypto/rand"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// pgDump finds pg_dump next to the server binaries (newest version first,
// since pg_dump refuses a newer server), then on PATH.
func pgDump(t *testing.T) string {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	version := func(p string) int {
		v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return v
	}
	if len(bins) > 0 {
		return slices.MaxFunc(bins, func(a, b string) int { return version(a) - version(b) })
	}
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	t.Skip("pg_dump not found")
	return ""
}

// TestDB_DumpHoldsNoPlaintext dumps a database with stored secrets, as a
// backup or a stolen copy would be, and looks for the secrets in it.
func TestDB_DumpHoldsNoPlaintext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := postgres.Open(ctx, url, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))

	var plain, names []string
	for range 3 {
		s := "sEcReT-" + rand.Text()
		p := &linkhub.Profile{ConnectorID: "sophos", Name: "Profile-" + rand.Text()[:10]}
		if err := profiles.CreateProfile(ctx, linkhub.SystemActor, p, map[string]secret.Value{"client_secret": secret.New(s)}); err != nil {
			t.Fatal(err)
		}
		plain, names = append(plain, s), append(names, p.Name)
		for range 2 {
			s := "sEcReT-" + rand.Text()
			a := newAccount(p.ID)
			if err := accounts.CreateAccount(ctx, a, map[string]secret.Value{"client_secret": secret.New(s)}); err != nil {
				t.Fatal(err)
			}
			if _, err := accounts.ReplaceCredentials(ctx, a.ID, nil, nil, map[string]secret.Value{"api_key": secret.New(s + "-key")}); err != nil {
				t.Fatal(err)
			}
			plain, names = append(plain, s, s+"-key"), append(names, a.OriginOwnerID)
		}
	}

	out, err := exec.CommandContext(ctx, pgDump(t), "--no-owner", "-d", url).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	dump := string(out)
	for _, n := range names {
		if !strings.Contains(dump, n) {
			t.Fatalf("dump lacks the name %q: the dump is not of this database", n)
		}
	}
	for _, s := range plain {
		if strings.Contains(dump, s) {
			t.Errorf("dump holds the plaintext secret %q", s)
		}
	}
	if strings.Contains(dump, "sEcReT-") {
		t.Errorf("dump holds the secret prefix sEcReT-")
	}
}
