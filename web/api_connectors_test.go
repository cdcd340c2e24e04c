package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/mock"
	"github.com/linkhub/linkhub/web"
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
// saves nothing, never a 500. No database: the runtime checks definitions
// in process, and its store is a mock that fails the test if asked to save.
func TestAPIConnectorDefinitions_Bad(t *testing.T) {
	t.Parallel()
	deps, m := mockDeps(&syncBuffer{})
	m.apiKeys.AuthenticateAPIKeyFn = func(_ context.Context, key string) (*linkhub.APIKey, error) {
		if key != "lh_test" {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Unknown API key.")
		}
		return &linkhub.APIKey{ID: "k1", Name: "host"}, nil
	}
	m.apiKeys.RecordAPIKeyUseFn = func(string, time.Time) {}
	notFound := linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector.")
	store := &mock.RuntimeConnectorService{
		FindRuntimeConnectorFn:   func(context.Context, string) (*linkhub.RuntimeConnector, error) { return nil, notFound },
		DeleteRuntimeConnectorFn: func(context.Context, linkhub.Actor, string) error { return notFound },
		SaveRuntimeConnectorFn: func(_ context.Context, _ linkhub.Actor, id, _ string, _ bool) (*linkhub.RuntimeConnector, error) {
			t.Errorf("saved %s", id)
			return nil, linkhub.Errorf(linkhub.EINTERNAL, "saved")
		},
	}
	deps.Runtime = connector.NewRuntime(deps.Connectors.(*connector.Registry), store)
	srv := mustServer(t, web.Config{}, deps)
	call := func(method, path, body, key string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	wantError := func(method, path, body string, status int, code string) map[string]any {
		t.Helper()
		got, out := call(method, path, body, "lh_test")
		e, _ := out["error"].(map[string]any)
		if got != status || e == nil || e["code"] != code || e["message"] == "" {
			t.Errorf("%s %s: got %d %v, want %d %s", method, path, got, out, status, code)
		}
		return e
	}
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
			e := wantError("PUT", tt.path, tt.body, tt.status, tt.code)
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
		wantError("GET", path, "", http.StatusNotFound, "not_found")
		wantError("DELETE", path, "", http.StatusNotFound, "not_found")
	}
	if status, _ := call("GET", "/api/v1/connector_definitions", "", "lh_wrong"); status != http.StatusUnauthorized {
		t.Errorf("got %d without a valid key, want 401", status)
	}
}
