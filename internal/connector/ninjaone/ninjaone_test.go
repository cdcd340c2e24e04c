package ninjaone_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/ninjaone"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// MustNinjaOne starts two fake regions, app (which does not know the
// credentials) and eu (which does), and a connector pointed at them.
func MustNinjaOne(t *testing.T) (*ninjaone.Connector, *fake.NinjaOne, *fake.NinjaOne) {
	t.Helper()
	app, eu := fake.NewNinjaOne(t), fake.NewNinjaOne(t)
	cfg := fake.Config(2*time.Second, app.Server.Server, eu.Server.Server)
	cfg.Hosts = kit.Hosts{NinjaOne: map[string]string{"app": app.URL, "eu": eu.URL}}
	return ninjaone.New(cfg), app, eu
}

func input(region, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: linkhub.Credentials{
		Values:  map[string]string{ninjaone.FieldRegion: region, ninjaone.FieldClientID: id},
		Secrets: map[string]secret.Value{ninjaone.FieldClientSecret: secret.New(sec)},
	}, Actions: actions}
}

func stage(r linkhub.Report, n linkhub.StageName) linkhub.Stage {
	for _, s := range r.Stages {
		if s.Name == n {
			return s
		}
	}
	return linkhub.Stage{}
}

func mustFail(t *testing.T, r linkhub.Report, n linkhub.StageName, reason string) linkhub.Stage {
	t.Helper()
	s := stage(r, n)
	if s.Status != linkhub.StatusFailed || s.Reason != reason || s.Hint == "" {
		t.Fatalf("stage %s: got %s/%s (%q), want failed/%s with a hint", n, s.Status, s.Reason, s.Hint, reason)
	}
	return s
}

func TestConnector_Test(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		r := c.Test(context.Background(), input("eu", eu.ClientID, eu.ClientSecret, ninjaone.ActionListDevices, ninjaone.ActionListOrganizations))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := r.Metadata[ninjaone.MetaOrganizationCount], "2"; got != want {
			t.Fatalf("got organization count %q, want %q", got, want)
		}
		if got := app.TokenRequests(); got != 0 {
			t.Fatalf("got %d token requests to app, want 0 when the region is given", got)
		}
		if got := stage(r, linkhub.StagePermissions).Status; got != linkhub.StatusPassed {
			t.Fatalf("got permissions %s, want passed", got)
		}
	})
	t.Run("OKAutoRegion", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		r := c.Test(context.Background(), input(ninjaone.RegionAuto, eu.ClientID, eu.ClientSecret))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := r.Metadata[ninjaone.MetaRegion], "eu"; got != want {
			t.Fatalf("got region %q, want %q", got, want)
		}
		if got, want := r.Values[ninjaone.FieldRegion], "eu"; got != want {
			t.Fatalf("got stored region %q, want %q", got, want)
		}
		if app.TokenRequests() != 1 || eu.TokenRequests() != 1 {
			t.Fatalf("got %d/%d token requests to app/eu, want 1/1", app.TokenRequests(), eu.TokenRequests())
		}
	})
	t.Run("OKAutoRegionPastOutage", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		app.SetFlaky(true) // the first request, to app, gets a 503
		r := c.Test(context.Background(), input(ninjaone.RegionAuto, eu.ClientID, eu.ClientSecret))
		if got, want := r.Metadata[ninjaone.MetaRegion], "eu"; !r.OK() || got != want {
			t.Fatalf("got region %q (ok=%v), want %q", got, r.OK(), want)
		}
	})
	t.Run("ErrAutoOutageReported", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		app.SetDown(true)
		mustFail(t, c.Test(context.Background(), input(ninjaone.RegionAuto, eu.ClientID, "wrong")),
			linkhub.StageToken, linkhub.ReasonVendorUnavailable)
	})
	t.Run("ErrAutoNoRegionAccepts", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		s := mustFail(t, c.Test(context.Background(), input(ninjaone.RegionAuto, eu.ClientID, "wrong")),
			linkhub.StageToken, linkhub.ReasonBadCredentials)
		if !strings.Contains(s.Hint, "No NinjaOne region") {
			t.Fatalf("got hint %q, want it to say no region accepted", s.Hint)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		s := mustFail(t, c.Test(context.Background(), input("eu", eu.ClientID, "wrong")), linkhub.StageToken, linkhub.ReasonBadCredentials)
		if s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("ErrScopeNotGranted", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		eu.Scopes = []string{"monitoring"}
		s := mustFail(t, c.Test(context.Background(), input("eu", eu.ClientID, eu.ClientSecret)), linkhub.StageToken, linkhub.ReasonScopeNotGranted)
		if !strings.Contains(s.Snippet, "invalid_scope") {
			t.Fatalf("got snippet %q, want the vendor's invalid_scope", s.Snippet)
		}
	})
	t.Run("ErrUnknownRegion", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		r := c.Test(context.Background(), input("mars", eu.ClientID, eu.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput)
		if r.FieldErrors[ninjaone.FieldRegion] == "" {
			t.Fatalf("got errors %v, want one for region", r.FieldErrors)
		}
	})
	t.Run("ErrNotAnArray", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		eu.Organizations = -1 // the fake answers null
		mustFail(t, c.Test(context.Background(), input("eu", eu.ClientID, eu.ClientSecret)), linkhub.StageVerify, linkhub.ReasonUnexpectedResponse)
	})
}

func TestConnector_Token(t *testing.T) {
	c, _, eu := MustNinjaOne(t)
	in := input(ninjaone.RegionAuto, eu.ClientID, eu.ClientSecret)
	r := c.Test(context.Background(), in)
	tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != eu.URL || tok.AccessToken.IsZero() {
		t.Fatalf("got base %q, want %q and a token", tok.BaseURL, eu.URL)
	}
}

// TestConnector_OnlyConfiguredRegions: with LINKHUB_NINJAONE_URLS listing
// some regions, the form offers only those (and "I don't know"), and "I
// don't know" asks only those; without it every region is offered.
func TestConnector_OnlyConfiguredRegions(t *testing.T) {
	regionValues := func(c *ninjaone.Connector) []string {
		var out []string
		for _, f := range c.Spec().Fields {
			if f.ID == ninjaone.FieldRegion {
				for _, o := range f.Options {
					out = append(out, o.Value)
				}
			}
		}
		return out
	}
	eu := fake.NewNinjaOne(t)
	cfg := fake.Config(2*time.Second, eu.Server.Server)
	cfg.Hosts = kit.Hosts{NinjaOne: map[string]string{"eu": eu.URL}}
	c := ninjaone.New(cfg)
	if got, want := strings.Join(regionValues(c), ","), "auto,eu"; got != want {
		t.Fatalf("got region options %s, want %s", got, want)
	}
	r := c.Test(context.Background(), input(ninjaone.RegionAuto, eu.ClientID, eu.ClientSecret))
	if got := r.Metadata[ninjaone.MetaRegion]; !r.OK() || got != "eu" {
		t.Fatalf("got region %q (ok=%v), want eu", got, r.OK())
	}
	if got, want := strings.Join(regionValues(ninjaone.New(kit.Config{})), ","), "auto,app,us2,eu,ca,oc"; got != want {
		t.Fatalf("got region options %s without overrides, want %s", got, want)
	}
}
