package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustDefender starts a fake Defender for Endpoint and the defender
// definition's connector pointed at its login and API hosts.
func MustDefender(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Defender) {
	t.Helper()
	f := fake.NewDefender(t)
	return MustConnector(t, "defender", timeout, f.HostOverrides(), f.Login.Server, f.API.Server), f
}

func mdeInput(tenant, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"tenant_id": tenant, "client_id": id, "region": "eu"},
		map[string]string{"client_secret": sec}), Actions: actions}
}

func okDefender(f *fake.Defender, actions ...string) linkhub.TestInput {
	return mdeInput(f.TenantID, f.Login.ClientID, f.Login.ClientSecret, actions...)
}

func TestDefender_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		r := c.Test(ctx, mdeInput(f.Domain, f.Login.ClientID, f.Login.ClientSecret, "list_machines", "list_alerts", "list_vulnerabilities"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Metadata["machines_seen"]; got != "yes" {
			t.Fatalf("got machines seen %q, want yes", got)
		}
		if n := len(f.Login.Sightings("scope=https%3A%2F%2Fapi.securitycenter.microsoft.com%2F.default")); n != 1 {
			t.Fatalf("got %d token requests with Defender's scope, want 1", n)
		}
		mustNotLeak(t, r, f.Login.ClientSecret)
	})
	t.Run("NoMachinesYet", func(t *testing.T) {
		// 404 on the machine list means "none seen lately", not a failure,
		// for the test call and for the list_machines probe alike.
		c, f := MustDefender(t, 5*time.Second)
		f.Machines = 0
		r := c.Test(ctx, okDefender(f, "list_machines"))
		if !r.OK() || r.Metadata["machines_seen"] != "none yet" {
			t.Fatalf("got %+v with metadata %v, want passed and no machines seen", r.Stages, r.Metadata)
		}
		if s := stage(r, linkhub.StageVerify); s.HTTPStatus != 404 || s.Hint != "The app can read machines; Defender has seen none lately." {
			t.Fatalf("got verify %+v, want 404 explained as empty", s)
		}
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		wrong := "Wrong0000000000000000000000000000000000"
		r := c.Test(ctx, mdeInput(f.TenantID, f.Login.ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "not its Secret ID", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("ExpiredSecret", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		f.SecretExpired = true
		r := c.Test(ctx, okDefender(f))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "has expired", f.Login.ClientSecret)
	})
	t.Run("UnknownClient", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		r := c.Test(ctx, mdeInput(f.TenantID, "00000000-0000-0000-0000-000000000000", f.Login.ClientSecret))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonUnknownClient, "no app with this Application (client) ID", f.Login.ClientSecret); s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("UnknownTenant", func(t *testing.T) {
		// Defender's wrong place: a tenant the login host does not know.
		c, f := MustDefender(t, 5*time.Second)
		r := c.Test(ctx, mdeInput("fabrikam.onmicrosoft.com", f.Login.ClientID, f.Login.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonUnknownClient, "does not know this tenant", f.Login.ClientSecret)
	})
	t.Run("MissingMachinePermission", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		f.Permissions = []string{fake.MDEAlertRead}
		r := c.Test(ctx, okDefender(f))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "Machine.Read.All, then choose Grant admin consent", f.Login.ClientSecret); s.HTTPStatus != 403 {
			t.Fatalf("got status %d, want 403", s.HTTPStatus)
		}
	})
	t.Run("MissingActionPermission", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		f.Permissions = []string{fake.MDEMachineRead, fake.MDEAlertRead}
		r := c.Test(ctx, okDefender(f, "list_alerts", "list_vulnerabilities"))
		mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "List vulnerabilities by machine (needs Vulnerability.Read.All)", f.Login.ClientSecret)
	})
	t.Run("NoLicence", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		f.Disabled = true
		r := c.Test(ctx, okDefender(f))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "Defender for Business licence", f.Login.ClientSecret)
	})
	t.Run("WrongHost", func(t *testing.T) {
		// Another web server at the API host: its 404 page is not an empty list.
		c, f := MustDefender(t, 5*time.Second)
		f.API.SetNotFound(true)
		r := c.Test(ctx, okDefender(f))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonNotVendor, "did not answer like Defender", f.Login.ClientSecret)
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, okDefender(f))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again in 20 seconds", f.Login.ClientSecret)
	})
	t.Run("SecretIDPasted", func(t *testing.T) {
		c, f := MustDefender(t, 5*time.Second)
		r := c.Test(ctx, mdeInput(f.TenantID, f.Login.ClientID, "not a secret"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if r.FieldErrors["client_secret"] == "" || f.Login.TokenRequests() != 0 {
			t.Fatalf("got field errors %v after %d token requests, want one for client_secret and none", r.FieldErrors, f.Login.TokenRequests())
		}
	})
	testOutages(t, func(t *testing.T, timeout time.Duration) (*engine.Connector, linkhub.TestInput, *fake.Server, *fake.Server, string) {
		c, f := MustDefender(t, timeout)
		return c, okDefender(f), f.Login, f.API, f.Login.ClientSecret
	})
}

// TestDefender_TokenAndAction checks a linked account's token: it is for
// the chosen region's API host, an hour long, and the actions answer.
func TestDefender_TokenAndAction(t *testing.T) {
	c, f := MustDefender(t, 5*time.Second)
	testTokenAndAction(t, c, okDefender(f), f.Login, f.API, actionPaths(c)...)
}
