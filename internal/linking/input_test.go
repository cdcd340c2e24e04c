package linking_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
)

// Input the user must fix comes back Invalid, naming each field at fault,
// without a vendor call, an attempt or a test taken from the limits; the
// next well-formed submission still links.
func TestService_Submit_InputErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p, cs, handle := e.mustStart(t)
	sophos := &linkhub.Profile{ConnectorID: "sophos", Name: "Sophos", Enabled: true}
	if err := e.profiles.CreateProfile(ctx, linkhub.SystemActor, sophos, nil); err != nil {
		t.Fatal(err)
	}
	allowed := 0
	submit := func(p *linkhub.Profile, form linking.Form) *linking.Outcome {
		t.Helper()
		target, err := e.svc.Target(ctx, cs, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.svc.Submit(ctx, linking.Submission{Session: cs, Handle: handle, Target: target, Form: form,
			IP: "192.0.2.1", Allow: func() bool { allowed++; return allowed == 1 }})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("ErrEmpty", func(t *testing.T) {
		form := linking.Form{Values: map[string]string{"url": "", "client_id": "  "},
			Secrets: map[string]secret.Value{"client_secret": secret.New("")}}
		out := submit(p, form)
		if out.Kind != linking.Invalid || !out.FieldRules || len(out.FieldErrors) != 3 ||
			out.FieldErrors["url"] == "" || out.FieldErrors["client_id"] == "" || out.FieldErrors["client_secret"] == "" {
			t.Errorf("got %+v, want the fields' rules on url, client_id and client_secret", out)
		}
	})
	t.Run("ErrNotUUID", func(t *testing.T) {
		out := submit(sophos, linking.Form{Values: map[string]string{"client_id": "nope"},
			Secrets: map[string]secret.Value{"client_secret": secret.New("x")}})
		if out.Kind != linking.Invalid || !out.FieldRules || out.FieldErrors["client_id"] == "" {
			t.Errorf("got %+v, want the fields' rules on client_id", out)
		}
	})
	t.Run("ErrUserInAddress", func(t *testing.T) {
		form := e.jamfForm("x")
		form.Values["url"] = "https://admin:pw@acme.jamfcloud.com"
		out := submit(p, form)
		if out.Kind != linking.Invalid || out.FieldRules || !strings.Contains(out.FieldErrors["url"], "user name") {
			t.Errorf("got %+v, want Jamf Pro's own words on url", out)
		}
	})
	if allowed != 0 {
		t.Errorf("input errors took %d tests from the limits, want none", allowed)
	}
	if list, err := e.attempts.FindAttempts(ctx, cs.ID); err != nil || len(list) != 0 {
		t.Errorf("got %d attempts (%v), want none", len(list), err)
	}
	if n := len(e.jamf.Requests()); n != 0 {
		t.Errorf("the vendor got %d requests, want none", n)
	}
	if out := submit(p, e.jamfForm(e.jamf.ClientSecret)); out.Kind != linking.Linked || allowed != 1 {
		t.Errorf("then well-formed: got %+v after %d tests, want linked with the one test", out, allowed)
	}
}

// Markup and template syntax in what the host product sends (owner, user
// name, label, metadata) reach the linked account as given: escaping is
// the pages' job, and the host reads its own text back intact.
func TestService_Submit_MarkupKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	p := e.mustProfile(t, "Jamf")
	const markup = `<script>alert("x")</script> {{.X}} ${x} "><img src=x onerror=alert(1)>`
	owner := "owner-" + markup
	cs, handle := e.mustSession(t, linking.SessionRequest{OriginOwnerID: owner, OriginOwnerName: markup,
		OriginUsername: markup, Label: markup, Metadata: []byte(`{"note":` + strconv.Quote(markup) + `}`)})
	out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "sub-1")
	if err != nil || out.Kind != linking.Linked {
		t.Fatalf("got %+v, %v, want linked", out, err)
	}
	list, _, err := e.accounts.FindAccounts(ctx, linkhub.AccountFilter{OriginOwnerID: &owner})
	if err != nil || len(list) != 1 {
		t.Fatalf("got %d accounts (%v), want the one linked", len(list), err)
	}
	if a := list[0]; a.OriginOwnerName != markup || a.OriginUsername != markup || a.Label != markup || a.SessionMetadata["note"] != markup {
		t.Errorf("got %+v, want the owner, user name, label and metadata as given", a)
	}
}
