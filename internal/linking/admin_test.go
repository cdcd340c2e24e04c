package linking_test

import (
	"context"
	"errors"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
)

// The admin's tests run on the same credentials as the hub's and the
// health checker's, and are audited as the admin's.
func TestService_AdminTests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	admin := linkhub.Actor{Kind: "admin", ID: "a-1", Label: "ada@example.com", IP: "192.0.2.7"}
	empty := e.mustProfile(t, "Empty")
	if _, _, _, err := e.svc.TestProfile(ctx, admin, empty.ID); !errors.Is(err, linking.ErrNothingToTest) {
		t.Errorf("a profile without credentials: got %v, want ErrNothingToTest", err)
	}
	shared := &linkhub.Profile{ConnectorID: "jamf", Name: "Shared", Enabled: true,
		Values: map[string]string{"url": e.jamf.URL, "client_id": e.jamf.ClientID}}
	if err := e.profiles.CreateProfile(ctx, linkhub.SystemActor, shared,
		map[string]secret.Value{"client_secret": secret.New(e.jamf.ClientSecret)}); err != nil {
		t.Fatal(err)
	}
	_, _, report, err := e.svc.TestProfile(ctx, admin, shared.ID)
	if err != nil || !report.OK() {
		t.Fatalf("profile test: got %+v, %v, want passed", report, err)
	}
	// An account of the shared profile has no credentials of its own.
	p, cs, handle := e.mustStart(t)
	out, err := e.submit(t, cs, handle, p, e.jamfForm(e.jamf.ClientSecret), "")
	if err != nil || out.Kind != linking.Linked {
		t.Fatalf("link: got %+v, %v", out, err)
	}
	a, report, err := e.svc.TestAccount(ctx, admin, out.Account.ID)
	if err != nil || !report.OK() || a.LastTestedAt == nil {
		t.Fatalf("account test: got %+v, %+v, %v", a, report, err)
	}
	for _, action := range []string{linkhub.ActionProfileTested, linkhub.ActionAccountTested} {
		list, _, err := e.audit.FindAuditEntries(ctx, linkhub.AuditFilter{Action: &action, Actor: &admin.Label})
		if err != nil || len(list) != 1 || list[0].Details["result"] != "passed" {
			t.Errorf("%s: got %+v (%v), want one passed entry by the admin", action, list, err)
		}
	}
}
