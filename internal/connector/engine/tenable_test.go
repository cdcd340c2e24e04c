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

// MustTenable starts two fake Tenable platforms, the commercial one and
// FedRAMP (with keys of its own), and the tenable definition's connector
// pointed at them.
func MustTenable(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Tenable, *fake.Tenable) {
	t.Helper()
	f, fed := fake.NewTenable(t), fake.NewTenable(t)
	return MustConnector(t, "tenable", timeout, map[string]string{"api.cloud": f.URL, "api.fedcloud": fed.URL},
		f.Server.Server, fed.Server.Server), f, fed
}

func tenableInput(platform, access, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"platform": platform, "access_key": access},
		map[string]string{"secret_key": sec}), Actions: actions}
}

func TestTenable_Test(t *testing.T) {
	ctx := context.Background()
	vendorFailures(t, func(d time.Duration) (*engine.Connector, *fake.Server) {
		c, f, _ := MustTenable(t, d)
		return c, f.Server
	}, func(s *fake.Server) linkhub.TestInput {
		return tenableInput("cloud", s.ClientID, s.ClientSecret)
	}, "not like Tenable Vulnerability Management")
	t.Run("OK", func(t *testing.T) {
		c, f, fed := MustTenable(t, 5*time.Second)
		r := c.Test(ctx, tenableInput("cloud", f.ClientID, f.ClientSecret, "list_assets", "list_users"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if r.Metadata["tenable_user"] != f.Username || r.Metadata["tenable_container"] != f.Container || r.Metadata["tenable_role"] != "64" {
			t.Fatalf("got metadata %v, want the keys' user, container and role 64", r.Metadata)
		}
		if s := stage(r, linkhub.StageToken); s.Status != linkhub.StatusSkipped {
			t.Fatalf("got token stage %+v, want skipped: the keys go with every call", s)
		}
		header := "X-Apikeys: accessKey=" + f.ClientID + "; secretKey=" + f.ClientSecret
		if n := len(f.Sightings(header)); n != 3 {
			t.Fatalf("got the X-ApiKeys header in %d requests, want 3 (session and a probe per action)", n)
		}
		if len(fed.Requests()) != 0 {
			t.Fatal("the test reached FedRAMP")
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f, _ := MustTenable(t, 5*time.Second)
		wrong := strings.Repeat("0", 64)
		r := c.Test(ctx, tenableInput("cloud", f.ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "refused the access key or secret key", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("UnknownAccessKey", func(t *testing.T) {
		c, f, _ := MustTenable(t, 5*time.Second)
		r := c.Test(ctx, tenableInput("cloud", strings.Repeat("a", 64), f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "Check both", f.ClientSecret)
	})
	t.Run("RegeneratedKeys", func(t *testing.T) {
		c, f, _ := MustTenable(t, 5*time.Second)
		f.SetSecretRevoked(true)
		r := c.Test(ctx, tenableInput("cloud", f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "use the newest", f.ClientSecret)
	})
	t.Run("WrongPlatform", func(t *testing.T) {
		c, f, fed := MustTenable(t, 5*time.Second)
		r := c.Test(ctx, tenableInput("fedcloud", f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "do not work on FedRAMP", f.ClientSecret)
		if len(fed.Requests()) != 1 || len(f.Requests()) != 0 {
			t.Fatalf("got %d requests at FedRAMP and %d at cloud, want the one at the platform picked", len(fed.Requests()), len(f.Requests()))
		}
	})
	t.Run("NotKeys", func(t *testing.T) {
		c, f, _ := MustTenable(t, 5*time.Second)
		r := c.Test(ctx, tenableInput("cloud", "accessKey="+f.ClientID, f.ClientSecret+" "))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing", f.ClientSecret)
		if !strings.Contains(r.FieldErrors["access_key"], "64 letters a-f") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want the key's message and none", r.FieldErrors, len(f.Requests()))
		}
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f, _ := MustTenable(t, 5*time.Second)
		f.Role, f.CanViewAssets = 16, false
		r := c.Test(ctx, tenableInput("cloud", f.ClientID, f.ClientSecret, "list_assets", "list_users"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Can View", f.ClientSecret)
		if s.HTTPStatus != 403 || !strings.Contains(s.Hint, "List assets") || !strings.Contains(s.Hint, "List users") {
			t.Fatalf("got %d %q, want 403 naming both actions", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f, _ := MustTenable(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, tenableInput("cloud", f.ClientID, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again in 30 seconds", f.ClientSecret); s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestTenable_TokenAndAction checks that the token API hands out the
// X-ApiKeys header, and that the proxy's way of sending it reaches an action.
func TestTenable_TokenAndAction(t *testing.T) {
	c, f, _ := MustTenable(t, 5*time.Second)
	tok, err := c.Token(context.Background(), tenableInput("cloud", f.ClientID, f.ClientSecret).Credentials, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.URL || tok.Headers["X-ApiKeys"] != "accessKey="+f.ClientID+"; secretKey="+f.ClientSecret {
		t.Fatalf("got base %s and %d headers, want the platform and the X-ApiKeys header", tok.BaseURL, len(tok.Headers))
	}
	if got := call(t, fake.Config(5*time.Second, f.Server.Server), tok, "/assets"); got != 200 {
		t.Fatalf("action list_assets: got %d, want 200", got)
	}
}
