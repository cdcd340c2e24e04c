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

// TestSettingsService_Update: a bad value (an origin, a colour, a lifetime,
// a language the hub lacks) is refused on its field and stores nothing; a
// good set is stored normalised, read back, and audited as the actor.
func TestSettingsService_Update(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewSettingsService(db)
	actor := linkhub.Actor{Kind: "admin", ID: "a-1", Label: "ada@example.com", IP: "192.0.2.1"}
	stored := func() (n int) {
		_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM settings`).Scan(&n)
		return n
	}

	for _, tc := range []struct {
		name, field string
		change      func(*linkhub.Settings)
	}{
		{"ErrOrigin", "embed_origins", func(s *linkhub.Settings) { s.EmbedOrigins = []string{"http://app.example.com"} }},
		{"ErrColour", "primary_color", func(s *linkhub.Settings) { s.PrimaryColor = "blue" }},
		{"ErrLifetime", "session_lifetime", func(s *linkhub.Settings) { s.SessionLifetime = 10 * time.Second }},
		{"ErrLogo", "logo_url", func(s *linkhub.Settings) { s.LogoURL = "http://acme.example/logo.png" }},
		{"ErrLocaleUnknown", "default_locale", func(s *linkhub.Settings) { s.DefaultLocale = "xx" }},
		{"ErrLocalePseudo", "default_locale", func(s *linkhub.Settings) { s.DefaultLocale = "en-XA" }},
		{"ErrLocaleCase", "default_locale", func(s *linkhub.Settings) { s.DefaultLocale = "DE" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := linkhub.DefaultSettings()
			tc.change(&st)
			_, err := s.UpdateSettings(ctx, actor, st)
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != tc.field {
				t.Errorf("got %v, want EINVALID on %s", err, tc.field)
			}
			if n := stored(); n != 0 {
				t.Errorf("%d settings stored after a bad value, want 0", n)
			}
		})
	}

	st := linkhub.Settings{EmbedOrigins: []string{"https://app.example.com", "http://localhost:3000"}, ProductName: " Acme ",
		LogoURL: "https://acme.example/logo.png", PrimaryColor: "#FF8800", SessionLifetime: time.Hour, DefaultLocale: "pt-BR"}
	if _, err := s.UpdateSettings(ctx, actor, st); err != nil {
		t.Fatal(err)
	}
	got, err := postgres.NewSettingsService(db).FindSettings(ctx)
	if err != nil || !slices.Equal(got.EmbedOrigins, st.EmbedOrigins) || got.ProductName != "Acme" || got.PrimaryColor != "#ff8800" ||
		got.SessionLifetime != time.Hour || got.DefaultLocale != "pt-BR" || got.LogoURL != st.LogoURL {
		t.Errorf("stored %+v (%v), want %+v normalised", got, err, st)
	}
	entries, _, err := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
	if err != nil || len(entries) != 1 || entries[0].Action != linkhub.ActionSettingsUpdate || entries[0].Actor.ID != "a-1" ||
		entries[0].Details["default_locale"] != "pt-BR" {
		t.Errorf("audit %+v (%v), want one settings.updated by a-1 naming the language", entries, err)
	}
}
