package web

import (
	"context"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// hubConfig is what the hub and the connect-session API read of the
// instance settings: where the hub may be embedded, the default session
// lifetime, and the branding.
type hubConfig struct {
	EmbedOrigins    []string
	SessionLifetime time.Duration
	Brand           views.Brand
	DefaultLocale   string
}

// HubLimits caps credential tests: each connect session and each client IP
// may start so many tests per window.
type HubLimits struct {
	PerSession int
	PerIP      int
	Window     time.Duration
}

func (l HubLimits) withDefaults() HubLimits {
	if l.PerSession <= 0 {
		l.PerSession = 10
	}
	if l.PerIP <= 0 {
		l.PerIP = 30
	}
	if l.Window <= 0 {
		l.Window = 10 * time.Minute
	}
	return l
}

// hubSettings reads the admin settings.
func hubSettings(ctx context.Context, store linkhub.SettingsService) (hubConfig, error) {
	found, err := store.FindSettings(ctx)
	if err != nil {
		return hubConfig{}, err
	}
	s := *found
	out := hubConfig{EmbedOrigins: s.EmbedOrigins, SessionLifetime: s.SessionLifetime,
		Brand:         views.Brand{ProductName: s.ProductName, LogoURL: s.LogoURL, PrimaryColor: s.PrimaryColor},
		DefaultLocale: s.DefaultLocale}
	if out.SessionLifetime <= 0 {
		out.SessionLifetime = linkhub.DefaultSessionExpiry
	}
	return out, nil
}
