package engine_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// optionValues returns the option values of the connector's field id.
func optionValues(t *testing.T, c *engine.Connector, id string) []string {
	t.Helper()
	for _, f := range c.Spec().Fields {
		if f.ID == id {
			var out []string
			for _, o := range f.Options {
				out = append(out, o.Value)
			}
			return out
		}
	}
	t.Fatalf("no field %q", id)
	return nil
}

// TestOnlyConfiguredRegions: with LINKHUB_CONNECTOR_<ID>_HOSTS listing some
// regions, the region field offers only those (and "I don't know"), "I
// don't know" asks only those, and a region left out is refused before
// any call; without overrides every region is offered.
func TestOnlyConfiguredRegions(t *testing.T) {
	t.Run("AllWithoutOverrides", func(t *testing.T) {
		c := engine.New(builtin(t, "rapid7"), fake.Config(time.Second))
		if got := optionValues(t, c, "region"); len(got) != 9 {
			t.Fatalf("got regions %v, want all nine", got)
		}
	})
	t.Run("OneRegion", func(t *testing.T) {
		c := MustConnector(t, "rapid7", time.Second, map[string]string{"api.eu": "https://127.0.0.1:1"})
		if got := optionValues(t, c, "region"); !slices.Equal(got, []string{"eu"}) {
			t.Fatalf("got regions %v, want [eu]", got)
		}
		r := c.Test(context.Background(), linkhub.TestInput{Credentials: creds(
			map[string]string{"region": "us"}, map[string]string{"api_key": "k"})})
		s := mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "")
		if s.Hint != "Some fields need fixing; see the messages next to them." {
			t.Errorf("got hint %q, want it plain", s.Hint)
		}
		if got := r.FieldErrors["region"]; got != "This region is not available here. Pick another one." {
			t.Fatalf("got field error %q for a region left out, stage %+v", got, s)
		}
	})
	t.Run("AutoTriesOnlyThose", func(t *testing.T) {
		ctx := context.Background()
		f := fake.NewCrowdStrike(t)
		f.Home = "eu-1"
		eu, us2 := f.Regions["eu-1"], f.Regions["us-2"]
		c := MustConnector(t, "crowdstrike", 5*time.Second,
			map[string]string{"api.eu-1": eu.URL, "api.us-2": us2.URL}, []*httptest.Server{eu.Server, us2.Server}...)
		if got := optionValues(t, c, "cloud"); !slices.Equal(got, []string{"auto", "us-2", "eu-1"}) {
			t.Fatalf("got clouds %v, want [auto us-2 eu-1]", got)
		}
		r := c.Test(ctx, csInput(f, "auto", f.ClientID, f.ClientSecret))
		if !r.OK() {
			t.Fatalf("got failed report %+v %v", r.Stages, r.FieldErrors)
		}
		if got := r.Metadata["crowdstrike_cloud"]; got != "eu-1" {
			t.Fatalf("got cloud %q, want eu-1", got)
		}
		// us-1, the default, is not here: the first configured cloud is
		// asked first, then the home cloud it named.
		if a, b, d := us2.TokenRequests(), eu.TokenRequests(), f.Regions["us-1"].TokenRequests(); a != 1 || b != 1 || d != 0 {
			t.Fatalf("got %d token requests at us-2, %d at eu-1, %d at us-1; want 1, 1, 0", a, b, d)
		}
		// A home cloud the deployment lacks is not followed.
		f.Home = "us-1"
		c.Test(ctx, csInput(f, "auto", f.ClientID, f.ClientSecret))
		if n := f.Regions["us-1"].TokenRequests(); n != 0 {
			t.Fatalf("got %d token requests at us-1, which is not configured", n)
		}
	})
}
