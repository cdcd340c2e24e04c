package postgres_test

import (
	"context"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestAccountService_LinkAccount: a hub link writes the account, its
// secret, the succeeded attempt and the audit entry together, or none of
// them.
func TestAccountService_LinkAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	attempts := postgres.NewAttemptService(db, kr)
	p := MustProfile(t, profiles, "Partner", nil)
	actor := linkhub.Actor{Kind: "end_user", ID: "cust-1", Label: "Customer", IP: "192.0.2.1"}
	report := linkhub.AttemptReport{Stages: []linkhub.AttemptStage{{Name: "Sign-in", Status: "passed"}}}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	t.Run("OK", func(t *testing.T) {
		at := &linkhub.Attempt{ProfileID: p.ID}
		if err := attempts.CreateAttempt(ctx, at); err != nil {
			t.Fatal(err)
		}
		a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "cust-1", OriginOwnerName: "Customer"}
		if err := accounts.LinkAccount(ctx, a, map[string]secret.Value{"client_secret": secret.New("s")},
			linkhub.LinkAttempt{ID: at.ID, Report: report, Actor: actor}); err != nil {
			t.Fatal(err)
		}
		if got := count(`SELECT count(*) FROM attempts WHERE id = $1 AND status = 'succeeded' AND account_id = $2`, at.ID, a.ID); got != 1 {
			t.Errorf("attempt not marked succeeded with the account")
		}
		if got := count(`SELECT count(*) FROM audit_log WHERE action = 'account.linked' AND target_id = $1
			AND actor_kind = 'end_user' AND actor_id = 'cust-1' AND details->>'attempt_id' = $2`, a.ID, at.ID); got != 1 {
			t.Errorf("got %d audit entries of the link, want 1", got)
		}
		if got := count(`SELECT count(*) FROM webhook_events WHERE type = 'account.created' AND order_key = $1`, a.ID); got != 1 {
			t.Errorf("got %d account.created events, want 1", got)
		}
	})
	t.Run("AttemptGoneStoresNothing", func(t *testing.T) {
		a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "cust-2", OriginOwnerName: "Customer"}
		err := accounts.LinkAccount(ctx, a, map[string]secret.Value{"client_secret": secret.New("s")},
			linkhub.LinkAttempt{ID: "00000000-0000-0000-0000-000000000000", Report: report, Actor: actor})
		if linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Fatalf("got %v, want %s", err, linkhub.ENOTFOUND)
		}
		if got := count(`SELECT count(*) FROM accounts WHERE origin_owner_id = 'cust-2'`); got != 0 {
			t.Errorf("an account was stored without its attempt")
		}
		if got := count(`SELECT count(*) FROM secrets s WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.owner_id)
			AND owner_kind = 'account'`); got != 0 {
			t.Errorf("%d secrets stored without their account", got)
		}
	})
	t.Run("Relink", func(t *testing.T) {
		a := MustAccount(t, accounts, p.ID, "cust-3", map[string]secret.Value{"client_secret": secret.New("old")})
		if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountNeedsRelink, linkhub.ReasonInvalidInput); err != nil {
			t.Fatal(err)
		}
		at := &linkhub.Attempt{ProfileID: p.ID, AccountID: a.ID, Kind: linkhub.AttemptRelink}
		if err := attempts.CreateAttempt(ctx, at); err != nil {
			t.Fatal(err)
		}
		got, err := accounts.RelinkAccount(ctx, a.ID, nil, nil, map[string]secret.Value{"client_secret": secret.New("new")},
			linkhub.LinkAttempt{ID: at.ID, Report: report, Actor: actor})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != linkhub.AccountActive || got.CredentialVersion != 2 {
			t.Errorf("got status %s version %d, want active and 2", got.Status, got.CredentialVersion)
		}
		if n := count(`SELECT count(*) FROM audit_log WHERE action = 'account.relinked' AND target_id = $1`, a.ID); n != 1 {
			t.Errorf("got %d relink audit entries, want 1", n)
		}

		// A relink whose attempt is gone keeps the old secret and status.
		_, err = accounts.RelinkAccount(ctx, a.ID, nil, nil, map[string]secret.Value{"client_secret": secret.New("newer")},
			linkhub.LinkAttempt{ID: "00000000-0000-0000-0000-000000000000", Report: report, Actor: actor})
		if linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Fatalf("got %v, want %s", err, linkhub.ENOTFOUND)
		}
		s, err := accounts.FindAccountSecrets(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s["client_secret"].Reveal() != "new" {
			t.Error("a failed relink changed the stored secret")
		}
	})
}
