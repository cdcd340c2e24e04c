package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// RuntimeConnectors manages the connectors admins define at runtime;
// *connector.Runtime is one.
type RuntimeConnectors interface {
	// Catalog lists every connector with its origin.
	Catalog(ctx context.Context) ([]linkhub.CatalogEntry, error)
	// Check returns the spec of source, or *linkhub.DefinitionError.
	Check(file, id, source string, replaces bool) (linkhub.ConnectorSpec, error)
	// Test runs the staged test of source on in without saving anything.
	Test(ctx context.Context, file, id, source string, replaces bool, in linkhub.TestInput) (linkhub.Report, error)
	Save(ctx context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error)
	Find(ctx context.Context, id string) (*linkhub.RuntimeConnector, error)
	Versions(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error)
	SetDisabled(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error
	Delete(ctx context.Context, actor linkhub.Actor, id string) error
}

// connectorIDRE is the definition schema's id pattern: anything else names
// no connector.
var connectorIDRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// definitionJSON is a runtime connector in the API.
type definitionJSON struct {
	ID        string                  `json:"id"`
	Version   int                     `json:"version"`
	Replaces  bool                    `json:"replaces"`
	Disabled  bool                    `json:"disabled"`
	SavedBy   string                  `json:"saved_by"`
	Broken    string                  `json:"broken,omitempty"`
	Source    string                  `json:"source,omitempty"`
	Versions  []definitionVersionJSON `json:"versions,omitempty"`
	CreatedAt time.Time               `json:"created_at"`
	UpdatedAt time.Time               `json:"updated_at"`
}

type definitionVersionJSON struct {
	Version   int       `json:"version"`
	Replaces  bool      `json:"replaces"`
	SavedBy   string    `json:"saved_by"`
	CreatedAt time.Time `json:"created_at"`
}

func newDefinitionJSON(rc *linkhub.RuntimeConnector) definitionJSON {
	return definitionJSON{ID: rc.ID, Version: rc.Version, Replaces: rc.Replaces, Disabled: rc.Disabled, SavedBy: rc.SavedBy,
		CreatedAt: rc.CreatedAt.UTC(), UpdatedAt: rc.UpdatedAt.UTC()}
}

// definitionRequest is the body of PUT /api/v1/connector_definitions/{id}.
type definitionRequest struct {
	Source   string `json:"source"`
	Replaces bool   `json:"replaces"`
}

// definitionProblemJSON is one problem of a refused definition.
type definitionProblemJSON struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
	Text    string `json:"text"` // file:line: field: message
}

// handleDefinitions handles GET /api/v1/connector_definitions: the runtime connectors.
func handleDefinitions(runtime RuntimeConnectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		cat, err := runtime.Catalog(c.Request().Context())
		if err != nil {
			return err
		}
		out := []definitionJSON{}
		for _, e := range cat {
			if e.Runtime != nil {
				d := newDefinitionJSON(e.Runtime)
				d.Broken = e.Broken
				out = append(out, d)
			}
		}
		return c.JSON(http.StatusOK, map[string]any{"definitions": out})
	}
}

// handleDefinition handles GET /api/v1/connector_definitions/:connector: the current source
// and the history.
func handleDefinition(runtime RuntimeConnectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		id := c.Param("connector")
		if !connectorIDRE.MatchString(id) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		rc, err := runtime.Find(ctx, id)
		if err != nil {
			return err
		}
		vs, err := runtime.Versions(ctx, id)
		if err != nil {
			return err
		}
		out := newDefinitionJSON(rc)
		out.Source = rc.Source
		for _, v := range vs {
			out.Versions = append(out.Versions, definitionVersionJSON{Version: v.Version, Replaces: v.Replaces, SavedBy: v.SavedBy,
				CreatedAt: v.CreatedAt.UTC()})
		}
		return c.JSON(http.StatusOK, out)
	}
}

// handleDefinitionPut handles PUT /api/v1/connector_definitions/:connector: validates and saves a
// new version; 400 with every problem when the definition is refused.
func handleDefinitionPut(runtime RuntimeConnectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("connector")
		var req definitionRequest
		if err := decodeJSON(c.Request(), &req); err != nil {
			return err
		}
		rc, err := runtime.Save(c.Request().Context(), actor(c), id+".yaml", id, req.Source, req.Replaces)
		if de := (*linkhub.DefinitionError)(nil); errors.As(err, &de) {
			return c.JSON(http.StatusBadRequest, map[string]any{"error": map[string]any{"code": "invalid_definition",
				"message": fmt.Sprintf("The definition has %d problem(s); nothing was saved.", len(de.Problems)), "problems": problemsJSON(de)}})
		}
		if err != nil {
			return err
		}
		status := http.StatusOK
		if rc.Version == 1 {
			status = http.StatusCreated
		}
		return c.JSON(status, newDefinitionJSON(rc))
	}
}

// handleDefinitionDelete handles DELETE /api/v1/connector_definitions/:connector: refused (409)
// while profiles use the connector.
func handleDefinitionDelete(runtime RuntimeConnectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("connector")
		if !connectorIDRE.MatchString(id) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		if err := runtime.Delete(c.Request().Context(), actor(c), id); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func problemsJSON(de *linkhub.DefinitionError) []definitionProblemJSON {
	out := make([]definitionProblemJSON, 0, len(de.Problems))
	for _, p := range de.Problems {
		out = append(out, definitionProblemJSON{Line: p.Line, Field: p.Field, Message: p.Message, Text: p.String()})
	}
	return out
}
