package web

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPI is the hand-written OpenAPI 3.1 description of the host API; a
// test keeps it in step with the route table.
//
//go:embed openapi.json
var openAPI []byte

// handleOpenAPI handles GET /api/openapi.json. It needs no API key: the
// document holds nothing secret, and integrators' tools fetch it as is.
func handleOpenAPI() echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPI)
	}
}

// handleConnectorSchema handles GET /api/connector-schema.json: the JSON
// Schema of connector definitions, for editors and CI checks of definition
// files. Like the OpenAPI document it needs no API key.
func handleConnectorSchema(schema []byte) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
		return c.Blob(http.StatusOK, "application/schema+json", schema)
	}
}
