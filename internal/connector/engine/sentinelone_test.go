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

// MustSentinelOne starts a fake SentinelOne console and the sentinelone
// definition's connector; the console's address is what the user types.
func MustSentinelOne(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.SentinelOne) {
	t.Helper()
	f := fake.NewSentinelOne(t)
	return MustConnector(t, "sentinelone", timeout, nil, f.Server.Server), f
}

func startSentinelOne(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Server, linkhub.TestInput) {
	c, f := MustSentinelOne(t, timeout)
	return c, f.Server, sentinelOneInput(f.URL, f.ClientSecret)
}

func sentinelOneInput(console, token string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"console_url": console},
		map[string]string{"api_token": token}), Actions: actions}
}

func TestSentinelOne_Test(t *testing.T) {
	ctx := context.Background()
	testAPIKeyOutages(t, startSentinelOne, "not like a SentinelOne console")
	t.Run("OK", func(t *testing.T) {
		c, f := MustSentinelOne(t, 5*time.Second)
		r := c.Test(ctx, sentinelOneInput(" "+f.Host()+"/incidents/threats ", f.ClientSecret, "list_agents", "list_threats"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Values["console_url"]; got != f.URL {
			t.Fatalf("got stored console %q, want %q", got, f.URL)
		}
		if r.Metadata["sentinelone_site"] != f.Site || r.Metadata["sentinelone_sites"] != "1" {
			t.Fatalf("got metadata %v, want the site's name and a count of 1", r.Metadata)
		}
		if s := stage(r, linkhub.StageToken); s.Status != linkhub.StatusSkipped {
			t.Fatalf("got token stage %+v, want skipped: an API token needs no sign-in", s)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		if n := len(f.Sightings("ApiToken " + f.ClientSecret)); n != 3 {
			t.Fatalf("got the ApiToken header in %d requests, want 3 (sites and two probes)", n)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongToken", func(t *testing.T) {
		c, f := MustSentinelOne(t, 5*time.Second)
		wrong := strings.Repeat("x", 64)
		r := c.Test(ctx, sentinelOneInput(f.URL, wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "SentinelOne refused the API token", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
	})
	t.Run("RevokedToken", func(t *testing.T) {
		c, f := MustSentinelOne(t, 5*time.Second)
		f.SetSecretRevoked(true)
		r := c.Test(ctx, sentinelOneInput(f.URL, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "expired or revoked", f.ClientSecret)
	})
	// A token has no client id beside it: the "unknown client" of this
	// vendor is a good token of another console, which that console does
	// not know.
	t.Run("TokenOfAnotherConsole", func(t *testing.T) {
		f, other := fake.NewSentinelOne(t), fake.NewSentinelOne(t)
		c := MustConnector(t, "sentinelone", 5*time.Second, nil, f.Server.Server, other.Server.Server)
		r := c.Test(ctx, sentinelOneInput(f.URL, other.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "belongs to another console than "+f.URL, other.ClientSecret)
	})
	t.Run("NotAToken", func(t *testing.T) {
		c, f := MustSentinelOne(t, 5*time.Second)
		r := c.Test(ctx, sentinelOneInput(f.URL, "ApiToken abc"))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if !strings.Contains(r.FieldErrors["api_token"], `without "ApiToken" in front`) || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want the token's message and none", r.FieldErrors, len(f.Requests()))
		}
	})
	t.Run("MissingPermission", func(t *testing.T) {
		c, f := MustSentinelOne(t, 5*time.Second)
		f.Viewer = false
		r := c.Test(ctx, sentinelOneInput(f.URL, f.ClientSecret, "list_agents", "list_activities"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Give the service user the Viewer role", f.ClientSecret)
		if s.HTTPStatus != 403 || !strings.Contains(s.Hint, "List agents") || !strings.Contains(s.Hint, "List activities") {
			t.Fatalf("got %d %q, want 403 naming both actions", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustSentinelOne(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, sentinelOneInput(f.URL, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "rate limit", f.ClientSecret); s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestSentinelOne_TokenAndAction checks that the token API hands out the
// key with the ApiToken header (never Bearer), and that it reaches an action.
func TestSentinelOne_TokenAndAction(t *testing.T) {
	testAPIKeyToken(t, startSentinelOne, "ApiToken", "/web/api/v2.1/threats?limit=10")
}
