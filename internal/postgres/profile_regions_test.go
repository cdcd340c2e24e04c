package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestProfileService_OnlyConfiguredRegions: with LINKHUB_CONNECTOR_RAPID7_HOSTS
// listing one region, a profile preset to a region left out is refused on
// the region field and nothing is stored.
func TestProfileService_OnlyConfiguredRegions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	cfg := fake.Config(time.Second)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"rapid7": {"api.eu": "https://127.0.0.1:1"}}}
	profiles := postgres.NewProfileService(db, MustKeyring(t, map[int]string{}, 1, 1),
		postgres.CheckProfilesWith(connector.NewRegistry(cfg)))

	err := profiles.CreateProfile(ctx, linkhub.SystemActor, &linkhub.Profile{ConnectorID: "rapid7", Name: "Rapid7",
		Actions: []string{"search_assets"}, Values: map[string]string{"region": "us"}}, nil)
	var pp linkhub.ProfileProblems
	if !errors.As(err, &pp) || pp["region"] == "" {
		t.Fatalf("got %v, want a problem on the region", err)
	}
	if list, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{}); err != nil || len(list) != 0 {
		t.Fatalf("got profiles %v (%v), want none stored", list, err)
	}
	if err := profiles.CreateProfile(ctx, linkhub.SystemActor, &linkhub.Profile{ConnectorID: "rapid7", Name: "Rapid7",
		Actions: []string{"search_assets"}, Values: map[string]string{"region": "eu"}}, nil); err != nil {
		t.Fatalf("the configured region: %v", err)
	}
}
