package health_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestChecker_TestAccount: an account's test on its stored credentials runs
// the connector's stages and records the result on the account: passed, it
// stays active with a last test; a rejected secret makes it needs_relink for
// bad_credentials, the token stage saying why; a disabled account keeps its
// status. (Moved from the host API's web test, which now checks only the
// HTTP side.)
func TestChecker_TestAccount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// An enabled action gives the permissions stage something to check.
	actions := []string{"get_version"}
	if _, err := e.profiles.UpdateProfile(ctx, linkhub.SystemActor, e.profile.ID, linkhub.ProfileUpdate{Actions: &actions}); err != nil {
		t.Fatal(err)
	}
	a := e.account(t, "owner-1", time.Now().Add(-time.Hour))
	test := func(t *testing.T) (*linkhub.Account, linkhub.Report) {
		t.Helper()
		got, report, err := e.checker.TestAccount(ctx, &linkhub.Actor{Kind: "api_key", ID: "k1", Label: "host"}, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got, report
	}

	t.Run("OK", func(t *testing.T) {
		got, report := test(t)
		if !report.OK() || got.ID != a.ID || got.Status != linkhub.AccountActive || got.LastTestedAt == nil ||
			!got.LastTestedAt.After(*a.LastTestedAt) {
			t.Fatalf("got %+v, ok %t", got, report.OK())
		}
		var names []string
		for _, st := range report.Stages {
			names = append(names, string(st.Name))
			if st.Status != linkhub.StatusPassed {
				t.Errorf("stage %+v, want passed", st)
			}
		}
		if got := strings.Join(names, ","); got != "validate,address,token,verify,permissions" {
			t.Errorf("stages %s", got)
		}
	})
	t.Run("CredentialsRejected", func(t *testing.T) {
		e.jamf.SetSecretRevoked(true)
		defer e.jamf.SetSecretRevoked(false)
		got, report := test(t)
		if report.OK() || got.Status != linkhub.AccountNeedsRelink || got.StatusReason != linkhub.ReasonBadCredentials {
			t.Fatalf("got %s/%s, want needs_relink for bad_credentials", got.Status, got.StatusReason)
		}
		failed, _ := report.Failed()
		if failed.Name != "token" || failed.Reason != linkhub.ReasonBadCredentials || failed.HTTPStatus != 401 || failed.Hint == "" {
			t.Fatalf("failed stage %+v", failed)
		}
	})
	t.Run("DisabledKeepsItsStatus", func(t *testing.T) {
		if _, err := e.accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
			t.Fatal(err)
		}
		if got, report := test(t); !report.OK() || got.Status != linkhub.AccountDisabled {
			t.Fatalf("got ok %t, status %s: want the test passed and the account still disabled", report.OK(), got.Status)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, _, err := e.checker.TestAccount(ctx, nil, "00000000-0000-4000-8000-000000000000")
		if linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Fatalf("got %v, want ENOTFOUND", err)
		}
	})
}
