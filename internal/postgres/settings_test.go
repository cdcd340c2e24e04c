package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestSettingsService_Cache: a change shows at once in the process that
// made it and within SettingsCacheTTL in another; a caller changing what it
// got does not change the cache.
func TestSettingsService_Cache(t *testing.T) {
	ctx := context.Background()
	db := pgtest.DB(t)
	here, there := postgres.NewSettingsService(db), postgres.NewSettingsService(db)
	now := time.Now()
	there.SetClock(func() time.Time { return now })
	origins := func(s *postgres.SettingsService) []string {
		t.Helper()
		st, err := s.FindSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st.EmbedOrigins
	}
	if got := origins(there); len(got) != 0 {
		t.Fatalf("got %v, want no origins", got)
	}

	st := linkhub.DefaultSettings()
	st.EmbedOrigins = []string{"https://app.example.com"}
	if _, err := here.UpdateSettings(ctx, linkhub.SystemActor, st); err != nil {
		t.Fatal(err)
	}
	if got := origins(here); !slices.Equal(got, st.EmbedOrigins) {
		t.Errorf("the changing process got %v, want %v at once", got, st.EmbedOrigins)
	}
	if got := origins(there); len(got) != 0 {
		t.Errorf("another process got %v before the TTL, want its cached settings", got)
	}
	now = now.Add(postgres.SettingsCacheTTL + time.Millisecond)
	if got := origins(there); !slices.Equal(got, st.EmbedOrigins) {
		t.Errorf("another process got %v after the TTL, want %v", got, st.EmbedOrigins)
	}

	got, err := there.FindSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got.EmbedOrigins[0] = "https://evil.example"
	if again := origins(there); again[0] != "https://app.example.com" {
		t.Errorf("a caller's change reached the cache: %v", again)
	}
}
