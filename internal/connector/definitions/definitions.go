// Package definitions holds the built-in connector definitions, one YAML
// file per vendor, embedded in the binary. Adding a vendor that a definition
// can describe is one file here plus its fake and tests.
package definitions

import (
	"embed"
	"io/fs"
	"strings"
)

// FS holds the built-in definitions (*.yaml).
//
//go:embed *.yaml
var FS embed.FS

// IDs returns the ids of the built-in definitions without parsing them:
// each file is named after its connector's id (a test holds them to it).
func IDs() []string {
	entries, _ := fs.ReadDir(FS, ".")
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return ids
}
