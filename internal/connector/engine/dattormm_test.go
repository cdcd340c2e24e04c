package engine_test

import (
	"context"
	"encoding/base64"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustDatto starts a fake Datto RMM with a host per platform named (the
// account on the first) and the dattormm definition's connector pointed
// at them.
func MustDatto(t *testing.T, timeout time.Duration, platforms ...string) (*engine.Connector, *fake.Datto) {
	t.Helper()
	f := fake.NewDatto(t, platforms...)
	var servers []*httptest.Server
	for _, s := range f.Platforms {
		servers = append(servers, s.Server)
	}
	return MustConnector(t, "dattormm", timeout, f.HostOverrides(), servers...), f
}

func dattoInput(platform, key, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"platform": platform, "api_key": key},
		map[string]string{"api_secret": sec}), Actions: actions}
}

func okDatto(f *fake.Datto, actions ...string) linkhub.TestInput {
	return dattoInput(f.Home, f.Server().ClientID, f.Server().ClientSecret, actions...)
}

func TestDattoRMM_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		r := c.Test(ctx, okDatto(f, "list_devices", "list_sites", "list_open_alerts"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if r.Metadata["account_name"] != "Acme MSP" || r.Metadata["device_count"] != "250" {
			t.Fatalf("got metadata %v, want the account's name and 250 devices", r.Metadata)
		}
		// The password grant: Datto's public client by Basic, the key pair
		// as username and password, the secret nowhere else.
		s := f.Server()
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("public-client:public"))
		if n := len(s.Sightings(basic)); n != 1 {
			t.Fatalf("got %d requests with the public client, want 1", n)
		}
		if n := len(s.Sightings("grant_type=password&password=" + s.ClientSecret + "&username=" + s.ClientID)); n != 1 {
			t.Fatalf("got %d password grants with the key pair, want 1", n)
		}
		if n := len(s.Sightings(s.ClientSecret)); n != 1 {
			t.Fatalf("the secret reached Datto in %d requests, want only the token request", n)
		}
		mustNotLeak(t, r, s.ClientSecret)
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		wrong := "Wrong000000000000000000000000000"
		r := c.Test(ctx, dattoInput(f.Home, f.Server().ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "refused the API key or secret on the merlot platform", wrong); s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("UnknownKey", func(t *testing.T) {
		// The client is Datto's public one; an unknown key is answered like
		// a wrong secret.
		c, f := MustDatto(t, 5*time.Second)
		r := c.Test(ctx, dattoInput(f.Home, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", f.Server().ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "copy both keys again", f.Server().ClientSecret)
	})
	t.Run("WrongPlatform", func(t *testing.T) {
		// A merlot account linked as concord: the concord host knows no such
		// key, and the hint names the platform picked.
		c, f := MustDatto(t, 5*time.Second, "merlot", "concord")
		r := c.Test(ctx, dattoInput("concord", f.Server().ClientID, f.Server().ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "on the concord platform. Check that the platform is the first word", f.Server().ClientSecret)
		if n := f.Server().TokenRequests(); n != 0 {
			t.Fatalf("got %d token requests on merlot, want none", n)
		}
	})
	t.Run("APIAccessOff", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		f.APIOff = true
		mustFail(t, c.Test(ctx, okDatto(f)), linkhub.StageToken, linkhub.ReasonPermissionMissing, "turn on API access under Setup, Global Settings, Access Control", f.Server().ClientSecret)
	})
	t.Run("UserMayNotReadAccount", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		f.Denied = []string{"/api/v2/account"}
		r := c.Test(ctx, okDatto(f))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "security level that can view the account", f.Server().ClientSecret); s.HTTPStatus != 403 {
			t.Fatalf("got status %d, want 403", s.HTTPStatus)
		}
	})
	t.Run("MissingActionPermission", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		f.Denied = []string{"/api/v2/account/alerts/open"}
		r := c.Test(ctx, okDatto(f, "list_devices", "list_open_alerts"))
		mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "List open alerts (needs Alerts of", f.Server().ClientSecret)
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		f.RateLimited = true
		mustFail(t, c.Test(ctx, okDatto(f)), linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "600 requests a minute", f.Server().ClientSecret)
	})
	t.Run("BadKeyShape", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		r := c.Test(ctx, dattoInput(f.Home, "not-a-key", f.Server().ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if r.FieldErrors["api_key"] == "" || f.Server().TokenRequests() != 0 {
			t.Fatalf("got field errors %v after %d token requests, want one for api_key and none", r.FieldErrors, f.Server().TokenRequests())
		}
	})
	t.Run("OtherProduct", func(t *testing.T) {
		c, f := MustDatto(t, 5*time.Second)
		f.Server().SetWrongProduct(true)
		mustFail(t, c.Test(ctx, okDatto(f)), linkhub.StageToken, linkhub.ReasonNotVendor, "not like Datto RMM. Check the platform", f.Server().ClientSecret)
	})
	testOutages(t, func(t *testing.T, timeout time.Duration) (*engine.Connector, linkhub.TestInput, *fake.Server, *fake.Server, string) {
		c, f := MustDatto(t, timeout)
		return c, okDatto(f), f.Server(), f.Server(), f.Server().ClientSecret
	})
}

// TestDattoRMM_TokenAndAction checks a linked account's token (for the
// platform's host, at least an hour) and the actions with it.
func TestDattoRMM_TokenAndAction(t *testing.T) {
	c, f := MustDatto(t, 5*time.Second)
	testTokenAndAction(t, c, okDatto(f, "list_devices"), f.Server(), f.Server(), actionPaths(c)...)
}

// TestDattoRMM_TokenLifetime checks that a Datto token is kept for its 100
// hours: the answer's expires_in is used, a missing one means Datto's
// documented 100 hours, and the token cache then asks Datto once for many
// callers, sparing the account's shared rate budget.
func TestDattoRMM_TokenLifetime(t *testing.T) {
	ctx := context.Background()
	for _, omit := range []bool{false, true} {
		c, f := MustDatto(t, 5*time.Second)
		f.NoExpiresIn = omit
		in := okDatto(f)
		tok, err := c.Token(ctx, in.Credentials, nil)
		if err != nil {
			t.Fatal(err)
		}
		if life := time.Until(tok.Expiry); life < 99*time.Hour || life > 100*time.Hour {
			t.Fatalf("expires_in left out %v: got a lifetime of %s, want 100 hours", omit, life)
		}
		cache := connector.NewTokenCache(100)
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if _, err := cache.Get(ctx, connector.TokenKey{AccountID: "a", Version: 1}, func(ctx context.Context) (linkhub.Token, error) {
					return c.Token(ctx, in.Credentials, nil)
				}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := f.Server().TokenRequests(); n != 2 {
			t.Fatalf("got %d token requests, want 2: one by Token, one for the cache's 20 callers", n)
		}
	}
}
