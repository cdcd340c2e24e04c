package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

const msgBadLogin = "Email or password is incorrect."

// mustAdmins is the admin service on a fresh database with one admin, Ada
// (ada@example.com, "correct horse battery").
func mustAdmins(t *testing.T) (*postgres.DB, *postgres.AdminService, *linkhub.Admin) {
	t.Helper()
	db := pgtest.DB(t)
	s := postgres.NewAdminService(db, password.New(2))
	return db, s, mustCreateAdmin(t, s, "ada@example.com", "correct horse battery")
}

// mustCreateAdmin creates an admin as the system.
func mustCreateAdmin(t *testing.T, s *postgres.AdminService, email, pw string) *linkhub.Admin {
	t.Helper()
	a, err := s.CreateAdmin(context.Background(), linkhub.SystemActor, email, pw)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// auditActions returns the actions in db's audit log, oldest first.
func auditActions(t *testing.T, db *postgres.DB) []string {
	t.Helper()
	list, _, err := postgres.NewAuditService(db).FindAuditEntries(context.Background(), linkhub.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range slices.Backward(list) {
		out = append(out, e.Action)
	}
	return out
}

// TestAdminService_SetupToken: a setup token opens setup only while it is
// the one issued and unexpired; the first admin spends it and acts on
// their own behalf in the log; from then on setup is over (ENOTFOUND) and
// no token can be issued.
func TestAdminService_SetupToken(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewAdminService(db, password.New(2))
	token, err := s.IssueSetupToken(ctx)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("ErrWrongToken", func(t *testing.T) {
		for _, tok := range []string{"", "nope", token + "x"} {
			if err := s.CheckSetupToken(ctx, tok); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
				t.Errorf("token %q: got %v, want unauthorized", tok, err)
			}
		}
	})
	t.Run("ErrExpiredToken", func(t *testing.T) {
		old, err := s.IssueSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `UPDATE setup_tokens SET expires_at = now() - interval '1s'
			WHERE hash = sha256(convert_to($1, 'UTF8'))`, old); err != nil {
			t.Fatal(err)
		}
		if err := s.CheckSetupToken(ctx, old); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
			t.Errorf("expired token: got %v, want unauthorized", err)
		}
		if _, err := s.CreateFirstAdmin(ctx, old, "root@example.com", "the first admin password", "192.0.2.1"); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
			t.Errorf("setup with an expired token: got %v, want unauthorized", err)
		}
	})
	t.Run("ErrFields", func(t *testing.T) {
		for field, in := range map[string][2]string{"email": {"not-an-email", "the first admin password"}, "password": {"root@example.com", "short"}} {
			_, err := s.CreateFirstAdmin(ctx, token, in[0], in[1], "192.0.2.1")
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != field {
				t.Errorf("bad %s: got %v, want EINVALID on it", field, err)
			}
		}
		if err := s.CheckSetupToken(ctx, token); err != nil {
			t.Errorf("a refused form spent the token: %v", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		a, err := s.CreateFirstAdmin(ctx, token, "Root@Example.com", "the first admin password", "192.0.2.1")
		if err != nil || a.Email != "root@example.com" {
			t.Fatalf("got %+v, %v; want root@example.com", a, err)
		}
		list, _, err := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
		if err != nil || len(list) != 1 || list[0].Action != linkhub.ActionSetup || list[0].Actor.ID != a.ID || list[0].Actor.IP != "192.0.2.1" {
			t.Errorf("audit %+v (%v), want one admin.setup by the new admin from 192.0.2.1", list, err)
		}
	})
	t.Run("NeverAgain", func(t *testing.T) {
		if err := s.CheckSetupToken(ctx, token); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("check after setup: got %v, want not_found", err)
		}
		if _, err := s.CreateFirstAdmin(ctx, token, "evil@example.com", "another long password", ""); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("setup again: got %v, want not_found", err)
		}
		if _, err := s.IssueSetupToken(ctx); linkhub.ErrorCode(err) != linkhub.ECONFLICT {
			t.Errorf("IssueSetupToken with an admin: got %v, want conflict", err)
		}
	})
}

// TestAdminService_SignInAnswers: a wrong password, an unknown email and a
// disabled admin get one message; the fifth failure locks the email with
// a message saying for how long; sign-ins and failures are audited.
func TestAdminService_SignInAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, s, _ := mustAdmins(t)
	bob := mustCreateAdmin(t, s, "bob@example.com", "bobs long password")
	disabled := true
	if _, err := s.UpdateAdmin(ctx, linkhub.SystemActor, bob.ID, linkhub.AdminUpdate{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, "ADA@example.com", "correct horse battery", "192.0.2.1"); err != nil {
		t.Fatalf("OK: got %v", err)
	}
	for name, in := range map[string][2]string{"WrongPassword": {"ada@example.com", "wrong horse battery"},
		"UnknownEmail": {"carol@example.com", "correct horse battery"}, "Disabled": {"bob@example.com", "bobs long password"}} {
		_, _, err := s.Authenticate(ctx, in[0], in[1], "192.0.2.1")
		if linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED || linkhub.ErrorMessage(err) != msgBadLogin {
			t.Errorf("%s: got %v, want unauthorized %q", name, err, msgBadLogin)
		}
	}
	for range 4 { // one failure above already
		_, _, _ = s.Authenticate(ctx, "ada@example.com", "wrong horse battery", "192.0.2.1")
	}
	_, _, err := s.Authenticate(ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
	if linkhub.ErrorCode(err) != linkhub.ERATELIMIT || !strings.Contains(linkhub.ErrorMessage(err), "Try again in 1 minute") {
		t.Errorf("after 5 failures: got %v, want rate_limited saying 1 minute", err)
	}
	actions := auditActions(t, db)
	if !slices.Contains(actions, linkhub.ActionLogin) || !slices.Contains(actions, linkhub.ActionLoginFailed) {
		t.Errorf("audit actions %v, want admin.login and admin.login_failed", actions)
	}
}

// TestAdminService_Sessions: each sign-in starts a new session; ending one
// (sign-out) leaves the others and is audited once (ending it again is no
// error and no second entry); an unknown token is ignored.
func TestAdminService_Sessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, s, a := mustAdmins(t)
	_, first, err := s.Authenticate(ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := s.Authenticate(ctx, "ada@example.com", "correct horse battery", "192.0.2.1")
	if err != nil || second == first {
		t.Fatalf("second sign-in: got %q (%v), want a new session", second, err)
	}
	actor := linkhub.AdminActor(a, "192.0.2.1")
	if err := s.DeleteSession(ctx, actor, first); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindAdminBySession(ctx, first); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Errorf("ended session: got %v, want unauthorized", err)
	}
	if got, err := s.FindAdminBySession(ctx, second); err != nil || got.ID != a.ID {
		t.Errorf("the other session: got %v, %v; want Ada", got, err)
	}
	if err := s.DeleteSession(ctx, actor, first); err != nil {
		t.Errorf("ending it again: %v", err)
	}
	if err := s.DeleteSession(ctx, actor, "unknown"); err != nil {
		t.Errorf("unknown token: %v", err)
	}
	n := 0
	for _, act := range auditActions(t, db) {
		if act == linkhub.ActionLogout {
			n++
		}
	}
	if n != 1 {
		t.Errorf("got %d admin.logout entries, want 1", n)
	}
}

// TestAdminService_UpdateAdmin: an admin cannot disable themselves;
// disabling another ends their sessions and refuses their sign-in with the
// one message, enabling lets them in again; both are audited.
func TestAdminService_UpdateAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, s, ada := mustAdmins(t)
	bob := mustCreateAdmin(t, s, "bob@example.com", "bobs long password")
	_, bobSession, err := s.Authenticate(ctx, "bob@example.com", "bobs long password", "")
	if err != nil {
		t.Fatal(err)
	}
	actor := linkhub.AdminActor(ada, "192.0.2.1")
	on, off := true, false

	if _, err := s.UpdateAdmin(ctx, actor, ada.ID, linkhub.AdminUpdate{Disabled: &on}); linkhub.ErrorCode(err) != linkhub.EFORBIDDEN {
		t.Errorf("disabling yourself: got %v, want forbidden", err)
	}
	if a, err := s.UpdateAdmin(ctx, actor, bob.ID, linkhub.AdminUpdate{Disabled: &on}); err != nil || !a.Disabled {
		t.Fatalf("disable: got %+v, %v", a, err)
	}
	if _, err := s.FindAdminBySession(ctx, bobSession); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Errorf("a disabled admin's session: got %v, want unauthorized", err)
	}
	if _, _, err := s.Authenticate(ctx, "bob@example.com", "bobs long password", ""); linkhub.ErrorMessage(err) != msgBadLogin {
		t.Errorf("disabled admin sign-in: got %v, want %q", err, msgBadLogin)
	}
	if _, err := s.UpdateAdmin(ctx, actor, bob.ID, linkhub.AdminUpdate{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, "bob@example.com", "bobs long password", ""); err != nil {
		t.Errorf("enabled admin sign-in: %v", err)
	}
	for _, want := range []string{linkhub.ActionAdminDisabled, linkhub.ActionAdminEnabled} {
		if !slices.Contains(auditActions(t, db), want) {
			t.Errorf("no %s audit entry", want)
		}
	}
}

// TestAdminService_CreateAdmin: a short password or a bad email is refused
// on its field, a taken email as a conflict on the email; a new admin is
// listed and audited as created by the actor.
func TestAdminService_CreateAdmin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, s, ada := mustAdmins(t)
	actor := linkhub.AdminActor(ada, "192.0.2.1")
	for _, tc := range []struct{ name, email, pw, code, field string }{
		{"ErrShortPassword", "carol@example.com", "x", linkhub.EINVALID, "password"},
		{"ErrEmail", "carol", "carols long password", linkhub.EINVALID, "email"},
		{"ErrTaken", "ADA@example.com", "carols long password", linkhub.ECONFLICT, "email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateAdmin(ctx, actor, tc.email, tc.pw)
			if linkhub.ErrorCode(err) != tc.code || linkhub.ErrorField(err) != tc.field {
				t.Errorf("got %v, want %s on %s", err, tc.code, tc.field)
			}
		})
	}
	if _, err := s.CreateAdmin(ctx, actor, "carol@example.com", "carols long password"); err != nil {
		t.Fatal(err)
	}
	if list, err := s.FindAdmins(ctx); err != nil || len(list) != 2 || list[1].Email != "carol@example.com" {
		t.Errorf("got %v (%v), want Ada then Carol", list, err)
	}
	entries, _, err := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
	if err != nil || entries[0].Action != linkhub.ActionAdminCreated || entries[0].Actor.ID != ada.ID {
		t.Errorf("latest audit entry %+v (%v), want admin.created by Ada", entries[0], err)
	}
}

// TestAdminService_NoSecretsInAudit: passwords, right or wrong, also one
// typed into the email field, and a new admin's password never reach the
// audit log.
func TestAdminService_NoSecretsInAudit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, s, ada := mustAdmins(t)
	secrets := []string{"correct horse battery", "wrong horse battery", "new admins password"}
	_, _, _ = s.Authenticate(ctx, "ada@example.com", "wrong horse battery", "")
	_, _, _ = s.Authenticate(ctx, "wrong horse battery", "wrong horse battery", "")
	if _, _, err := s.Authenticate(ctx, "ada@example.com", "correct horse battery", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAdmin(ctx, linkhub.AdminActor(ada, ""), "new@example.com", "new admins password"); err != nil {
		t.Fatal(err)
	}
	var details string
	if err := db.Pool.QueryRow(ctx, `SELECT string_agg(actor_label || details::text, ' ') FROM audit_log`).Scan(&details); err != nil || details == "" {
		t.Fatalf("read audit log: %q, %v", details, err)
	}
	for _, sec := range secrets {
		if strings.Contains(details, sec) {
			t.Errorf("the audit log holds the secret %q", sec)
		}
	}
}

// TestAPIKeyService_CreateRevoke: a key reads lh_<prefix>_<secret> with
// its listed prefix; any other text does not authenticate; creating and
// revoking are audited as the actor, and a revoked key is listed as such.
func TestAPIKeyService_CreateRevoke(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _, ada := mustAdmins(t)
	s := postgres.NewAPIKeyService(db)
	actor := linkhub.AdminActor(ada, "192.0.2.1")
	k, full, err := s.CreateAPIKey(ctx, actor, "Production backend")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(full, "_")
	if len(parts) != 3 || parts[0] != "lh" || parts[1] != k.Prefix || parts[2] == "" {
		t.Fatalf("got key %q with prefix %q, want lh_<prefix>_<secret>", full, k.Prefix)
	}
	for _, bad := range []string{"", "lh_" + k.Prefix + "_wrong", full + "x", "lh_" + k.Prefix} {
		if _, err := s.AuthenticateAPIKey(ctx, bad); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
			t.Errorf("key %q: got %v, want unauthorized", bad, err)
		}
	}
	if _, err := s.RevokeAPIKey(ctx, actor, k.ID); err != nil {
		t.Fatal(err)
	}
	if list, err := s.FindAPIKeys(ctx); err != nil || len(list) != 1 || list[0].Active() {
		t.Errorf("got %v (%v), want the key listed as revoked", list, err)
	}
	entries, _, err := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
	if err != nil || len(entries) != 3 { // and Ada's creation
		t.Fatalf("got %d audit entries (%v), want 3", len(entries), err)
	}
	for i, want := range []string{linkhub.ActionAPIKeyRevoked, linkhub.ActionAPIKeyCreated} {
		if entries[i].Action != want || entries[i].Actor.ID != ada.ID || entries[i].TargetID != k.ID {
			t.Errorf("entry %d: got %+v, want %s of the key by Ada", i, entries[i], want)
		}
	}
}

// TestAuditService_FindAuditEntries: entries come newest first a page at a
// time, saying whether more follow; filters select one action and one
// actor, whose label matches in any case.
func TestAuditService_FindAuditEntries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	audit := postgres.NewAuditService(db)
	for range 60 {
		if err := audit.CreateAuditEntry(ctx, &linkhub.AuditEntry{Actor: linkhub.SystemActor, Action: linkhub.ActionLoginFailed}); err != nil {
			t.Fatal(err)
		}
	}
	ada := linkhub.Actor{Kind: "admin", ID: "a-1", Label: "ada@example.com"}
	if err := audit.CreateAuditEntry(ctx, &linkhub.AuditEntry{Actor: ada, Action: linkhub.ActionLogin}); err != nil {
		t.Fatal(err)
	}
	first, more, err := audit.FindAuditEntries(ctx, linkhub.AuditFilter{Limit: 50})
	if err != nil || len(first) != 50 || !more || first[0].Action != linkhub.ActionLogin {
		t.Fatalf("first page: %d entries, more %v (%v), want 50 newest first and more", len(first), more, err)
	}
	rest, more, err := audit.FindAuditEntries(ctx, linkhub.AuditFilter{Offset: 50, Limit: 50})
	if err != nil || len(rest) != 11 || more {
		t.Errorf("second page: %d entries, more %v (%v), want 11 and no more", len(rest), more, err)
	}
	action, actor := linkhub.ActionLogin, "ADA@example.com"
	got, _, err := audit.FindAuditEntries(ctx, linkhub.AuditFilter{Action: &action, Actor: &actor})
	if err != nil || len(got) != 1 || got[0].Actor.ID != "a-1" {
		t.Errorf("filtered: got %v (%v), want Ada's sign-in only", got, err)
	}
}
