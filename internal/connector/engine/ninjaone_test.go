package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// MustNinjaOne starts two fake regions, app (which does not know the
// credentials) and eu (which does), and the ninjaone definition's connector
// pointed at them (LINKHUB_CONNECTOR_NINJAONE_HOSTS=instance.app=...,instance.eu=...).
func MustNinjaOne(t *testing.T) (*engine.Connector, *fake.NinjaOne, *fake.NinjaOne) {
	t.Helper()
	app, eu := fake.NewNinjaOne(t), fake.NewNinjaOne(t)
	return MustConnector(t, "ninjaone", 2*time.Second, map[string]string{"instance.app": app.URL, "instance.eu": eu.URL},
		app.Server.Server, eu.Server.Server), app, eu
}

func ninjaInput(region, id, sec string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: linkhub.Credentials{
		Values:  map[string]string{"region": region, "client_id": id},
		Secrets: map[string]secret.Value{"client_secret": secret.New(sec)},
	}, Actions: actions}
}

// ninjaMustFail checks that stage n failed with reason and a hint.
func ninjaMustFail(t *testing.T, r linkhub.Report, n linkhub.StageName, reason string) linkhub.Stage {
	t.Helper()
	s := mustFail(t, r, n, reason, "")
	if s.Hint == "" {
		t.Fatalf("stage %s: got no hint", n)
	}
	return s
}

func TestNinjaOne_Test(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		r := c.Test(context.Background(), ninjaInput("eu", eu.ClientID, eu.ClientSecret, "list_devices", "list_organizations"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := r.Metadata["organization_count"], "2"; got != want {
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
		r := c.Test(context.Background(), ninjaInput("auto", eu.ClientID, eu.ClientSecret))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got, want := r.Metadata["ninjaone_region"], "eu"; got != want {
			t.Fatalf("got region %q, want %q", got, want)
		}
		if got, want := r.Values["region"], "eu"; got != want {
			t.Fatalf("got stored region %q, want %q", got, want)
		}
		if app.TokenRequests() != 1 || eu.TokenRequests() != 1 {
			t.Fatalf("got %d/%d token requests to app/eu, want 1/1", app.TokenRequests(), eu.TokenRequests())
		}
	})
	t.Run("OKAutoRegionPastOutage", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		app.SetFlaky(true) // the first request, to app, gets a 503
		r := c.Test(context.Background(), ninjaInput("auto", eu.ClientID, eu.ClientSecret))
		if got, want := r.Metadata["ninjaone_region"], "eu"; !r.OK() || got != want {
			t.Fatalf("got region %q (ok=%v), want %q", got, r.OK(), want)
		}
	})
	t.Run("ErrAutoOutageReported", func(t *testing.T) {
		c, app, eu := MustNinjaOne(t)
		app.SetDown(true)
		ninjaMustFail(t, c.Test(context.Background(), ninjaInput("auto", eu.ClientID, "wrong")),
			linkhub.StageToken, linkhub.ReasonVendorUnavailable)
	})
	t.Run("ErrAutoNoRegionAccepts", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		s := ninjaMustFail(t, c.Test(context.Background(), ninjaInput("auto", eu.ClientID, "wrong")),
			linkhub.StageToken, linkhub.ReasonBadCredentials)
		if !strings.Contains(s.Hint, "No NinjaOne region") {
			t.Fatalf("got hint %q, want it to say no region accepted", s.Hint)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		s := ninjaMustFail(t, c.Test(context.Background(), ninjaInput("eu", eu.ClientID, "wrong")), linkhub.StageToken, linkhub.ReasonBadCredentials)
		if s.HTTPStatus != 400 {
			t.Fatalf("got status %d, want 400", s.HTTPStatus)
		}
	})
	t.Run("ErrScopeNotGranted", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		eu.Scopes = []string{"monitoring"}
		s := ninjaMustFail(t, c.Test(context.Background(), ninjaInput("eu", eu.ClientID, eu.ClientSecret)), linkhub.StageToken, linkhub.ReasonScopeNotGranted)
		if !strings.Contains(s.Snippet, "invalid_scope") {
			t.Fatalf("got snippet %q, want the vendor's invalid_scope", s.Snippet)
		}
	})
	t.Run("ErrUnknownRegion", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		r := c.Test(context.Background(), ninjaInput("mars", eu.ClientID, eu.ClientSecret))
		ninjaMustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput)
		if r.FieldErrors["region"] == "" {
			t.Fatalf("got errors %v, want one for region", r.FieldErrors)
		}
	})
	t.Run("ErrNotAnArray", func(t *testing.T) {
		c, _, eu := MustNinjaOne(t)
		eu.Organizations = -1 // the fake answers null
		ninjaMustFail(t, c.Test(context.Background(), ninjaInput("eu", eu.ClientID, eu.ClientSecret)), linkhub.StageVerify, linkhub.ReasonUnexpectedResponse)
	})
}

func TestNinjaOne_Token(t *testing.T) {
	c, _, eu := MustNinjaOne(t)
	in := ninjaInput("auto", eu.ClientID, eu.ClientSecret)
	r := c.Test(context.Background(), in)
	tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != eu.URL || tok.AccessToken.IsZero() {
		t.Fatalf("got base %q, want %q and a token", tok.BaseURL, eu.URL)
	}
}

// TestNinjaOne_OnlyConfiguredRegions: with LINKHUB_CONNECTOR_NINJAONE_HOSTS listing
// some regions, the form offers only those (and "I don't know"), and "I
// don't know" asks only those; without it every region is offered.
func TestNinjaOne_OnlyConfiguredRegions(t *testing.T) {
	regionValues := func(c *engine.Connector) []string {
		var out []string
		for _, f := range c.Spec().Fields {
			if f.ID == "region" {
				for _, o := range f.Options {
					out = append(out, o.Value)
				}
			}
		}
		return out
	}
	eu := fake.NewNinjaOne(t)
	c := MustConnector(t, "ninjaone", 2*time.Second, map[string]string{"instance.eu": eu.URL}, eu.Server.Server)
	if got, want := strings.Join(regionValues(c), ","), "auto,eu"; got != want {
		t.Fatalf("got region options %s, want %s", got, want)
	}
	r := c.Test(context.Background(), ninjaInput("auto", eu.ClientID, eu.ClientSecret))
	if got := r.Metadata["ninjaone_region"]; !r.OK() || got != "eu" {
		t.Fatalf("got region %q (ok=%v), want eu", got, r.OK())
	}
	if got, want := strings.Join(regionValues(engine.New(builtin(t, "ninjaone"), kit.Config{})), ","), "auto,app,us2,eu,ca,oc"; got != want {
		t.Fatalf("got region options %s without overrides, want %s", got, want)
	}
}
