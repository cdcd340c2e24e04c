package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestAdmin_ProfileOnlyConfiguredRegions: with LINKHUB_CONNECTOR_RAPID7_HOSTS
// listing one region, the profile form offers only that region, and a
// region left out is refused with a clear message and stores nothing.
func TestAdmin_ProfileOnlyConfiguredRegions(t *testing.T) {
	cfg := fake.Config(time.Second)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"rapid7": {"api.eu": "https://127.0.0.1:1"}}}
	env := newAdminEnvWith(t, cfg)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")

	_, doc := b.get("/admin/profiles/new?connector=rapid7")
	var got []string
	doc.Find(`#field-region option`).Each(func(_ int, s *goquery.Selection) {
		got = append(got, s.AttrOr("value", "?"))
	})
	if !slices.Equal(got, []string{"", "eu"}) {
		t.Fatalf("got region options %q, want only the empty choice and eu", got)
	}

	resp, doc := b.post("/admin/profiles", url.Values{"connector": {"rapid7"}, "name": {"Rapid7"},
		"field.region": {"us"}, "actions": {"search_assets"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("got %d, want 422", resp.StatusCode)
	}
	if msg := doc.Find(`[data-testid="field-region-error"]`).Text(); msg == "" {
		h, _ := doc.Find("main").Html()
		t.Errorf("no message for a region left out:\n%s", h)
	}
	if ps, err := env.profiles.FindProfiles(t.Context(), linkhub.ProfileFilter{}); err != nil || len(ps) != 0 {
		t.Fatalf("got profiles %v (%v), want none stored", ps, err)
	}
}
