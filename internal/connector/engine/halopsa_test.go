package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustHaloPSA starts a fake HaloPSA and the halopsa definition's connector;
// the instance's address is what the user types, so no host override.
func MustHaloPSA(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.HaloPSA) {
	t.Helper()
	f := fake.NewHaloPSA(t)
	return MustConnector(t, "halopsa", timeout, nil, f.Server.Server), f
}

func haloInput(url, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"halo_url": url, "client_id": id},
		map[string]string{"client_secret": sec}), Actions: actions}
}

func TestHaloPSA_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustHaloPSA(t, 5*time.Second)
		r := c.Test(ctx, haloInput(" "+f.Host()+"/ ", f.ClientID, f.ClientSecret, "list_tickets", "list_assets"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Values["halo_url"]; got != f.URL {
			t.Fatalf("got stored address %q, want %q", got, f.URL)
		}
		if got := r.Metadata["client_count"]; got != "838" {
			t.Fatalf("got client count %q, want 838", got)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		// The token request asks for scope "all" with the client in the body.
		if n := len(f.Sightings("scope=all")); n != 1 {
			t.Fatalf("got %d token requests with scope=all, want 1", n)
		}
		if n := len(f.Sightings("pageinate=true")); n != 3 {
			t.Fatalf("got %d calls with pageinate=true, want 3 (verify and two probes)", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustHaloPSA(t, 5*time.Second)
		wrong := "not-the-secret-0123456789"
		r := c.Test(ctx, haloInput(f.URL, f.ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "refused the client ID or the secret", wrong); s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("UnknownClient", func(t *testing.T) {
		// HaloPSA answers an unknown client exactly like a wrong secret.
		c, f := MustHaloPSA(t, 5*time.Second)
		r := c.Test(ctx, haloInput(f.URL, "00000000-0000-0000-0000-000000000000", f.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "does not say which", f.ClientSecret)
	})
	t.Run("MissingCustomersPermission", func(t *testing.T) {
		c, f := MustHaloPSA(t, 5*time.Second)
		f.Permissions = []string{fake.HaloReadTickets}
		r := c.Test(ctx, haloInput(f.URL, f.ClientID, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "tick read:customers", f.ClientSecret); s.HTTPStatus != 403 {
			t.Fatalf("got status %d, want 403", s.HTTPStatus)
		}
	})
	t.Run("MissingActionPermission", func(t *testing.T) {
		c, f := MustHaloPSA(t, 5*time.Second)
		f.Permissions = []string{fake.HaloReadCustomers, fake.HaloReadTickets}
		r := c.Test(ctx, haloInput(f.URL, f.ClientID, f.ClientSecret, "list_tickets", "list_assets"))
		mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "List assets (needs read:assets)", f.ClientSecret)
	})
	t.Run("WrongHost", func(t *testing.T) {
		// Another web server at the address: its /auth/token is a 404 page.
		c, f := MustHaloPSA(t, 5*time.Second)
		f.SetNotFound(true)
		r := c.Test(ctx, haloInput(f.URL, f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonNotVendor, "not like HaloPSA", f.ClientSecret)
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustHaloPSA(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, haloInput(f.URL, f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again in 30 seconds", f.ClientSecret)
	})
	t.Run("BadClientID", func(t *testing.T) {
		c, f := MustHaloPSA(t, 5*time.Second)
		r := c.Test(ctx, haloInput(f.URL, "not-a-guid", f.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if r.FieldErrors["client_id"] == "" || f.TokenRequests() != 0 {
			t.Fatalf("got field errors %v after %d token requests, want one for client_id and none", r.FieldErrors, f.TokenRequests())
		}
	})
	testOutages(t, func(t *testing.T, timeout time.Duration) (*engine.Connector, linkhub.TestInput, *fake.Server, *fake.Server, string) {
		c, f := MustHaloPSA(t, timeout)
		return c, haloInput(f.URL, f.ClientID, f.ClientSecret), f.Server, f.Server, f.ClientSecret
	})
}

// TestHaloPSA_TokenAndAction checks a linked account's token: it is issued
// for the instance's address, and an action's path answers with it.
func TestHaloPSA_TokenAndAction(t *testing.T) {
	c, f := MustHaloPSA(t, 5*time.Second)
	testTokenAndAction(t, c, haloInput(f.URL, f.ClientID, f.ClientSecret), f.Server, f.Server, actionPaths(c)...)
}
