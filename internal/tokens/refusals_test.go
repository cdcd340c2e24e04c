package tokens_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestService_TokenRefusals: each account state that forbids a token says
// what to do about it, without asking the vendor; a vendor that rejects
// the secret is EUNAUTHORIZED, one that cannot be reached EUNAVAILABLE
// naming its address. (Moved from the host API's web test, which now
// checks how these errors are answered.)
func TestService_TokenRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	for _, tc := range []struct {
		name, status, says string
	}{
		{"Disabled", linkhub.AccountDisabled, "Enable it"},
		{"NeedsRelink", linkhub.AccountNeedsRelink, "relink"},
		{"ProfileDisabled", linkhub.AccountInactive, "profile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := e.link(t, tc.name, false)
			if tc.status == linkhub.AccountInactive {
				off := false
				if _, err := e.profiles.UpdateProfile(ctx, linkhub.SystemActor, a.ProfileID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
					t.Fatal(err)
				}
			} else if _, err := e.accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, tc.status, "test"); err != nil {
				t.Fatal(err)
			}
			_, err := e.svc.Token(ctx, a.ID)
			if linkhub.ErrorCode(err) != linkhub.EFORBIDDEN || !strings.Contains(linkhub.ErrorMessage(err), tc.says) {
				t.Errorf("got %v, want EFORBIDDEN saying %q", err, tc.says)
			}
		})
	}
	if got := e.fake.TokenRequests(); got != 0 {
		t.Errorf("got %d upstream token requests, want 0", got)
	}

	t.Run("ErrSecretRejected", func(t *testing.T) {
		a := e.link(t, "Rejected", false)
		if _, err := e.accounts.ReplaceCredentials(ctx, a.ID, a.Values, a.Metadata,
			map[string]secret.Value{"client_secret": secret.New("wrong-secret")}); err != nil {
			t.Fatal(err)
		}
		_, err := e.svc.Token(ctx, a.ID)
		if linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED || linkhub.ErrorMessage(err) == "" || strings.Contains(err.Error(), "wrong-secret") {
			t.Errorf("got %v, want EUNAUTHORIZED without the secret", err)
		}
	})
	t.Run("ErrUnreachable", func(t *testing.T) {
		a := e.link(t, "Unreachable", false)
		e.fake.Server.Close() // nothing listens at its address any more
		_, err := e.svc.Token(ctx, a.ID)
		if linkhub.ErrorCode(err) != linkhub.EUNAVAILABLE || !strings.Contains(linkhub.ErrorMessage(err), e.fake.Host()) {
			t.Errorf("got %v, want EUNAVAILABLE naming %s", err, e.fake.Host())
		}
	})
}
