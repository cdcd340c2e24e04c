package postgres

import "time"

// SetClock sets the clock the API key cache reads, for tests of its expiry.
func (s *APIKeyService) SetClock(now func() time.Time) { s.now = now }

// SetClock sets the clock the settings cache reads, for tests of its expiry.
func (s *SettingsService) SetClock(now func() time.Time) { s.cache.now = now }

// SetClock sets the clock the profile list cache reads, for tests of its expiry.
func (s *ProfileService) SetClock(now func() time.Time) { s.all.now = now }

// AccountCache says whether the account cache is on (its listener holds a
// LISTEN) and how many accounts it holds.
func (db *DB) AccountCache() (listening bool, rows int) {
	db.accounts.mu.Lock()
	defer db.accounts.mu.Unlock()
	return db.accounts.listening, len(db.accounts.rows)
}
