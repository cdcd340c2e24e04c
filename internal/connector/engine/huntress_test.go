package engine_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustHuntress starts a fake Huntress API and the huntress definition's
// connector with its fixed host pointed at it.
func MustHuntress(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Huntress) {
	t.Helper()
	f := fake.NewHuntress(t)
	return MustConnector(t, "huntress", timeout, map[string]string{"api": f.URL}, f.Server.Server), f
}

func huntressInput(key, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"api_key": key},
		map[string]string{"api_secret": sec}), Actions: actions}
}

func TestHuntress_Test(t *testing.T) {
	ctx := context.Background()
	vendorFailures(t, func(d time.Duration) (*engine.Connector, *fake.Server) {
		c, f := MustHuntress(t, d)
		return c, f.Server
	}, func(s *fake.Server) linkhub.TestInput {
		return huntressInput(s.ClientID, s.ClientSecret)
	}, "not like the Huntress API")
	t.Run("OK", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		r := c.Test(ctx, huntressInput(f.ClientID, f.ClientSecret, "list_agents", "list_incident_reports"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if r.Metadata["huntress_account"] != f.Name || r.Metadata["huntress_subdomain"] != f.Subdomain {
			t.Fatalf("got metadata %v, want the account's name and subdomain", r.Metadata)
		}
		if s := stage(r, linkhub.StageToken); s.Status != linkhub.StatusSkipped {
			t.Fatalf("got token stage %+v, want skipped: Basic needs no sign-in", s)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.ClientID+":"+f.ClientSecret))
		if n := len(f.Sightings(basic)); n != 3 {
			t.Fatalf("got Basic credentials in %d requests, want 3 (account and two probes)", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		wrong := "hs_" + strings.Repeat("0", 40)
		r := c.Test(ctx, huntressInput(f.ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "refused the API key or secret", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("UnknownKey", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		r := c.Test(ctx, huntressInput("hk_"+strings.Repeat("1", 24), f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "does not say which", f.ClientSecret)
	})
	t.Run("SwappedFields", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		r := c.Test(ctx, huntressInput(f.ClientSecret, f.ClientID))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing", f.ClientSecret)
		if !strings.Contains(r.FieldErrors["api_key"], "starts with hk_") || !strings.Contains(r.FieldErrors["api_secret"], "starts with hs_") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want both prefixes named and no request", r.FieldErrors, len(f.Requests()))
		}
	})
	t.Run("MissingPermission403", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		f.Denied["agents"] = true
		r := c.Test(ctx, huntressInput(f.ClientID, f.ClientSecret, "list_agents", "list_organizations"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "List agents", f.ClientSecret)
		if s.HTTPStatus != 403 || strings.Contains(s.Hint, "List organizations") {
			t.Fatalf("got %d %q, want 403 naming only the denied action", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("MissingPermission404", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		f.Denied["account"], f.DeniedAs404 = true, true
		r := c.Test(ctx, huntressInput(f.ClientID, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "may not read the account", f.ClientSecret); s.HTTPStatus != 404 {
			t.Fatalf("got status %d, want 404: Huntress hides what a user may not read", s.HTTPStatus)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustHuntress(t, 5*time.Second)
		in := huntressInput(f.ClientID, f.ClientSecret, "list_agents", "list_organizations")
		for range 20 { // three requests each: the account's 60 a minute
			if r := c.Test(ctx, in); !r.OK() {
				t.Fatalf("got failed report %+v before the limit", r.Stages)
			}
		}
		r := c.Test(ctx, in)
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "60 requests a minute", f.ClientSecret); s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestHuntress_TokenAndAction checks that the token API hands out the
// Basic header, and that the proxy's way of sending it reaches an action.
func TestHuntress_TokenAndAction(t *testing.T) {
	c, f := MustHuntress(t, 5*time.Second)
	tok, err := c.Token(context.Background(), huntressInput(f.ClientID, f.ClientSecret).Credentials, nil)
	if err != nil {
		t.Fatal(err)
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.ClientID+":"+f.ClientSecret))
	if tok.BaseURL != f.URL || tok.Headers["Authorization"] != basic {
		t.Fatalf("got base %s and %d headers, want the fake and a Basic Authorization header", tok.BaseURL, len(tok.Headers))
	}
	if got := call(t, fake.Config(5*time.Second, f.Server.Server), tok, "/v1/organizations?limit=1"); got != 200 {
		t.Fatalf("action list_organizations: got %d, want 200", got)
	}
}
