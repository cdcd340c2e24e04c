package web_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// acmeDefinition is a small valid definition for a vendor not in the catalogue.
var acmeDefinition = func() string {
	b, err := os.ReadFile("../internal/connector/testdata/acme.yaml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

func definitionBody(source string, replaces bool) string {
	b, _ := json.Marshal(map[string]any{"source": source, "replaces": replaces})
	return string(b)
}

func TestAPIConnectorDefinitions(t *testing.T) {
	t.Parallel()
	a := newAPIClient(t)

	if code, out := a.json("GET", "/api/v1/connector_definitions", ""); code != http.StatusOK || len(out["definitions"].([]any)) != 0 {
		t.Fatalf("got %d %v, want 200 and none", code, out)
	}
	code, out := a.json("PUT", "/api/v1/connector_definitions/acme", definitionBody(acmeDefinition, false))
	if code != http.StatusCreated || out["version"] != 1.0 || out["id"] != "acme" || out["saved_by"] != "host" {
		t.Fatalf("got %d %v, want 201 version 1 saved by the key", code, out)
	}
	code, out = a.json("PUT", "/api/v1/connector_definitions/acme", definitionBody(strings.Replace(acmeDefinition, "Acme Cloud", "Acme Cloud EU", 1), false))
	if code != http.StatusOK || out["version"] != 2.0 {
		t.Fatalf("got %d %v, want 200 version 2", code, out)
	}
	code, out = a.json("GET", "/api/v1/connector_definitions/acme", "")
	if vs, _ := out["versions"].([]any); code != http.StatusOK || !strings.Contains(out["source"].(string), "Acme Cloud EU") || len(vs) != 2 {
		t.Fatalf("got %d %v, want the current source and two versions", code, out)
	}
	// The catalogue offers it at once, saying where it comes from.
	_, out = a.json("GET", "/api/v1/connectors", "")
	var found map[string]any
	for _, c := range out["connectors"].([]any) {
		if c.(map[string]any)["id"] == "acme" {
			found = c.(map[string]any)
		}
	}
	if found == nil || found["name"] != "Acme Cloud EU" || found["origin"] != "runtime" {
		t.Errorf("got %v in the catalogue, want Acme Cloud EU from runtime", found)
	}

	p := a.MustProfile(t, "acme", "Acme")
	a.wantError("DELETE", "/api/v1/connector_definitions/acme", "", http.StatusConflict, "conflict", "")
	if _, err := a.profiles.DeleteProfile(t.Context(), linkhub.SystemActor, p.ID, false); err != nil {
		t.Fatal(err)
	}
	if resp, _ := a.do("DELETE", "/api/v1/connector_definitions/acme", ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("got %d, want 204", resp.StatusCode)
	}
	a.wantError("GET", "/api/v1/connector_definitions/acme", "", http.StatusNotFound, "not_found", "")
}

// TestAPIConnectorDefinitions_Bad: every bad input is a specific 4xx that
// saves nothing, never a 500.
func TestAPIConnectorDefinitions_Bad(t *testing.T) {
	t.Parallel()
	a := newAPIClient(t)
	tests := []struct {
		name, path, body string
		status           int
		code             string
		problem          string // the first problem's text, for invalid_definition
	}{
		{"ErrSchema", "/api/v1/connector_definitions/acme", definitionBody(strings.Replace(acmeDefinition, "kind: secret", "kind: password", 1), false),
			400, "invalid_definition", "acme.yaml:8: fields[0].kind: value must be one of 'text', 'url', 'uuid', 'secret', 'select'"},
		{"ErrYAML", "/api/v1/connector_definitions/acme", definitionBody("id: [", false), 400, "invalid_definition", ""},
		{"ErrEmpty", "/api/v1/connector_definitions/acme", definitionBody("", false), 400, "invalid_definition", "acme.yaml:1: the file is empty"},
		{"ErrBuiltin", "/api/v1/connector_definitions/okta", definitionBody(strings.Replace(acmeDefinition, "id: acme", "id: okta", 1), false),
			400, "invalid_definition", `okta.yaml:3: id: "okta" is the id of the built-in connector Okta; tick "replaces the built-in Okta" to run this definition in its place, or give it another id`},
		{"ErrOtherID", "/api/v1/connector_definitions/other", definitionBody(acmeDefinition, false),
			400, "invalid_definition", `other.yaml:3: id: "acme" is not the id of the connector being saved, "other"; an id never changes`},
		{"ErrBadPathID", "/api/v1/connector_definitions/BAD", definitionBody(acmeDefinition, false),
			400, "invalid_definition", `BAD.yaml:3: id: "acme" is not the id of the connector being saved, "BAD"; an id never changes`},
		{"ErrNotJSON", "/api/v1/connector_definitions/acme", "source: x", 400, "invalid", ""},
		{"ErrUnknownField", "/api/v1/connector_definitions/acme", `{"source":"x","replace":true}`, 400, "invalid", ""},
		{"ErrSourceType", "/api/v1/connector_definitions/acme", `{"source":12}`, 400, "invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := a.wantError("PUT", tt.path, tt.body, tt.status, tt.code, "")
			if tt.problem == "" {
				return
			}
			ps, _ := e["problems"].([]any)
			if len(ps) == 0 || ps[0].(map[string]any)["text"] != tt.problem {
				t.Errorf("got problems %v, want first %q", ps, tt.problem)
			}
		})
	}
	for _, path := range []string{"/api/v1/connector_definitions/nope", "/api/v1/connector_definitions/NOPE%21"} {
		a.wantError("GET", path, "", http.StatusNotFound, "not_found", "")
		a.wantError("DELETE", path, "", http.StatusNotFound, "not_found", "")
	}
	if _, out := a.json("GET", "/api/v1/connector_definitions", ""); len(out["definitions"].([]any)) != 0 {
		t.Errorf("got %v, want nothing saved", out)
	}
	if resp, _ := a.do("GET", "/api/v1/connector_definitions", "", "Authorization", "Bearer lh_wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("got %d without a valid key, want 401", resp.StatusCode)
	}
}
