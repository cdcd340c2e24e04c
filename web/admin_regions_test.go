package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestAdmin_ProfileOnlyConfiguredRegions: with LINKHUB_CONNECTOR_RAPID7_HOSTS
// listing one region, the profile form offers only that region, and a
// region left out reaches the service as picked and its refusal is shown
// beside the field. That the service refuses it and stores nothing is
// TestProfileService_OnlyConfiguredRegions's; which regions a connector
// offers, engine's TestOnlyConfiguredRegions. No database.
func TestAdmin_ProfileOnlyConfiguredRegions(t *testing.T) {
	t.Parallel()
	cfg := fake.Config(time.Second)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"rapid7": {"api.eu": "https://127.0.0.1:1"}}}
	e := admMockEnvWith(t, cfg)
	admWithSessions(e, admAda())
	admMustLogin(t, e, e.client, "ada@example.com")
	rapid7, _ := connector.NewRegistry(cfg).Get("rapid7")
	var mu sync.Mutex
	var got []*linkhub.Profile
	e.profiles.CreateProfileFn = func(_ context.Context, _ linkhub.Actor, p *linkhub.Profile, _ map[string]secret.Value) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, p.Clone())
		if pp := linkhub.CheckProfile(rapid7.Spec(), p); pp != nil { // what the service checks
			return pp
		}
		return nil
	}

	_, doc := e.get("/admin/profiles/new?connector=rapid7")
	var options []string
	doc.Find(`#field-region option`).Each(func(_ int, s *goquery.Selection) {
		options = append(options, s.AttrOr("value", "?"))
	})
	if !slices.Equal(options, []string{"", "eu"}) {
		t.Fatalf("got region options %q, want only the empty choice and eu", options)
	}

	resp, doc := e.post("/admin/profiles", url.Values{"connector": {"rapid7"}, "name": {"Rapid7"},
		"field.region": {"us"}, "actions": {"search_assets"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", resp.StatusCode)
	}
	if msg := doc.Find(`[data-testid="field-region-error"]`).Text(); msg == "" {
		h, _ := doc.Find("main").Html()
		t.Errorf("no message for a region left out:\n%s", h)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].ConnectorID != "rapid7" || got[0].Name != "Rapid7" || got[0].Values["region"] != "us" ||
		!slices.Equal(got[0].Actions, []string{"search_assets"}) {
		t.Errorf("CreateProfile got %+v, want rapid7 named Rapid7 in region us with search_assets", got)
	}
}
