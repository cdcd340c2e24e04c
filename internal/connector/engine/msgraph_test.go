package engine_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustGraph starts a fake Microsoft Graph with a host pair per cloud named
// (the tenant in the first) and the msgraph definition's connector
// pointed at them.
func MustGraph(t *testing.T, timeout time.Duration, clouds ...string) (*engine.Connector, *fake.Graph) {
	t.Helper()
	f := fake.NewGraph(t, clouds...)
	var servers []*httptest.Server
	for cloud, s := range f.Logins {
		servers = append(servers, s.Server, f.APIs[cloud].Server)
	}
	return MustConnector(t, "msgraph", timeout, f.HostOverrides(), servers...), f
}

func graphInput(f *fake.Graph, cloud, tenant, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"tenant_id": tenant, "client_id": id, "cloud": cloud},
		map[string]string{"client_secret": sec}), Actions: actions}
}

func okGraph(f *fake.Graph, actions ...string) linkhub.TestInput {
	return graphInput(f, f.Home, f.TenantID, f.Login().ClientID, f.Login().ClientSecret, actions...)
}

func TestMSGraph_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		r := c.Test(ctx, graphInput(f, "global", f.Domain, f.Login().ClientID, f.Login().ClientSecret, "list_managed_devices", "list_users", "list_groups"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Metadata["user_count"]; got != "42" {
			t.Fatalf("got user count %q, want 42", got)
		}
		if s := stage(r, linkhub.StageVerify); s.Hint != "The app can read users; the tenant has 42 users." {
			t.Fatalf("got verify hint %q", s.Hint)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		mustNotLeak(t, r, f.Login().ClientSecret)
	})
	t.Run("NationalCloud", func(t *testing.T) {
		// A DoD tenant: its login host, the DoD Graph host and the DoD
		// Graph resource's .default scope, never the global ones.
		c, f := MustGraph(t, 5*time.Second, "usgov-dod", "global")
		r := c.Test(ctx, okGraph(f, "list_users"))
		if !r.OK() || r.Metadata["user_count"] != "42" {
			t.Fatalf("got %+v with metadata %v, want passed with 42 users", r.Stages, r.Metadata)
		}
		if n := len(f.Login().Sightings("scope=https%3A%2F%2Fdod-graph.microsoft.us%2F.default")); n != 1 {
			t.Fatalf("got %d token requests with the DoD scope, want 1", n)
		}
		if n := len(f.Logins["global"].Requests()) + len(f.APIs["global"].Requests()); n != 0 {
			t.Fatalf("got %d requests to the global cloud, want none", n)
		}
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		wrong := "Wrong0000000000000000000000000000000000"
		r := c.Test(ctx, graphInput(f, "global", f.TenantID, f.Login().ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "not its Secret ID", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("ExpiredSecret", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		f.SecretExpired = true
		mustFail(t, c.Test(ctx, okGraph(f)), linkhub.StageToken, linkhub.ReasonBadCredentials, "has expired", f.Login().ClientSecret)
	})
	t.Run("UnknownClient", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		r := c.Test(ctx, graphInput(f, "global", f.TenantID, "00000000-0000-0000-0000-000000000000", f.Login().ClientSecret))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonUnknownClient, "no app with this Application (client) ID", f.Login().ClientSecret); s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("WrongCloud", func(t *testing.T) {
		// A global tenant linked as GCC High: the US Government login host
		// does not know it, and the hint names the cloud picked.
		c, f := MustGraph(t, 5*time.Second, "global", "usgov")
		r := c.Test(ctx, graphInput(f, "usgov", f.TenantID, f.Login().ClientID, f.Login().ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonUnknownClient, "does not know this tenant in the cloud picked (usgov)", f.Login().ClientSecret)
		if n := f.Logins["global"].TokenRequests(); n != 0 {
			t.Fatalf("got %d token requests in the global cloud, want none", n)
		}
	})
	t.Run("NoPermissionConsented", func(t *testing.T) {
		// Microsoft issues a token without a roles claim; Linkhub reads it
		// and says so before calling Graph.
		c, f := MustGraph(t, 5*time.Second)
		f.Roles = nil
		r := c.Test(ctx, okGraph(f))
		s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "none of the permissions this needs (User.Read.All or Directory.Read.All). Under API permissions", f.Login().ClientSecret)
		if s.Snippet != "roles: (none)" {
			t.Fatalf("got snippet %q, want the empty roles claim", s.Snippet)
		}
		if n := len(f.API().Requests()); n != 0 {
			t.Fatalf("got %d Graph calls, want none: the token said enough", n)
		}
	})
	t.Run("DirectoryReadIsEnough", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		f.Roles = []string{fake.GraphDirRead}
		if r := c.Test(ctx, okGraph(f, "list_users", "list_groups")); !r.OK() {
			t.Fatalf("got failed report %+v, want Directory.Read.All to cover users and groups", r.Stages)
		}
	})
	t.Run("MissingActionPermission", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		f.Roles = []string{fake.GraphUserRead}
		r := c.Test(ctx, okGraph(f, "list_users", "list_managed_devices", "list_groups"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing,
			"List Intune managed devices (needs DeviceManagementManagedDevices.Read.All); List groups (needs GroupMember.Read.All). Under API permissions", f.Login().ClientSecret)
		if s.Snippet != "roles: User.Read.All" {
			t.Fatalf("got snippet %q, want the roles claim", s.Snippet)
		}
		for _, req := range f.API().Requests() {
			if req.Path != "/v1.0/users" {
				t.Fatalf("got a call to %s, want none beyond users: the token said enough", req.Path)
			}
		}
	})
	t.Run("WrongHost", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		f.API().SetWrongProduct(true)
		mustFail(t, c.Test(ctx, okGraph(f)), linkhub.StageVerify, linkhub.ReasonNotVendor, "did not answer like Microsoft Graph", f.Login().ClientSecret)
	})
	t.Run("Throttled", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		f.Throttled = true
		mustFail(t, c.Test(ctx, okGraph(f)), linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again in 7 seconds", f.Login().ClientSecret)
	})
	t.Run("SecretIDPasted", func(t *testing.T) {
		c, f := MustGraph(t, 5*time.Second)
		r := c.Test(ctx, graphInput(f, "global", f.TenantID, f.Login().ClientID, "b1a2c3d4-0000-1111-2222-333344445555 x"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if !strings.Contains(r.FieldErrors["client_secret"], "not the Secret ID") || f.Login().TokenRequests() != 0 {
			t.Fatalf("got field errors %v after %d token requests, want one for client_secret and none", r.FieldErrors, f.Login().TokenRequests())
		}
	})
	testOutages(t, func(t *testing.T, timeout time.Duration) (*engine.Connector, linkhub.TestInput, *fake.Server, *fake.Server, string) {
		c, f := MustGraph(t, timeout)
		return c, okGraph(f), f.Login(), f.API(), f.Login().ClientSecret
	})
}

// TestMSGraph_TokenAndAction checks a linked account's token: for the
// cloud's Graph host, an hour long, and the actions answer with it.
func TestMSGraph_TokenAndAction(t *testing.T) {
	c, f := MustGraph(t, 5*time.Second)
	testTokenAndAction(t, c, okGraph(f, "list_users"), f.Login(), f.API(), actionPaths(c)...)
}
