package engine_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// apiKeyStart starts an API-key vendor's fake and its connector with the
// given timeout, and returns the input that links it.
type apiKeyStart func(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Server, linkhub.TestInput)

// testAPIKeyOutages runs the failure classes every API-key vendor shares,
// all in the verify stage since there is no token call: an address that
// is some other web server (404) or product (200 HTML), the vendor down
// (5xx) and no answer (timeout).
func testAPIKeyOutages(t *testing.T, start apiKeyStart, notVendorHint string) {
	ctx := context.Background()
	modes := map[string]func(*fake.Server){
		"WrongHost":    func(f *fake.Server) { f.SetNotFound(true) },
		"OtherProduct": func(f *fake.Server) { f.SetWrongProduct(true) },
	}
	for name, set := range modes {
		t.Run(name, func(t *testing.T) {
			c, f, in := start(t, 5*time.Second)
			set(f)
			r := c.Test(ctx, in)
			mustFail(t, r, linkhub.StageVerify, linkhub.ReasonNotVendor, notVendorHint, f.ClientSecret)
		})
	}
	t.Run("VendorDown", func(t *testing.T) {
		c, f, in := start(t, 5*time.Second)
		f.SetDown(true)
		r := c.Test(ctx, in)
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again", f.ClientSecret); s.HTTPStatus != 503 {
			t.Fatalf("got status %d, want 503", s.HTTPStatus)
		}
	})
	t.Run("Timeout", func(t *testing.T) {
		c, f, in := start(t, 500*time.Millisecond)
		f.SetSlow(-1)
		r := c.Test(ctx, in)
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonTimeout, "did not answer", f.ClientSecret)
	})
}

// testAPIKeyToken checks that the token API hands out the key in the
// Authorization header with the vendor's scheme, and that the proxy's way of
// sending it reaches action path; no request carries it another way.
func testAPIKeyToken(t *testing.T, start apiKeyStart, scheme, path string) {
	c, f, in := start(t, 5*time.Second)
	header := scheme + " " + f.ClientSecret
	tok, err := c.Token(context.Background(), in.Credentials, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.URL || tok.Headers["Authorization"] != header {
		t.Fatalf("got base %s and %d headers, want %s and the vendor's Authorization header", tok.BaseURL, len(tok.Headers), f.URL)
	}
	if got := call(t, fake.Config(5*time.Second, f.Server), tok, path); got != 200 {
		t.Fatalf("action %s: got %d, want 200", path, got)
	}
	if n, want := len(f.Sightings(f.ClientSecret)), len(f.Sightings(header)); n != want || n == 0 {
		t.Fatalf("the key reached the vendor in %d requests, %d of them with %q; want all", n, want, header)
	}
}
