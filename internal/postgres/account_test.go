package postgres_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestAccountService_Create(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)

	t.Run("OK", func(t *testing.T) {
		a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "cust-1", OriginOwnerName: "Customer",
			Values: map[string]string{"url": "https://x"}, SessionMetadata: map[string]any{"plan": "gold"}}
		if err := accounts.CreateAccount(ctx, a, map[string]secret.Value{"client_secret": secret.New("s")}); err != nil {
			t.Fatal(err)
		}
		got, err := accounts.FindAccountByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ConnectorID != "sophos" || got.Status != linkhub.AccountActive || got.CredentialVersion != 1 ||
			got.Values["url"] != "https://x" || got.SessionMetadata["plan"] != "gold" {
			t.Errorf("got %+v, want the profile's connector, active, version 1 and the stored values", got)
		}
	})
	t.Run("ErrProfileNotFound", func(t *testing.T) {
		a := &linkhub.Account{ProfileID: "00000000-0000-0000-0000-000000000000", OriginOwnerID: "x"}
		if err := accounts.CreateAccount(ctx, a, nil); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("got %v, want %s", err, linkhub.ENOTFOUND)
		}
	})
	t.Run("ErrConnectorMismatch", func(t *testing.T) {
		a := &linkhub.Account{ProfileID: p.ID, ConnectorID: "jamf", OriginOwnerID: "mismatch"}
		if err := accounts.CreateAccount(ctx, a, nil); linkhub.ErrorCode(err) != linkhub.EINVALID {
			t.Errorf("got %v, want %s", err, linkhub.EINVALID)
		}
		if list, _, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{OriginOwnerID: &a.OriginOwnerID}); err != nil || len(list) != 0 {
			t.Errorf("got %d accounts (%v), want none stored", len(list), err)
		}
	})
	t.Run("ErrOwnerRequired", func(t *testing.T) {
		a := &linkhub.Account{ProfileID: p.ID}
		if err := accounts.CreateAccount(ctx, a, nil); linkhub.ErrorCode(err) != linkhub.EINVALID {
			t.Errorf("got %v, want %s", err, linkhub.EINVALID)
		}
	})
}

func TestAccountService_ReplaceCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	a := MustAccount(t, accounts, p.ID, "o1", map[string]secret.Value{
		"client_secret": secret.New("old"), "api_key": secret.New("keep"),
	})

	got, err := accounts.ReplaceCredentials(ctx, a.ID, map[string]string{"client_id": "new-id"},
		map[string]string{"tenant": "t1"}, map[string]secret.Value{"client_secret": secret.New("new"), "api_key": {}})
	if err != nil {
		t.Fatal(err)
	}
	if got.CredentialVersion != 2 || got.Values["client_id"] != "new-id" || got.Metadata["tenant"] != "t1" {
		t.Errorf("got version %d values %v metadata %v, want 2 and the new maps", got.CredentialVersion, got.Values, got.Metadata)
	}
	s, err := accounts.FindAccountSecrets(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s["client_secret"].Reveal() != "new" || s["api_key"].Reveal() != "keep" {
		t.Errorf("got %q, %q, want new, keep", s["client_secret"].Reveal(), s["api_key"].Reveal())
	}
	if _, err := accounts.ReplaceCredentials(ctx, "00000000-0000-0000-0000-000000000000", nil, nil, nil); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("missing: got %v, want %s", err, linkhub.ENOTFOUND)
	}
}

func TestAccountService_StatusAndDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	a := MustAccount(t, accounts, p.ID, "o1", map[string]secret.Value{"client_secret": secret.New("s")})

	got, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != linkhub.AccountNeedsRelink || got.StatusReason != linkhub.ReasonBadCredentials {
		t.Errorf("got %s/%s, want needs_relink/bad_credentials", got.Status, got.StatusReason)
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, "sleeping", ""); linkhub.ErrorCode(err) != linkhub.EINVALID {
		t.Errorf("bad status: got %v, want %s", err, linkhub.EINVALID)
	}
	if err := accounts.DeleteAccount(ctx, linkhub.SystemActor, a.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM secrets WHERE owner_id = $1`, a.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("got %d secrets left (%v), want 0", n, err)
	}
	if err := accounts.DeleteAccount(ctx, linkhub.SystemActor, a.ID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("second delete: got %v, want %s", err, linkhub.ENOTFOUND)
	}
}

func TestAccountService_FindAccounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	other := MustProfile(t, profiles, "Other", nil)
	want := map[string]bool{}
	for i := range 25 {
		a := MustAccount(t, accounts, p.ID, fmt.Sprintf("owner-%02d", i), nil)
		want[a.ID] = true
	}
	b := MustAccount(t, accounts, other.ID, "Special_100%", nil)
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, b.ID, linkhub.AccountError, "timeout"); err != nil {
		t.Fatal(err)
	}

	t.Run("Pages", func(t *testing.T) {
		seen := map[string]bool{}
		cursor, pages := "", 0
		for {
			page, next, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{ProfileID: &p.ID, Cursor: cursor, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for i, a := range page {
				if seen[a.ID] {
					t.Fatalf("account %s on two pages", a.ID)
				}
				seen[a.ID] = true
				if i > 0 && page[i-1].CreatedAt.Before(a.CreatedAt) {
					t.Errorf("page %d not newest first", pages)
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
		if pages != 3 || len(seen) != len(want) {
			t.Errorf("got %d pages and %d accounts, want 3 and %d", pages, len(seen), len(want))
		}
	})
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		filter linkhub.AccountFilter
		want   int
	}{
		{"All", linkhub.AccountFilter{Limit: 100}, 26},
		{"Owner", linkhub.AccountFilter{OriginOwnerID: str("owner-07")}, 1},
		{"Status", linkhub.AccountFilter{Status: str(linkhub.AccountError)}, 1},
		{"Connector", linkhub.AccountFilter{ConnectorID: str("jamf")}, 0},
		{"ID", linkhub.AccountFilter{ID: &b.ID}, 1},
		{"BadID", linkhub.AccountFilter{ID: str("x")}, 0},
		{"SearchName", linkhub.AccountFilter{Search: str("OWNER OWNER-1")}, 10},
		{"SearchLabel", linkhub.AccountFilter{Search: str("label owner-2")}, 5},
		{"SearchLiteral", linkhub.AccountFilter{Search: str("_100%")}, 1},
		{"SearchWildcardNotSpecial", linkhub.AccountFilter{Search: str("owner_0")}, 0},
		// Text no account can hold, as a query parameter may carry it.
		{"SearchNUL", linkhub.AccountFilter{Search: str("\x00")}, 0},
		{"OwnerInvalidUTF8", linkhub.AccountFilter{OriginOwnerID: str("\xff")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := accounts.FindAccounts(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("got %d accounts, want %d", len(got), tt.want)
			}
		})
	}
	t.Run("ErrBadCursor", func(t *testing.T) {
		for _, c := range []string{"!!", "bm9wZQ", "MTIzOm5vdC1hLXV1aWQ"} {
			_, _, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{Cursor: c})
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorMessage(err) != "The cursor is not valid." {
				t.Errorf("cursor %q: got %v, want EINVALID \"The cursor is not valid.\"", c, err)
			}
		}
	})
}

// TestAccountService_ListMatchesGet: the list scans rows by position, so it
// must give every field exactly as the lookup by id (which scans by name).
func TestAccountService_ListMatchesGet(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Partner", nil)
	now := time.Now()
	a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "cust-1", OriginOwnerName: "Customer", OriginUsername: "jane",
		Label: "main", Values: map[string]string{"url": "https://x"}, Metadata: map[string]string{"tenant": "t1"},
		SessionMetadata: map[string]any{"plan": "gold"}, LastTestedAt: &now}
	if err := accounts.CreateAccount(ctx, a, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountError, linkhub.ReasonTimeout); err != nil {
		t.Fatal(err)
	}
	got, err := accounts.FindAccountByID(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{OriginOwnerID: &a.OriginOwnerID})
	if err != nil || len(list) != 1 {
		t.Fatalf("got %v, %v", list, err)
	}
	if !reflect.DeepEqual(list[0], got) {
		t.Errorf("list: %+v\nget:  %+v", list[0], got)
	}
}
