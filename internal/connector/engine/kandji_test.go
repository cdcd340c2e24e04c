package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustKandji starts a fake Kandji tenant and the kandji definition's
// connector; the tenant's API URL is what the user types.
func MustKandji(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Kandji) {
	t.Helper()
	f := fake.NewKandji(t)
	return MustConnector(t, "kandji", timeout, nil, f.Server.Server), f
}

func startKandji(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Server, linkhub.TestInput) {
	c, f := MustKandji(t, timeout)
	return c, f.Server, kandjiInput(f.URL, f.ClientSecret)
}

func kandjiInput(apiURL, token string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"api_url": apiURL},
		map[string]string{"api_token": token}), Actions: actions}
}

func TestKandji_Test(t *testing.T) {
	ctx := context.Background()
	testAPIKeyOutages(t, startKandji, "not like Kandji's API")
	t.Run("OK", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		r := c.Test(ctx, kandjiInput("https://"+f.Host()+"/ ", f.ClientSecret, "list_devices", "prism_apps", "list_threats"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Values["api_url"]; got != f.URL {
			t.Fatalf("got stored API URL %q, want %q", got, f.URL)
		}
		if r.Metadata["kandji_region"] != "us" {
			t.Fatalf("got metadata %v, want the region us (a loopback address is not an EU host)", r.Metadata)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		if n := len(f.Sightings("Bearer " + f.ClientSecret)); n != 4 {
			t.Fatalf("got the token in %d requests, want 4 (devices and three probes)", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongToken", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		wrong := uuid.NewString()
		r := c.Test(ctx, kandjiInput(f.URL, wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "Kandji refused the API token", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("RevokedToken", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		f.SetSecretRevoked(true)
		r := c.Test(ctx, kandjiInput(f.URL, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "its creator is no longer an admin", f.ClientSecret)
	})
	// The token stands alone: the "unknown client" of this vendor is a good
	// token sent to another tenant or region's API URL, which answers 401.
	t.Run("OtherTenantOrRegion", func(t *testing.T) {
		f, other := fake.NewKandji(t), fake.NewKandji(t)
		c := MustConnector(t, "kandji", 5*time.Second, nil, f.Server.Server, other.Server.Server)
		r := c.Test(ctx, kandjiInput(f.URL, other.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "other region's API URL", other.ClientSecret)
	})
	t.Run("NotAToken", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		r := c.Test(ctx, kandjiInput(f.URL, "Bearer "+f.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if !strings.Contains(r.FieldErrors["api_token"], "looks like 1bc32cba") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want the token's message and none", r.FieldErrors, len(f.Requests()))
		}
	})
	// Kandji's own way: a token without List Devices answers 401 on the
	// verification call, so the hint names the permission beside a bad token.
	t.Run("NoListDevices", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		f.Allowed["devices"] = false
		r := c.Test(ctx, kandjiInput(f.URL, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "lacks the List Devices permission", f.ClientSecret); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		f.Allowed["prism"] = false
		r := c.Test(ctx, kandjiInput(f.URL, f.ClientSecret, "list_devices", "prism_apps"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "choose Configure, tick the permissions", f.ClientSecret)
		if s.HTTPStatus != 401 || !strings.Contains(s.Hint, "Apps on devices") || strings.Contains(s.Hint, "List devices") {
			t.Fatalf("got %d %q, want 401 naming only the Prism action", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("NoEDR", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		f.EDR = false
		r := c.Test(ctx, kandjiInput(f.URL, f.ClientSecret, "list_threats"))
		if s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "EDR is not turned on", f.ClientSecret); s.HTTPStatus != 404 {
			t.Fatalf("got status %d, want 404", s.HTTPStatus)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustKandji(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, kandjiInput(f.URL, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "10,000 requests an hour", f.ClientSecret); s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestKandji_TokenAndAction checks that the token API hands out the key as
// a Bearer header and that it reaches an action.
func TestKandji_TokenAndAction(t *testing.T) {
	testAPIKeyToken(t, startKandji, "Bearer", "/api/v1/devices?limit=300&offset=0")
}
