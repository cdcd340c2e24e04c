package postgres

import "time"

// SetClock sets the clock the API key cache reads, for tests of its expiry.
func (s *APIKeyService) SetClock(now func() time.Time) { s.now = now }

// SetClock sets the clock the settings cache reads, for tests of its expiry.
func (s *SettingsService) SetClock(now func() time.Time) { s.cache.now = now }

// SetClock sets the clock the profile list cache reads, for tests of its expiry.
func (s *ProfileService) SetClock(now func() time.Time) { s.all.now = now }
