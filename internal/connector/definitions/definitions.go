// Package definitions holds the built-in connector definitions, one YAML
// file per vendor, embedded in the binary. Adding a vendor that a definition
// can describe is one file here plus its fake and tests.
package definitions

import "embed"

// FS holds the built-in definitions (*.yaml).
//
//go:embed *.yaml
var FS embed.FS
