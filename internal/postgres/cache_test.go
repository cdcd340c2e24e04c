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
	t.Parallel()
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

// TestProfileService_Cache: the hub's profile list shows a change at once in
// the process that made it and within ProfileCacheTTL in another.
func TestProfileService_Cache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	here, there := postgres.NewProfileService(db, kr), postgres.NewProfileService(db, kr)
	now := time.Now()
	there.SetClock(func() time.Time { return now })
	p := MustProfile(t, here, "Partner", nil)
	enabled := true
	names := func(s *postgres.ProfileService) []string {
		t.Helper()
		list, err := s.FindProfiles(ctx, linkhub.ProfileFilter{Enabled: &enabled})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range list {
			out = append(out, p.Name)
		}
		return out
	}
	if got := names(there); !slices.Equal(got, []string{"Partner"}) {
		t.Fatalf("got %v, want [Partner]", got)
	}
	off := false
	if _, err := here.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	if got := names(here); len(got) != 0 {
		t.Errorf("the changing process got %v, want the disabled profile gone at once", got)
	}
	if got := names(there); len(got) != 1 {
		t.Errorf("another process got %v before the TTL, want its cached list", got)
	}
	now = now.Add(postgres.ProfileCacheTTL + time.Millisecond)
	if got := names(there); len(got) != 0 {
		t.Errorf("another process got %v after the TTL, want the profile gone", got)
	}

	list, err := here.FindProfiles(ctx, linkhub.ProfileFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("got %v, %v", list, err)
	}
	list[0].Values["region"] = "changed by a caller"
	again, _ := here.FindProfiles(ctx, linkhub.ProfileFilter{ID: &p.ID})
	if len(again) != 1 || again[0].Values["region"] != "eu" {
		t.Errorf("a caller's change reached the cache: %+v", again)
	}
}
