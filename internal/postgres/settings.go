package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.SettingsService = (*SettingsService)(nil)

// SettingsService stores the settings, one row per key in settings.
//
// The hub and the connect-session API read the settings on every request, so
// what FindSettings read is believed for SettingsCacheTTL. UpdateSettings
// replaces it at once in this process; other processes see a change within
// the TTL.
type SettingsService struct {
	db    *DB
	cache *fresh[*linkhub.Settings]
}

// SettingsCacheTTL is how long read settings are believed without asking
// the database again.
const SettingsCacheTTL = time.Second

// NewSettingsService returns a SettingsService on db.
func NewSettingsService(db *DB) *SettingsService {
	return &SettingsService{db: db, cache: newFresh[*linkhub.Settings](SettingsCacheTTL)}
}

// The keys of the settings table this service owns.
const (
	keyEmbedOrigins    = "embed_origins"
	keyProductName     = "product_name"
	keyLogoURL         = "logo_url"
	keyPrimaryColor    = "primary_color"
	keySessionLifetime = "connect_session_lifetime_seconds"
	keyDefaultLocale   = "default_locale"
)

// FindSettings returns the stored settings over the defaults, from the
// cache while it is fresh. One statement reads every key at once, so no
// transaction is needed.
func (s *SettingsService) FindSettings(ctx context.Context) (*linkhub.Settings, error) {
	st, err := s.cache.get(ctx, func(ctx context.Context) (*linkhub.Settings, error) { return findSettings(ctx, s.db.Pool) })
	if err != nil {
		return nil, err
	}
	return st.Clone(), nil
}

func findSettings(ctx context.Context, q querier) (*linkhub.Settings, error) {
	st := linkhub.DefaultSettings()
	rows, err := q.Query(ctx, `SELECT key, value FROM settings WHERE key = ANY($1)`,
		[]string{keyEmbedOrigins, keyProductName, keyLogoURL, keyPrimaryColor, keySessionLifetime, keyDefaultLocale})
	if err != nil {
		return nil, fmt.Errorf("query settings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var raw []byte
		if err := rows.Scan(&key, &raw); err != nil {
			return nil, fmt.Errorf("read settings: %w", err)
		}
		var target any
		var secs int64
		switch key {
		case keyEmbedOrigins:
			target = &st.EmbedOrigins
		case keyProductName:
			target = &st.ProductName
		case keyLogoURL:
			target = &st.LogoURL
		case keyPrimaryColor:
			target = &st.PrimaryColor
		case keySessionLifetime:
			target = &secs
		case keyDefaultLocale:
			target = &st.DefaultLocale
		}
		if err := json.Unmarshal(raw, target); err != nil {
			return nil, fmt.Errorf("decode setting %s: %w", key, err)
		}
		if key == keySessionLifetime {
			st.SessionLifetime = time.Duration(secs) * time.Second
		}
	}
	return &st, rows.Err()
}

// UpdateSettings validates and stores every setting, and records what
// changed in the audit log.
func (s *SettingsService) UpdateSettings(ctx context.Context, actor linkhub.Actor, st linkhub.Settings) (*linkhub.Settings, error) {
	st.ProductName = strings.TrimSpace(st.ProductName)
	st.LogoURL = strings.TrimSpace(st.LogoURL)
	st.PrimaryColor = strings.ToLower(strings.TrimSpace(st.PrimaryColor))
	st.SessionLifetime = st.SessionLifetime.Truncate(time.Second)
	if errs := st.Validate(); errs != nil {
		fields := make([]string, 0, len(errs))
		for f := range errs {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		return nil, linkhub.FieldError(fields[0], errs[fields[0]])
	}
	if st.EmbedOrigins == nil {
		st.EmbedOrigins = []string{}
	}
	var out *linkhub.Settings
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		old, err := findSettings(ctx, tx)
		if err != nil {
			return err
		}
		values := map[string]any{
			keyEmbedOrigins: st.EmbedOrigins, keyProductName: st.ProductName, keyLogoURL: st.LogoURL,
			keyPrimaryColor: st.PrimaryColor, keySessionLifetime: int64(st.SessionLifetime / time.Second),
			keyDefaultLocale: st.DefaultLocale,
		}
		for k, v := range values {
			// Marshal here: pgx sends a Go string to jsonb as raw JSON text.
			raw, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("encode setting %s: %w", k, err)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO settings (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()
				WHERE settings.value IS DISTINCT FROM excluded.value`, k, raw); err != nil {
				return fmt.Errorf("store setting %s: %w", k, err)
			}
		}
		details := changed(old, &st)
		if len(details) > 0 {
			if err := insertAudit(ctx, tx, actor, linkhub.ActionSettingsUpdate, "settings", "", details); err != nil {
				return err
			}
		}
		out, err = findSettings(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Forget rather than keep out: two updates at once could keep the older.
	s.cache.forget()
	return out, nil
}

// changed describes what differs between two settings, for the audit log
// (none of them is secret).
func changed(a, b *linkhub.Settings) map[string]string {
	d := map[string]string{}
	if x, y := strings.Join(a.EmbedOrigins, " "), strings.Join(b.EmbedOrigins, " "); x != y {
		d[keyEmbedOrigins] = y
	}
	if a.ProductName != b.ProductName {
		d[keyProductName] = b.ProductName
	}
	if a.LogoURL != b.LogoURL {
		d[keyLogoURL] = b.LogoURL
	}
	if a.PrimaryColor != b.PrimaryColor {
		d[keyPrimaryColor] = b.PrimaryColor
	}
	if a.SessionLifetime != b.SessionLifetime {
		d["connect_session_lifetime"] = b.SessionLifetime.String()
	}
	if a.DefaultLocale != b.DefaultLocale {
		d[keyDefaultLocale] = b.DefaultLocale
	}
	return d
}
