package linkhub

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Audit actions on runtime connectors.
const (
	ActionConnectorSaved    = "connector.saved"
	ActionConnectorEnabled  = "connector.enabled"
	ActionConnectorDisabled = "connector.disabled"
	ActionConnectorDeleted  = "connector.deleted"
)

// Where a connector comes from.
const (
	OriginBuiltin = "built-in" // compiled in: a Go package or an embedded definition
	OriginFile    = "file"     // LINKHUB_CONNECTORS_DIR, read at start
	OriginRuntime = "runtime"  // defined by an admin, stored in the database
)

// RuntimeConnector is a connector an admin defined at runtime: the current
// version of its definition.
type RuntimeConnector struct {
	ID      string
	Version int
	Source  string // the definition's YAML
	// Replaces says the definition knowingly takes the place of the
	// built-in (or file) connector of the same id.
	Replaces  bool
	Disabled  bool
	SavedBy   string // the label of whoever saved the current version
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RuntimeConnectorVersion is one saved version of a runtime connector.
type RuntimeConnectorVersion struct {
	Version   int
	Source    string
	Replaces  bool
	SavedBy   string
	CreatedAt time.Time
}

// RuntimeConnectorService stores runtime connectors, every save a new
// version. Each change writes its audit entry in its own transaction and
// raises the generation, which tells every process to reload.
type RuntimeConnectorService interface {
	// FindRuntimeConnectors returns every runtime connector, disabled ones
	// included, by id.
	FindRuntimeConnectors(ctx context.Context) ([]*RuntimeConnector, error)
	// FindRuntimeConnector returns ENOTFOUND when there is none of that id.
	FindRuntimeConnector(ctx context.Context, id string) (*RuntimeConnector, error)
	// FindRuntimeConnectorVersions returns every version, newest first;
	// ENOTFOUND when there is no such connector.
	FindRuntimeConnectorVersions(ctx context.Context, id string) ([]*RuntimeConnectorVersion, error)
	// SaveRuntimeConnector stores source as the next version of id (the
	// first when id is new) and returns the connector. The caller has
	// validated source.
	SaveRuntimeConnector(ctx context.Context, actor Actor, id, source string, replaces bool) (*RuntimeConnector, error)
	// SetRuntimeConnectorDisabled returns ENOTFOUND when there is no such
	// connector and ECONFLICT when disabling one that profiles use.
	SetRuntimeConnectorDisabled(ctx context.Context, actor Actor, id string, disabled bool) error
	// DeleteRuntimeConnector removes the connector and its versions;
	// ENOTFOUND when there is none, ECONFLICT while profiles use it.
	DeleteRuntimeConnector(ctx context.Context, actor Actor, id string) error
	// RuntimeConnectorsGeneration returns a number every change raises.
	RuntimeConnectorsGeneration(ctx context.Context) (int64, error)
}

// DefinitionProblem is one thing wrong with a connector definition, where it is.
type DefinitionProblem struct {
	File    string
	Line    int
	Field   string
	Message string
}

// String is "file:line: field: message".
func (p DefinitionProblem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc += ":" + strconv.Itoa(p.Line)
	}
	if p.Field != "" {
		return loc + ": " + p.Field + ": " + p.Message
	}
	return loc + ": " + p.Message
}

// DefinitionError is a definition refused, with every problem found.
type DefinitionError struct {
	Problems []DefinitionProblem
}

func (e *DefinitionError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// CatalogEntry is one connector as the admin console and the catalogue API
// list it: where it comes from and, for a runtime one, its version.
type CatalogEntry struct {
	Spec   ConnectorSpec
	Origin string // OriginBuiltin, OriginFile or OriginRuntime
	// Replaces names what a runtime definition replaces (OriginBuiltin or
	// OriginFile); empty when it replaces nothing.
	Replaces string
	Runtime  *RuntimeConnector // nil unless Origin is OriginRuntime
	// Broken is why a stored runtime definition does not run (it no longer
	// passes this Linkhub's checks); empty when it runs.
	Broken string
}
