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

// MustOkta starts a fake Okta org and the okta definition's connector; the
// org's address is what the user types, so no host override is needed.
func MustOkta(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Okta) {
	t.Helper()
	f := fake.NewOkta(t)
	return MustConnector(t, "okta", timeout, nil, f.Server.Server), f
}

func oktaInput(domain, token string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"okta_domain": domain},
		map[string]string{"api_token": token}), Actions: actions}
}

func TestOkta_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		r := c.Test(ctx, oktaInput(" "+f.URL+"/admin/dashboard ", f.ClientSecret, "list_users", "system_log"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Values["okta_domain"]; got != f.URL {
			t.Fatalf("got stored domain %q, want %q", got, f.URL)
		}
		if r.Metadata["okta_user"] != f.Login || r.Metadata["okta_rate_limit"] != "600" {
			t.Fatalf("got metadata %v, want the token owner's login and the rate limit 600", r.Metadata)
		}
		if s := stage(r, linkhub.StageToken); s.Status != linkhub.StatusSkipped {
			t.Fatalf("got token stage %+v, want skipped: an API token needs no sign-in", s)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		if n := len(f.Sightings("SSWS " + f.ClientSecret)); n != 3 {
			t.Fatalf("got the SSWS header in %d requests, want 3 (users/me and two probes)", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongToken", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		wrong := "00" + strings.Repeat("x", 40)
		r := c.Test(ctx, oktaInput(f.URL, wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "Okta refused the API token", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("RevokedToken", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		f.SetSecretRevoked(true)
		r := c.Test(ctx, oktaInput(f.URL, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "revoked", f.ClientSecret)
	})
	t.Run("NotAToken", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		r := c.Test(ctx, oktaInput(f.URL, "Bearer abc"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if !strings.Contains(r.FieldErrors["api_token"], "starts with 00") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want the token's message and none", r.FieldErrors, len(f.Requests()))
		}
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		f.ReadOnlyAdmin = false
		r := c.Test(ctx, oktaInput(f.URL, f.ClientSecret, "list_users", "list_groups"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Read-Only Administrator role", f.ClientSecret)
		if s.HTTPStatus != 403 || !strings.Contains(s.Hint, "List users") || !strings.Contains(s.Hint, "List groups") {
			t.Fatalf("got %d %q, want 403 naming both actions", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("NotOkta", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		f.SetWrongProduct(true)
		r := c.Test(ctx, oktaInput(f.URL, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonNotVendor, "not like Okta", f.ClientSecret)
	})
	t.Run("PortNotAllowed", func(t *testing.T) {
		c, _ := MustOkta(t, 5*time.Second)
		r := c.Test(ctx, oktaInput("acme.okta.com:8080", "00"+strings.Repeat("a", 40)))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if got := r.FieldErrors["okta_domain"]; !strings.Contains(got, "port 443") {
			t.Fatalf("got %q, want the allowed port named", got)
		}
	})
	t.Run("VendorDown", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		f.SetDown(true)
		r := c.Test(ctx, oktaInput(f.URL, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again", f.ClientSecret)
	})
	t.Run("Timeout", func(t *testing.T) {
		c, f := MustOkta(t, 500*time.Millisecond)
		f.SetSlow(-1)
		r := c.Test(ctx, oktaInput(f.URL, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonTimeout, "did not answer", f.ClientSecret)
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustOkta(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, oktaInput(f.URL, f.ClientSecret))
		s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "rate limit for this API is used up until", f.ClientSecret)
		if s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestOkta_TokenAndAction checks that the token API hands out the key with
// the SSWS header, and that the proxy's way of sending it reaches an action.
func TestOkta_TokenAndAction(t *testing.T) {
	c, f := MustOkta(t, 5*time.Second)
	in := oktaInput(f.URL, f.ClientSecret)
	tok, err := c.Token(context.Background(), in.Credentials, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.URL || tok.Headers["Authorization"] != "SSWS "+f.ClientSecret {
		t.Fatalf("got base %s and headers %d, want the org and an SSWS Authorization header", tok.BaseURL, len(tok.Headers))
	}
	if got := call(t, fake.Config(5*time.Second, f.Server.Server), tok, "/api/v1/groups"); got != 200 {
		t.Fatalf("action list_groups: got %d, want 200", got)
	}
	if len(f.Sightings("Bearer ")) != 0 {
		t.Fatal("a request reached Okta with a Bearer header; Okta wants SSWS")
	}
}
