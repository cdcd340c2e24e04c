package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/views"
	"github.com/linkhub/linkhub/web"
)

// TestHub_OnlyConfiguredRegions: with LINKHUB_CONNECTOR_RAPID7_HOSTS listing
// one region, the hub's region list offers only that region, and a region
// left out, sent anyway, is handed to the linking service as typed and its
// refusal shown beside the field in the hub's words. That the connector
// offers and accepts only the configured regions is the engine's
// (TestOnlyConfiguredRegions); that a field rule's refusal links nothing
// and calls no vendor is linking's (TestService_Submit/ErrInvalidInput).
// No database.
func TestHub_OnlyConfiguredRegions(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.withHubSession(nil)
	e.hidden = append(e.hidden, "not-a-real-key-0000")
	registry := connector.NewRegistry(connector.Config{Hosts: connector.Hosts{
		Definitions: map[string]map[string]string{"rapid7": {"api.eu": "https://127.0.0.1:1"}}}})
	rapid7, _ := registry.Get("rapid7")
	target := &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: "rapid7", Name: "Rapid7", Enabled: true,
		Actions: []string{"search_assets"}}, Connector: rapid7}
	e.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
		if id != "p1" {
			return nil, linking.ErrNotAllowed
		}
		return target, nil
	}
	var got linking.Submission
	e.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		got = sub
		return &linking.Outcome{Kind: linking.Invalid, Target: target, FieldRules: true,
			FieldErrors: map[string]string{"region": "Region is not one of the options."}}, nil
	}

	resp, form := e.get("/hub/h1/profiles/p1")
	var regions []string
	form.Find(`#f-region option`).Each(func(_ int, s *goquery.Selection) { regions = append(regions, s.AttrOr("value", "?")) })
	if resp.StatusCode != http.StatusOK || !slices.Equal(regions, []string{"eu"}) {
		t.Fatalf("got %d and region options %q, want only eu", resp.StatusCode, regions)
	}

	resp, doc := e.post("/hub/h1/profiles/p1/connect", url.Values{"region": {"us"}, "api_key": {"not-a-real-key-0000"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200 and the form again", resp.StatusCode)
	}
	if got.Form.Values["region"] != "us" || got.Form.Secrets["api_key"].Reveal() != "not-a-real-key-0000" {
		t.Errorf("the service got values %v, want region us and the key as a secret", got.Form.Values)
	}
	want := fmt.Sprintf(views.English.FieldOption, "Region")
	if msg := strings.TrimSpace(doc.Find(`[data-testid="error-region"]`).Text()); !strings.Contains(msg, want) {
		h, _ := doc.Find("main").Html()
		t.Fatalf("got %q, want %q for a region left out:\n%s", msg, want, h)
	}
}
