package linking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

func TestService_Submit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e := mustEnv(t)
		p, cs, handle := e.mustStart(t)
		out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
		if err != nil || out.Kind != linking.Linked {
			t.Fatalf("got %+v, %v, want linked", out, err)
		}
		if out.Account.OriginOwnerID != "org-1" || out.Account.Values["url"] != e.jamf.URL || !out.Report.OK() {
			t.Errorf("got account %+v, want org-1's at %s", out.Account, e.jamf.URL)
		}
		secrets, err := e.accounts.FindAccountSecrets(ctx, out.Account.ID)
		if err != nil || secrets["client_secret"].Reveal() != e.jamf.ClientSecret {
			t.Errorf("stored secret: got %v, want the one typed", err)
		}
		// The session is spent: the retry of the same submission (its
		// answer lost) finds the account; another submission does not link.
		cs, err = e.sessions.FindHubSession(ctx, handle)
		if err != nil {
			t.Fatal(err)
		}
		again, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
		if err != nil || again.Kind != linking.Linked || again.Account.ID != out.Account.ID || again.Stored == nil {
			t.Fatalf("retry: got %+v, %v, want the first outcome", again, err)
		}
		if _, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-2"); !errors.Is(err, linking.ErrLinkUsed) {
			t.Errorf("another submission: got %v, want ErrLinkUsed", err)
		}
		if n := len(e.allAccounts(t)); n != 1 {
			t.Errorf("got %d accounts, want 1", n)
		}
	})

	t.Run("ErrInvalidInput", func(t *testing.T) {
		t.Parallel()
		e := mustEnv(t)
		p, cs, handle := e.mustStart(t)
		form := e.jamfForm("")
		form.Values["client_id"] = ""
		out, err := e.submit(t, cs, handle, p, form, "sub-1")
		if err != nil || out.Kind != linking.Invalid || !out.FieldRules || out.FieldErrors["client_id"] == "" || out.FieldErrors["client_secret"] == "" {
			t.Fatalf("got %+v, %v, want errors on client_id and client_secret", out, err)
		}
		if list, err := e.attempts.FindAttempts(ctx, cs.ID); err != nil || len(list) != 0 {
			t.Errorf("got %d attempts (%v), want none", len(list), err)
		}
		if n := len(e.jamf.Requests()); n != 0 {
			t.Errorf("the vendor got %d requests, want none", n)
		}
	})

	// The connector's own check (Jamf's address) words its message; only the
	// fields' rules are the caller's to word in the user's language.
	t.Run("ErrConnectorCheck", func(t *testing.T) {
		t.Parallel()
		e := mustEnv(t)
		p, cs, handle := e.mustStart(t)
		form := e.jamfForm(e.jamf.ClientSecret)
		form.Values["url"] = "ftp://jamf.example"
		out, err := e.submit(t, cs, handle, p, form, "sub-1")
		if err != nil || out.Kind != linking.Invalid || out.FieldRules || out.FieldErrors["url"] == "" {
			t.Fatalf("got %+v, %v, want the connector's error on url", out, err)
		}
	})

	t.Run("ErrLimited", func(t *testing.T) {
		t.Parallel()
		e := mustEnv(t)
		p, cs, handle := e.mustStart(t)
		target, err := e.svc.Target(ctx, cs, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.svc.Submit(ctx, linking.Submission{Session: cs, Handle: handle, Target: target,
			Form: e.jamfForm(e.jamf.ClientSecret), Allow: func() bool { return false }})
		if err != nil || out.Kind != linking.Limited {
			t.Fatalf("got %+v, %v, want limited", out, err)
		}
		if n := len(e.jamf.Requests()); n != 0 {
			t.Errorf("the vendor got %d requests, want none", n)
		}
	})

	t.Run("ErrVendorRefused", func(t *testing.T) {
		t.Parallel()
		e := mustEnv(t)
		p, cs, handle := e.mustStart(t)
		out, err := e.submit(t, cs, handle, p, e.jamfForm("wrong-secret-value"), "sub-1")
		if err != nil || out.Kind != linking.Failed || out.Report.OK() {
			t.Fatalf("got %+v, %v, want failed", out, err)
		}
		list, err := e.attempts.FindAttempts(ctx, cs.ID)
		if err != nil || len(list) != 1 || list[0].Status != linkhub.AttemptFailed {
			t.Errorf("got attempts %+v (%v), want one failed", list, err)
		}
		if n := len(e.allAccounts(t)); n != 0 {
			t.Errorf("got %d accounts, want none", n)
		}
	})

	t.Run("ErrFormOutdated", func(t *testing.T) {
		t.Parallel()
		e := mustEnv(t)
		p, cs, handle := e.mustStart(t)
		if _, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "a b"); !errors.Is(err, linking.ErrFormOutdated) {
			t.Errorf("got %v, want ErrFormOutdated", err)
		}
	})
}

// A second link of the same Jamf Pro server by the same owner asks first;
// "replace" puts the new credentials on the old account.
func TestService_Duplicate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p := e.mustProfile(t, "Jamf")
	req := linking.SessionRequest{OriginOwnerID: "org-1", OriginOwnerName: "Org 1"}
	cs, handle := e.mustSession(t, req)
	first, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
	if err != nil || first.Kind != linking.Linked {
		t.Fatalf("first link: got %+v, %v", first, err)
	}
	cs, handle = e.mustSession(t, req)
	out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
	if err != nil || out.Kind != linking.Duplicate || out.Account.ID != first.Account.ID || out.Identity != e.jamf.URL {
		t.Fatalf("got %+v, %v, want a duplicate of %s", out, err, first.Account.ID)
	}
	if _, err := e.svc.Choose(ctx, cs, out.AttemptID, "nonsense", "192.0.2.1"); !errors.Is(err, linking.ErrChoiceInvalid) {
		t.Fatalf("unknown choice: got %v, want ErrChoiceInvalid", err)
	}
	// The unknown choice ended the attempt: ask again.
	if _, err := e.svc.Choose(ctx, cs, out.AttemptID, linking.ChoiceReplace, "192.0.2.1"); !errors.Is(err, linking.ErrChoiceGone) {
		t.Fatalf("after an unknown choice: got %v, want ErrChoiceGone", err)
	}
	out, err = e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
	if err != nil || out.Kind != linking.Duplicate {
		t.Fatalf("again: got %+v, %v, want a duplicate", out, err)
	}
	done, err := e.svc.Choose(ctx, cs, out.AttemptID, linking.ChoiceReplace, "192.0.2.1")
	if err != nil || done.Account.ID != first.Account.ID || done.Account.CredentialVersion != first.Account.CredentialVersion+1 {
		t.Fatalf("replace: got %+v, %v, want the first account with new credentials", done, err)
	}
	if _, ok := done.Account.Metadata["duplicate_of"]; ok {
		t.Errorf("the marker reached the stored metadata: %v", done.Account.Metadata)
	}
	if n := len(e.allAccounts(t)); n != 1 {
		t.Errorf("got %d accounts, want 1", n)
	}
}

// A session may use only its own profiles.
func TestService_Target(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p, other := e.mustProfile(t, "Jamf"), e.mustProfile(t, "Jamf EU")
	cs, _ := e.mustSession(t, linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O", ProfileIDs: []string{p.ID}})
	if _, err := e.svc.Target(ctx, cs, other.ID); !errors.Is(err, linking.ErrNotAllowed) {
		t.Errorf("other profile: got %v, want ErrNotAllowed", err)
	}
	target, err := e.svc.Target(ctx, cs, p.ID)
	if err != nil || target.Profile.ID != p.ID || target.CanGoBack || len(target.FormFields()) != 3 {
		t.Errorf("own profile: got %+v, %v", target, err)
	}
}
