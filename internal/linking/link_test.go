package linking_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// TestService_SubmitStoresAccount: a link stores the account of the
// session's owner with its label and metadata, the address as the test tidied
// it, the vendor's metadata and the secret sealed apart from the values; the
// attempt succeeds with a report that holds no secret, and the audit entry
// names the end user. (The service side of web's former TestHub_JamfLink.)
func TestService_SubmitStoresAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p := e.mustProfile(t, "Jamf")
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One",
		Label: "Main", Metadata: json.RawMessage(`{"plan":"pro"}`)})
	form := e.jamfForm(e.jamf.ClientSecret)
	form.Values["url"] = " " + e.jamf.URL + "/index.html "
	out, err := e.submit(t, cs, handle, p, form, "sub-1")
	if err != nil || out.Kind != linking.Linked {
		t.Fatalf("got %+v, %v, want linked", out, err)
	}
	accounts := e.allAccounts(t)
	if len(accounts) != 1 || accounts[0].ID != out.Account.ID {
		t.Fatalf("got %d accounts, want the one linked", len(accounts))
	}
	a := accounts[0]
	if a.ProfileID != p.ID || a.OriginOwnerID != "owner-1" || a.OriginOwnerName != "Owner One" || a.Label != "Main" ||
		a.Values["url"] != e.jamf.URL || a.Values["client_id"] != e.jamf.ClientID ||
		a.Metadata["jamf_version"] != e.jamf.Version || a.SessionMetadata["plan"] != "pro" {
		t.Errorf("got account %+v, want owner-1's with the tidy URL, client id, jamf_version and session metadata", a)
	}
	if _, ok := a.Values["client_secret"]; ok {
		t.Error("the secret is stored among the values")
	}

	// The secret is sealed: no row of the secrets table holds it in clear.
	if n := e.count(t, `SELECT count(*) FROM secrets WHERE owner_id = $1`, a.ID); n != 1 {
		t.Fatalf("got %d sealed secrets, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM secrets WHERE position($1::bytea in sealed) > 0`, []byte(e.jamf.ClientSecret)); n != 0 {
		t.Error("a sealed secret contains the plaintext")
	}
	got, err := e.accounts.FindAccountSecrets(ctx, a.ID)
	if err != nil || got["client_secret"].Reveal() != e.jamf.ClientSecret {
		t.Errorf("stored secret does not open to the client secret (%v)", err)
	}

	// The attempt is recorded, without the secret.
	list, err := e.attempts.FindAttempts(ctx, cs.ID)
	if err != nil || len(list) != 1 || list[0].Status != linkhub.AttemptSucceeded || list[0].AccountID != a.ID {
		t.Fatalf("got attempts %+v (%v), want one succeeded with the account", list, err)
	}
	if report, _ := json.Marshal(list[0].Report); bytes.Contains(report, []byte(e.jamf.ClientSecret)) {
		t.Error("the attempt report contains the secret")
	}
	action := linkhub.ActionAccountLinked
	entries, _, err := e.audit.FindAuditEntries(ctx, linkhub.AuditFilter{Action: &action, Limit: 10})
	if err != nil || len(entries) != 1 || entries[0].TargetID != a.ID || entries[0].Actor.Kind != "end_user" || entries[0].Actor.ID != "owner-1" {
		t.Errorf("got audit %+v (%v), want account.linked by end_user:owner-1", entries, err)
	}
}

// TestService_SubmitWrongSecret: a secret the vendor refuses fails the
// attempt at the token stage with its reason, and stores no account and no
// secret. (The service side of web's former TestHub_JamfWrongSecret.)
func TestService_SubmitWrongSecret(t *testing.T) {
	t.Parallel()
	e := mustEnv(t)
	p := e.mustProfile(t, "Jamf")
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One"})
	out, err := e.submit(t, cs, handle, p, e.jamfForm("wrong-secret-value"), "sub-1")
	if err != nil || out.Kind != linking.Failed {
		t.Fatalf("got %+v, %v, want failed", out, err)
	}
	if st, ok := out.Report.Failed(); !ok || st.Name != linkhub.StageToken || st.HTTPStatus != 401 || st.Reason != linkhub.ReasonBadCredentials {
		t.Errorf("got failed stage %+v, want token refused with 401 and %s", st, linkhub.ReasonBadCredentials)
	}
	list, err := e.attempts.FindAttempts(context.Background(), cs.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("got attempts %+v (%v), want one", list, err)
	}
	if a := list[0]; a.Status != linkhub.AttemptFailed || a.Stage != "token" || a.Reason != linkhub.ReasonBadCredentials {
		t.Errorf("got attempt %s/%s/%s, want failed/token/%s", a.Status, a.Stage, a.Reason, linkhub.ReasonBadCredentials)
	}
	if n := len(e.allAccounts(t)); n != 0 {
		t.Errorf("got %d accounts, want none", n)
	}
	if n := e.count(t, `SELECT count(*) FROM secrets`); n != 0 {
		t.Errorf("got %d stored secrets, want none", n)
	}
}

// TestService_SophosPartnerChoice: a partner credential's test holds the
// secret sealed while the user picks a tenant; the choice links the account
// to that tenant and drops the held secret, and a held attempt is used
// once. (The service side of web's former TestHub_SophosPartnerChoice.)
func TestService_SophosPartnerChoice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnvWith(t, envOptions{sophos: true})
	e.sophos.AsPartner()
	p := e.mustProfileOf(t, "sophos", "list_endpoints")
	two := 2 // the second choose below meets the used attempt, not the spent session
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One",
		Connector: "sophos", MaxLinks: &two})
	out, err := e.submit(t, cs, handle, p, e.sophosForm(), "sub-1")
	if err != nil || out.Kind != linking.Choose || len(out.Choices) != 3 || out.Choices[2].ID != "partner" {
		t.Fatalf("got %+v, %v, want 3 choices: two tenants and partner level", out, err)
	}
	if n := len(e.allAccounts(t)); n != 0 {
		t.Fatalf("got %d accounts before the choice, want none", n)
	}
	if n := e.count(t, `SELECT count(*) FROM secrets WHERE owner_kind = 'attempt'`); n != 1 {
		t.Errorf("got %d held secrets, want 1 sealed while the user chooses", n)
	}

	chosen := e.sophos.Tenants[1]
	done, err := e.svc.Choose(ctx, cs, out.AttemptID, chosen.ID, "192.0.2.1")
	if err != nil || done.Kind != linking.Linked || done.Chosen != chosen.Name {
		t.Fatalf("choose: got %+v, %v, want linked to %s", done, err, chosen.Name)
	}
	accounts := e.allAccounts(t)
	if len(accounts) != 1 || accounts[0].Metadata["tenant_id"] != chosen.ID || accounts[0].Metadata["id_type"] != "partner" {
		t.Fatalf("got %v, want one account linked to tenant %s", accounts, chosen.ID)
	}
	if s, err := e.accounts.FindAccountSecrets(ctx, accounts[0].ID); err != nil || s["client_secret"].Reveal() != e.sophos.ClientSecret {
		t.Errorf("stored secret: got %v, want the one typed", err)
	}
	if n := e.count(t, `SELECT count(*) FROM secrets WHERE owner_kind = 'attempt'`); n != 0 {
		t.Errorf("got %d held secrets after the choice, want none", n)
	}
	if _, err := e.svc.Choose(ctx, cs, out.AttemptID, chosen.ID, "192.0.2.1"); !errors.Is(err, linking.ErrChoiceGone) {
		t.Errorf("second choose: got %v, want ErrChoiceGone", err)
	}
	if n := len(e.allAccounts(t)); n != 1 {
		t.Errorf("got %d accounts after the second choose, want 1", n)
	}
}

// TestService_SophosPermissionHints: a tenant credential under a profile
// that enables List tenants fails; the report's hint tells the end user
// whom to ask, never the profile fix only an admin can make, which the
// stored attempt keeps. (The service side of web's former
// TestHub_SophosPermissionHints.)
func TestService_SophosPermissionHints(t *testing.T) {
	t.Parallel()
	e := mustEnvWith(t, envOptions{sophos: true})
	p := e.mustProfileOf(t, "sophos", "list_endpoints", "list_tenants")
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One", Connector: "sophos"})
	out, err := e.submit(t, cs, handle, p, e.sophosForm(), "sub-1")
	if err != nil || out.Kind != linking.Failed {
		t.Fatalf("got %+v, %v, want failed", out, err)
	}
	st, _ := out.Report.Failed()
	if !strings.Contains(st.Hint, "ask whoever sent you this link") || strings.Contains(st.Hint, "turn it off on the profile") {
		t.Errorf("got hint %q, want whom to ask and no admin fix", st.Hint)
	}
	list, err := e.attempts.FindAttempts(context.Background(), cs.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("got attempts %+v (%v), want one", list, err)
	}
	report, _ := json.Marshal(list[0].Report)
	if !bytes.Contains(report, []byte(`"admin_hint"`)) || !bytes.Contains(report, []byte("turn it off on the profile")) {
		t.Errorf("got attempt report %s, want the admin hint kept", report)
	}
}

// TestService_SubmitRelink: a relink session's target carries the account;
// a failed test keeps the old credentials, and a blank secret keeps the
// stored one while the relink makes a new credential version and
// reactivates the account. (The service side of web's former TestHub_Relink.)
func TestService_SubmitRelink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p := e.mustProfile(t, "Jamf")
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One"})
	first, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
	if err != nil || first.Kind != linking.Linked {
		t.Fatalf("link: got %+v, %v", first, err)
	}
	a := first.Account
	if _, err := e.accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials); err != nil {
		t.Fatal(err)
	}
	cs, handle = e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One", AccountID: a.ID})
	target, err := e.svc.Target(ctx, cs, p.ID)
	if err != nil || target.Account == nil || target.Account.ID != a.ID || target.Account.Values["url"] != e.jamf.URL {
		t.Fatalf("relink target: got %+v, %v, want the account with its URL", target, err)
	}
	check := func(what string, version int, status string) {
		t.Helper()
		got, err := e.accounts.FindAccountByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		secrets, err := e.accounts.FindAccountSecrets(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CredentialVersion != version || got.Status != status || secrets["client_secret"].Reveal() != e.jamf.ClientSecret {
			t.Errorf("%s: got version %d status %s, want %d, %s and the old secret kept", what, got.CredentialVersion, got.Status, version, status)
		}
	}

	out, err := e.submit(t, cs, handle, p, e.jamfForm("not-the-secret"), "")
	if err != nil || out.Kind != linking.Failed {
		t.Fatalf("wrong secret: got %+v, %v, want failed", out, err)
	}
	check("after the failure", 1, linkhub.AccountNeedsRelink)
	out, err = e.submit(t, cs, handle, p, e.jamfForm(""), "")
	if err != nil || out.Kind != linking.Linked || out.Account.ID != a.ID {
		t.Fatalf("blank secret: got %+v, %v, want the account relinked", out, err)
	}
	check("after the relink", 2, linkhub.AccountActive)
	if n := len(e.allAccounts(t)); n != 1 {
		t.Errorf("got %d accounts, want the one relinked", n)
	}
}

// TestService_SubmitSpendsSession: only a successful link counts towards
// a session's links: a failed test spends nothing, a session for two links
// links twice (the second, of the same server, after the duplicate
// question) and is then spent for its token, and a relink session is spent
// by its one relink. (The service side of web's former
// TestHub_LinkSpendsSession.)
func TestService_SubmitSpendsSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// start is a fresh env with a Jamf Pro profile and the token of a
	// session of owner-1 for maxLinks links.
	start := func(t *testing.T, maxLinks *int) (*env, *linkhub.Profile, string) {
		t.Helper()
		e := mustEnv(t)
		p := e.mustProfile(t, "Jamf")
		return e, p, e.mustToken(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One", MaxLinks: maxLinks})
	}

	t.Run("FailureSpendsNothing", func(t *testing.T) {
		t.Parallel()
		e, p, tok := start(t, nil)
		cs, handle := e.mustOpen(t, tok)
		if out, err := e.submit(t, cs, handle, p, e.jamfForm("wrong secret"), "sub-1"); err != nil || out.Kind != linking.Failed {
			t.Fatalf("wrong secret: got %+v, %v, want failed", out, err)
		}
		if cs, err := e.sessions.FindHubSession(ctx, handle); err != nil || cs.Spent() {
			t.Fatalf("after the failure: got %+v, %v, want the session unspent", cs, err)
		}
		if out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-2"); err != nil || out.Kind != linking.Linked {
			t.Fatalf("then the right one: got %+v, %v, want linked", out, err)
		}
		if _, _, err := e.sessions.OpenHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.ESPENT {
			t.Errorf("open after the link: got %v, want %s", err, linkhub.ESPENT)
		}
	})

	t.Run("MaxLinks", func(t *testing.T) {
		t.Parallel()
		two := 2
		e, p, tok := start(t, &two)
		cs, handle := e.mustOpen(t, tok)
		if out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), ""); err != nil || out.Kind != linking.Linked {
			t.Fatalf("link 1 of 2: got %+v, %v", out, err)
		}
		cs, handle = e.mustOpen(t, tok)
		out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
		if err != nil || out.Kind != linking.Duplicate {
			t.Fatalf("link 2 of 2: got %+v, %v, want the duplicate question", out, err)
		}
		if out, err := e.svc.Choose(ctx, cs, out.AttemptID, linking.ChoiceAnother, "192.0.2.1"); err != nil || out.Kind != linking.Linked {
			t.Fatalf("link 2 of 2, another account: got %+v, %v", out, err)
		}
		if n := len(e.allAccounts(t)); n != 2 {
			t.Errorf("got %d accounts, want 2", n)
		}
		if _, _, err := e.sessions.OpenHubSession(ctx, tok); linkhub.ErrorCode(err) != linkhub.ESPENT {
			t.Errorf("third open: got %v, want %s", err, linkhub.ESPENT)
		}
	})

	t.Run("Relink", func(t *testing.T) {
		t.Parallel()
		e, p, tok := start(t, nil)
		cs, handle := e.mustOpen(t, tok)
		first, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
		if err != nil || first.Kind != linking.Linked {
			t.Fatalf("link: got %+v, %v", first, err)
		}
		cs, handle = e.mustSession(t, linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One",
			AccountID: first.Account.ID})
		if out, err := e.submit(t, cs, handle, p, e.jamfForm(""), ""); err != nil || out.Kind != linking.Linked {
			t.Fatalf("relink: got %+v, %v", out, err)
		}
		if cs, err := e.sessions.FindHubSession(ctx, handle); err != nil || !cs.Spent() {
			t.Errorf("relink hub after the relink: got %+v, %v, want it spent", cs, err)
		}
	})
}
