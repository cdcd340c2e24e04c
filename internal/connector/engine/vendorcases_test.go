package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// outageFakes starts a vendor's fake and its connector with a timeout, and
// returns good input, the token and API servers (the same one when the
// vendor has one host) and the secret that must not show.
type outageFakes func(t *testing.T, timeout time.Duration) (c *engine.Connector, in linkhub.TestInput, login, api *fake.Server, secret string)

// testOutages runs the failures every vendor shares: its sign-in down (503)
// and its API never answering.
func testOutages(t *testing.T, start outageFakes) {
	t.Run("VendorDown", func(t *testing.T) {
		c, in, login, _, sec := start(t, 5*time.Second)
		login.SetDown(true)
		r := c.Test(context.Background(), in)
		if s := mustFail(t, r, linkhub.StageToken, linkhub.ReasonVendorUnavailable, "Try again", sec); s.HTTPStatus != 503 {
			t.Fatalf("got status %d, want 503", s.HTTPStatus)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		c, in, login, api, sec := start(t, 500*time.Millisecond)
		api.SetSlow(-1)
		want := linkhub.StageVerify
		if api == login {
			want = linkhub.StageToken
		}
		mustFail(t, c.Test(context.Background(), in), want, linkhub.ReasonTimeout, "did not answer", sec)
	})
}

// testTokenAndAction links with good input, then checks the linked
// account's token: an hour long, for the API server, accepted on each of
// paths; and refused once the secret is revoked at the sign-in server.
func testTokenAndAction(t *testing.T, c *engine.Connector, in linkhub.TestInput, login, api *fake.Server, paths ...string) {
	t.Helper()
	r := c.Test(context.Background(), in)
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	in.Values = r.Values
	tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != api.URL || time.Until(tok.Expiry) < 50*time.Minute {
		t.Fatalf("got base %s expiring %s, want the API fake's and an hour", tok.BaseURL, tok.Expiry)
	}
	cfg := fake.Config(5*time.Second, login.Server, api.Server)
	for _, p := range paths {
		if got := call(t, cfg, tok, p); got != 200 {
			t.Fatalf("%s: got %d, want 200", p, got)
		}
	}
	login.SetSecretRevoked(true)
	if _, err := c.Token(context.Background(), in.Credentials, r.Metadata); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
		t.Fatalf("revoked secret: got %v, want EUNAUTHORIZED", err)
	}
}

// actionPaths returns the paths of c's actions.
func actionPaths(c *engine.Connector) []string {
	var out []string
	for _, a := range c.Spec().Actions {
		out = append(out, a.Path)
	}
	return out
}
