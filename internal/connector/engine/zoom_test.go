package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustZoom starts a fake Zoom and the zoom definition's connector pointed
// at its OAuth and API hosts.
func MustZoom(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Zoom) {
	t.Helper()
	f := fake.NewZoom(t)
	return MustConnector(t, "zoom", timeout, f.HostOverrides(), f.OAuth.Server, f.API.Server), f
}

func zoomInput(account, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"account_id": account, "client_id": id},
		map[string]string{"client_secret": sec}), Actions: actions}
}

func okZoom(f *fake.Zoom, actions ...string) linkhub.TestInput {
	return zoomInput(f.AccountID, f.OAuth.ClientID, f.OAuth.ClientSecret, actions...)
}

func TestZoom_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		r := c.Test(ctx, okZoom(f, "list_users", "list_meetings"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Metadata["user_count"]; got != "42" {
			t.Fatalf("got user count %q, want 42", got)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		// The secret goes only in the Basic header of the token request.
		reqs := f.OAuth.Requests()
		if len(reqs) != 1 || !strings.Contains(reqs[0].Raw, "Authorization: Basic ") || !strings.Contains(reqs[0].Raw, "grant_type=account_credentials") ||
			!strings.Contains(reqs[0].Raw, "account_id="+f.AccountID) || len(f.OAuth.Sightings(f.OAuth.ClientSecret)) != 0 {
			t.Fatalf("got token requests %+v, want one with Basic auth, the grant and the account id, no plain secret", reqs)
		}
		mustNotLeak(t, r, f.OAuth.ClientSecret)
	})
	t.Run("ClassicScopes", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		f.Scopes = []string{fake.ZoomUserReadClassic, fake.ZoomMeetingReadClassic}
		if r := c.Test(ctx, okZoom(f, "list_users", "list_meetings")); !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		wrong := "WrongSecret0000000000000000000000"
		r := c.Test(ctx, zoomInput(f.AccountID, f.OAuth.ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "refused the client ID or the secret", wrong); s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("UnknownClient", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		r := c.Test(ctx, zoomInput(f.AccountID, "UnknownClient000000000", f.OAuth.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "does not say which", f.OAuth.ClientSecret)
	})
	t.Run("UnknownAccount", func(t *testing.T) {
		// Zoom's own "wrong place": the account ID names no account.
		c, f := MustZoom(t, 5*time.Second)
		r := c.Test(ctx, zoomInput("AAAAAAAAAAAAAAAAAAAAAA", f.OAuth.ClientID, f.OAuth.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonUnknownClient, "does not know this account ID", f.OAuth.ClientSecret)
	})
	t.Run("MissingUsersScope", func(t *testing.T) {
		// Zoom answers a missing scope with 400 code 4711, not 401 or 403.
		c, f := MustZoom(t, 5*time.Second)
		f.Scopes = []string{fake.ZoomListMeetings}
		r := c.Test(ctx, okZoom(f))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "user:read:list_users:admin", f.OAuth.ClientSecret); s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("MissingActionScope", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		f.Scopes = []string{fake.ZoomListUsers}
		r := c.Test(ctx, okZoom(f, "list_users", "list_meetings"))
		mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "List a user's meetings (needs meeting:read:list_meetings:admin", f.OAuth.ClientSecret)
	})
	t.Run("WrongHost", func(t *testing.T) {
		// Something else answers at the API host (a proxy's 404 page).
		c, f := MustZoom(t, 5*time.Second)
		f.API.SetNotFound(true)
		r := c.Test(ctx, okZoom(f))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonNotVendor, "Something other than Zoom answered", f.OAuth.ClientSecret)
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, okZoom(f))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "rate limit for this account is used up", f.OAuth.ClientSecret)
	})
	t.Run("BadAccountID", func(t *testing.T) {
		c, f := MustZoom(t, 5*time.Second)
		r := c.Test(ctx, zoomInput("my account", f.OAuth.ClientID, f.OAuth.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if r.FieldErrors["account_id"] == "" || f.OAuth.TokenRequests() != 0 {
			t.Fatalf("got field errors %v after %d token requests, want one for account_id and none", r.FieldErrors, f.OAuth.TokenRequests())
		}
	})
	testOutages(t, func(t *testing.T, timeout time.Duration) (*engine.Connector, linkhub.TestInput, *fake.Server, *fake.Server, string) {
		c, f := MustZoom(t, timeout)
		return c, okZoom(f), f.OAuth, f.API, f.OAuth.ClientSecret
	})
}

// TestZoom_TokenAndAction checks a linked account's token: it is for the
// API host, and an action's path answers with it.
func TestZoom_TokenAndAction(t *testing.T) {
	c, f := MustZoom(t, 5*time.Second)
	testTokenAndAction(t, c, okZoom(f), f.OAuth, f.API, "/v2/users", "/v2/users/me/meetings")
}
