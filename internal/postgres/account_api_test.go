package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestAccountService_FindAccountsOddFilters: the filters the host API passes
// on as the caller sent them combine, newest first, and a value no account
// can hold (not a UUID, a NUL, invalid UTF-8) finds nothing rather than
// failing. (Moved from the web test of GET /api/v1/accounts.)
func TestAccountService_FindAccountsOddFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	var o1 []string
	for _, owner := range []string{"o1", "o2", "o1"} {
		a := MustAccount(t, accounts, p.ID, owner, nil)
		if owner == "o1" {
			o1 = append([]string{a.ID}, o1...) // newest first
		}
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, o1[0], linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials); err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	for name, tt := range map[string]struct {
		filter linkhub.AccountFilter
		want   []string
	}{
		"Owner":            {linkhub.AccountFilter{OriginOwnerID: str("o1")}, o1},
		"OwnerAndStatus":   {linkhub.AccountFilter{OriginOwnerID: str("o1"), Status: str(linkhub.AccountActive)}, o1[1:]},
		"OwnerAndRelink":   {linkhub.AccountFilter{OriginOwnerID: str("o1"), Status: str(linkhub.AccountNeedsRelink)}, o1[:1]},
		"Nobody":           {linkhub.AccountFilter{OriginOwnerID: str("nobody")}, nil},
		"ProfileNotAUUID":  {linkhub.AccountFilter{ProfileID: str("not-a-uuid")}, nil},
		"OwnerNUL":         {linkhub.AccountFilter{OriginOwnerID: str("o\x00")}, nil},
		"OwnerInvalidUTF8": {linkhub.AccountFilter{OriginOwnerID: str("o\xff")}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			list, next, err := accounts.FindAccounts(ctx, tt.filter)
			var got []string
			for _, a := range list {
				got = append(got, a.ID)
			}
			if err != nil || next != "" || !slices.Equal(got, tt.want) {
				t.Errorf("got %v (next %q, %v), want %v", got, next, err, tt.want)
			}
		})
	}
	t.Run("FilteredPages", func(t *testing.T) {
		page, next, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{OriginOwnerID: str("o1"), Limit: 1})
		if err != nil || next == "" {
			t.Fatalf("first page: got %v, next %q, %v", page, next, err)
		}
		rest, last, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{OriginOwnerID: str("o1"), Limit: 1, Cursor: next})
		if err != nil || last != "" || len(page) != 1 || len(rest) != 1 || page[0].ID != o1[0] || rest[0].ID != o1[1] {
			t.Errorf("got %v then %v (next %q, %v), want %v", page, rest, last, err, o1)
		}
	})
	for _, id := range []string{"not-a-uuid", "';--", "00000000-0000-4000-8000-000000000000"} {
		if _, err := accounts.FindAccountByID(ctx, id); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("FindAccountByID(%q): got %v, want %s", id, err, linkhub.ENOTFOUND)
		}
	}
}

// TestAccountService_AuditByAPIKey: disabling, enabling and deleting an
// account as a host's API key writes one audit entry each, naming the key
// and the account's owner. (Moved from the web test of the host API's
// account changes.)
func TestAccountService_AuditByAPIKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	audit := postgres.NewAuditService(db)
	key := linkhub.Actor{Kind: "api_key", ID: "5a0c1d1e-0000-4000-8000-00000000000b", Label: "host", IP: "192.0.2.9"}
	p := MustProfile(t, profiles, "Partner", nil)
	a := MustAccount(t, accounts, p.ID, "owner-1", nil)
	other := MustAccount(t, accounts, p.ID, "owner-2", nil)

	if _, err := accounts.SetAccountStatus(ctx, key, a.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetAccountStatus(ctx, key, a.ID, linkhub.AccountActive, ""); err != nil {
		t.Fatal(err)
	}
	if err := accounts.DeleteAccount(ctx, key, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.FindAccountByID(ctx, other.ID); err != nil {
		t.Errorf("the other account: %v", err)
	}
	entries, _, err := audit.FindAuditEntries(ctx, linkhub.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range entries {
		if en.TargetID != a.ID {
			continue
		}
		got = append(got, en.Action)
		if en.Actor.Kind != "api_key" || en.Actor.ID != key.ID || en.Actor.Label != "host" || en.Details["owner"] != "owner-1" {
			t.Errorf("audit %s: got actor %+v details %v, want the API key and the owner", en.Action, en.Actor, en.Details)
		}
	}
	want := []string{linkhub.ActionAccountDeleted, linkhub.ActionAccountEnabled, linkhub.ActionAccountDisabled} // newest first
	if !slices.Equal(got, want) {
		t.Errorf("audit: got %v, want %v", got, want)
	}
}
