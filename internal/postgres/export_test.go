package postgres

import "time"

// SetClock sets the clock the API key cache reads, for tests of its expiry.
func (s *APIKeyService) SetClock(now func() time.Time) { s.now = now }
