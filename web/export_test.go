package web

import (
	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// RouteList returns the method and path of every route the server has, for
// the test that keeps the OpenAPI document in step with them.
func RouteList(cfg Config, deps Deps) [][2]string {
	e := newEcho(cfg, deps)
	var out [][2]string
	for _, r := range e.Routes() {
		out = append(out, [2]string{r.Method, r.Path})
	}
	return out
}

// ConnectSessionRequest is the body of POST /api/v1/connect_sessions, for
// the fuzz target that checks what the linking service is handed.
type ConnectSessionRequest = connectSessionRequest

// OpenAPISchemas maps schema names of web/openapi.json to the values the
// handlers encode or decode, so a test can compare their JSON fields.
var OpenAPISchemas = map[string]any{
	"Account": accountJSON{}, "Token": tokenJSON{}, "Profile": profileJSON{}, "Connector": connectorJSON{},
	"Field": fieldJSON{}, "Action": actionJSON{}, "ConnectSessionRequest": connectSessionRequest{},
	"ConnectSession": connectSessionResponse{}, "ActionRequest": actionRequest{},
	"AccountTest": accountTestResponse{}, "TestStage": linkhub.AttemptStage{},
	"Event": linkhub.Event{}, "EventAccount": linkhub.EventAccount{}, "EventSessionFault": linkhub.EventSessionFault{},
	"ConnectorDefinition": definitionJSON{}, "ConnectorDefinitionRequest": definitionRequest{},
}

// Routes returns the route table as the server builds it, for the tests that
// walk every route.
func Routes() []*echo.Route {
	return newEcho(Config{}, Deps{}).Routes()
}
