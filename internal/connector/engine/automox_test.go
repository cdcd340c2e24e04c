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

// MustAutomox starts a fake Automox and the automox definition's connector
// with its fixed host pointed at the fake.
func MustAutomox(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Automox) {
	t.Helper()
	f := fake.NewAutomox(t)
	return MustConnector(t, "automox", timeout, map[string]string{"api": f.URL}, f.Server.Server), f
}

func startAutomox(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Server, linkhub.TestInput) {
	c, f := MustAutomox(t, timeout)
	return c, f.Server, automoxInput("", f.ClientSecret)
}

func automoxInput(org, key string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"org_id": org},
		map[string]string{"api_key": key}), Actions: actions}
}

func TestAutomox_Test(t *testing.T) {
	ctx := context.Background()
	testAPIKeyOutages(t, startAutomox, "not like Automox")
	t.Run("OK", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		r := c.Test(ctx, automoxInput("", f.ClientSecret, "list_devices", "list_policies"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if r.Metadata["automox_org_id"] != "1234" || r.Metadata["automox_org"] != "Acme" {
			t.Fatalf("got metadata %v, want the key's first organization, 1234 Acme", r.Metadata)
		}
		if n := len(f.Sightings("o=1234&limit=1&page=0")); n != 2 {
			t.Fatalf("got %d probes for organization 1234, want 2", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("ChosenOrg", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		r := c.Test(ctx, automoxInput("5678", f.ClientSecret, "list_users"))
		if !r.OK() || r.Metadata["automox_org_id"] != "5678" || r.Metadata["automox_org"] != "Acme Lab" {
			t.Fatalf("got %+v with metadata %v, want organization 5678 Acme Lab", r.Stages, r.Metadata)
		}
		if len(f.Sightings("o=5678&limit=1")) != 1 {
			t.Fatal("the probe did not ask about the chosen organization")
		}
	})
	t.Run("WrongKey", func(t *testing.T) {
		c, _ := MustAutomox(t, 5*time.Second)
		wrong := uuid.NewString()
		r := c.Test(ctx, automoxInput("", wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "Automox refused the API key", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("DeletedKey", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		f.SetSecretRevoked(true)
		r := c.Test(ctx, automoxInput("", f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "deleted", f.ClientSecret)
	})
	t.Run("NotAKey", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		r := c.Test(ctx, automoxInput("Acme", "Bearer "+f.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if !strings.Contains(r.FieldErrors["api_key"], "without spaces") || !strings.Contains(r.FieldErrors["org_id"], "is a number") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want both messages and no request", r.FieldErrors, len(f.Requests()))
		}
	})
	// The key has no client id beside it; the organization ID is what can
	// name something the key does not know: an organization key asked for
	// another organization.
	t.Run("OtherOrganization", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		f.OrgKey = 1234
		r := c.Test(ctx, automoxInput("5678", f.ClientSecret, "list_devices"))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "sees no organization with that ID", f.ClientSecret)
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		f.Denied["users"] = true
		r := c.Test(ctx, automoxInput("", f.ClientSecret, "list_devices", "list_users"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "may not read what these calls need in organization 1234", f.ClientSecret)
		if s.HTTPStatus != 403 || !strings.Contains(s.Hint, "List users") || strings.Contains(s.Hint, "List devices") {
			t.Fatalf("got %d %q, want 403 naming only the users action", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustAutomox(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, automoxInput("", f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "rate limit", f.ClientSecret); s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestAutomox_TokenAndAction checks that the token API hands out the key as
// a Bearer header for the overridden console host and that it reaches an
// action.
func TestAutomox_TokenAndAction(t *testing.T) {
	testAPIKeyToken(t, startAutomox, "Bearer", "/api/servers?o=1234&limit=500&page=0")
}
