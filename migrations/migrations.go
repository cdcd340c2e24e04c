// Package migrations holds the forward-only SQL migrations, embedded so the
// binary carries its schema. They are applied at start by internal/postgres.
package migrations

import "embed"

// FS holds the *.sql migration files.
//
//go:embed *.sql
var FS embed.FS
