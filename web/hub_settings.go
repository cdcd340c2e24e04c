package web

import (
	"context"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// HubSettings are the instance settings the hub and the connect-session API
// read: where the hub may be embedded, the default session lifetime, and the
// branding.
type HubSettings struct {
	EmbedOrigins    []string
	SessionLifetime time.Duration
	Brand           views.Brand
}

// HubLimits caps credential tests: each hub session and each client IP may
// start so many tests per window.
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

// hubSettings reads the settings, or the defaults when none are wired.
func hubSettings(ctx context.Context, deps Deps) (HubSettings, error) {
	s := HubSettings{}
	if deps.HubSettings != nil {
		var err error
		if s, err = deps.HubSettings(ctx); err != nil {
			return HubSettings{}, err
		}
	}
	if s.SessionLifetime <= 0 {
		s.SessionLifetime = linkhub.DefaultSessionExpiry
	}
	return s, nil
}
