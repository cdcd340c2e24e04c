package engine_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MustCrowdStrike starts the fake clouds and the crowdstrike definition's
// connector pointed at them.
func MustCrowdStrike(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.CrowdStrike) {
	t.Helper()
	f := fake.NewCrowdStrike(t)
	var servers []*httptest.Server
	for _, s := range f.Regions {
		servers = append(servers, s.Server)
	}
	return MustConnector(t, "crowdstrike", timeout, f.HostOverrides(), servers...), f
}

func csInput(f *fake.CrowdStrike, cloud, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"cloud": cloud, "client_id": id},
		map[string]string{"client_secret": sec}), Actions: actions}
}

func TestCrowdStrike_Test(t *testing.T) {
	ctx := context.Background()
	t.Run("OKFindsTheCloud", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		r := c.Test(ctx, csInput(f, "auto", f.ClientID, f.ClientSecret, "list_hosts", "list_alerts"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Metadata["crowdstrike_cloud"]; got != "us-2" {
			t.Fatalf("got cloud %q, want us-2 (the X-CS-Region of the token answer)", got)
		}
		if got := r.Values["cloud"]; got != "us-2" {
			t.Fatalf("got stored cloud value %q, want us-2", got)
		}
		if got := r.Metadata["host_count"]; got != "42" {
			t.Fatalf("got host count %q, want 42", got)
		}
		if s := stage(r, linkhub.StageToken); s.HTTPStatus != 201 {
			t.Fatalf("got token status %d, want 201", s.HTTPStatus)
		}
		if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
			t.Fatalf("got permissions %+v, want passed", s)
		}
		// us-1 first (the default), then the home cloud it named.
		if a, b := f.Regions["us-1"].TokenRequests(), f.Regions["us-2"].TokenRequests(); a != 1 || b != 1 {
			t.Fatalf("got %d token requests at us-1 and %d at us-2, want 1 and 1", a, b)
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongSecret", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		wrong := "Wrong0000000000000000000000000000000000x"
		r := c.Test(ctx, csInput(f, "us-2", f.ClientID, wrong))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "refused the client ID or the secret", wrong); s.HTTPStatus != 403 {
			t.Fatalf("got status %d, want 403", s.HTTPStatus)
		}
	})
	t.Run("UnknownClient", func(t *testing.T) {
		// CrowdStrike answers an unknown client exactly like a wrong secret.
		c, f := MustCrowdStrike(t, 5*time.Second)
		r := c.Test(ctx, csInput(f, "us-2", "00000000000000000000000000000000", f.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonBadCredentials, "does not say which", f.ClientSecret)
	})
	t.Run("MissingHostsScope", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		f.Scopes = []string{fake.ScopeAlertsRead}
		r := c.Test(ctx, csInput(f, "us-2", f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonPermissionMissing, "Hosts: Read", f.ClientSecret)
	})
	t.Run("MissingActionScope", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		f.Scopes = []string{fake.ScopeHostsRead, fake.ScopeAlertsRead}
		r := c.Test(ctx, csInput(f, "us-2", f.ClientID, f.ClientSecret, "list_hosts", "list_users"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "List users (needs User management: Read)", f.ClientSecret)
		if s.HTTPStatus != 403 {
			t.Fatalf("got status %d, want 403", s.HTTPStatus)
		}
	})
	t.Run("WrongCloud", func(t *testing.T) {
		// A GovCloud client is never moved to automatically: the token comes
		// back, the chosen cloud's API refuses it.
		c, f := MustCrowdStrike(t, 5*time.Second)
		f.Home = "us-gov-1"
		r := c.Test(ctx, csInput(f, "us-1", f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "lives in another cloud", f.ClientSecret)
	})
	t.Run("WrongCloudChosenIsCorrected", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		r := c.Test(ctx, csInput(f, "eu-1", f.ClientID, f.ClientSecret))
		if !r.OK() || r.Metadata["crowdstrike_cloud"] != "us-2" {
			t.Fatalf("got %+v with metadata %v, want passed in us-2", r.Stages, r.Metadata)
		}
	})
	t.Run("VendorDown", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		f.Regions["us-2"].SetDown(true)
		r := c.Test(ctx, csInput(f, "us-2", f.ClientID, f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonVendorUnavailable, "Try again", f.ClientSecret); s.HTTPStatus != 503 {
			t.Fatalf("got status %d, want 503", s.HTTPStatus)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 500*time.Millisecond)
		f.Regions["us-2"].SetSlow(-1)
		r := c.Test(ctx, csInput(f, "us-2", f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonTimeout, "did not answer", f.ClientSecret)
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, csInput(f, "us-2", f.ClientID, f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "used up until", f.ClientSecret)
	})
	t.Run("BadClientID", func(t *testing.T) {
		c, f := MustCrowdStrike(t, 5*time.Second)
		r := c.Test(ctx, csInput(f, "us-2", "not-hex", f.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if r.FieldErrors["client_id"] == "" || f.TokenRequests() != 0 {
			t.Fatalf("got field errors %v after %d token requests, want one for client_id and none", r.FieldErrors, f.TokenRequests())
		}
	})
}

// TestCrowdStrike_TokenAndAction checks the token of a linked account: it
// comes from the discovered cloud, and an action's path answers with it.
func TestCrowdStrike_TokenAndAction(t *testing.T) {
	c, f := MustCrowdStrike(t, 5*time.Second)
	in := csInput(f, "auto", f.ClientID, f.ClientSecret)
	r := c.Test(context.Background(), in)
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	in.Values = r.Values
	tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.Regions["us-2"].URL || time.Until(tok.Expiry) < 20*time.Minute {
		t.Fatalf("got base %s expiring %s, want the us-2 fake's and 30 minutes", tok.BaseURL, tok.Expiry)
	}
	var servers []*httptest.Server
	for _, s := range f.Regions {
		servers = append(servers, s.Server)
	}
	if got := call(t, fake.Config(5*time.Second, servers...), tok, c.Spec().Actions[0].Path); got != 200 {
		t.Fatalf("action %s: got %d, want 200", c.Spec().Actions[0].ID, got)
	}
	f.Regions["us-2"].SetSecretRevoked(true)
	if _, err := c.Token(context.Background(), in.Credentials, r.Metadata); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Fatalf("revoked secret: got %v, want EUNAUTHORIZED", err)
	}
}
