package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"
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

// TestAPIConnectorDefinitions: the definitions API hands the runtime
// connectors what the caller sent, as the API key, and shows their answers:
// the list holds only runtime connectors (a broken one saying why), a PUT
// saves the body's source under <id>.yaml and answers 201 for a first
// version and 200 after, a GET gives the source and the versions, a DELETE
// 204 or the runtime's refusal (409 while profiles use it). Versions,
// refusals and the registry's update are the runtime's and its store's
// (internal/postgres TestRuntimeConnectorService_Save,
// TestRuntimeConnectorService_InUse, TestRuntimeConnectors_Replicas).
func TestAPIConnectorDefinitions(t *testing.T) {
	t.Parallel()
	e := apiMockEnv(t)
	at := time.Date(2030, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
	e.runtime.CatalogFn = func(context.Context) ([]linkhub.CatalogEntry, error) {
		return []linkhub.CatalogEntry{{Spec: linkhub.ConnectorSpec{ID: "jamf", Name: "Jamf Pro"}, Origin: linkhub.OriginBuiltin},
			{Spec: linkhub.ConnectorSpec{ID: "acme", Name: "Acme Cloud"}, Origin: linkhub.OriginRuntime,
				Runtime: &linkhub.RuntimeConnector{ID: "acme", Version: 2, SavedBy: "host", CreatedAt: at, UpdatedAt: at}},
			{Spec: linkhub.ConnectorSpec{ID: "old", Name: "old"}, Origin: linkhub.OriginRuntime, Broken: "old.yaml:4: auth: unknown type",
				Runtime: &linkhub.RuntimeConnector{ID: "old", Version: 1, SavedBy: "ops@example.com", CreatedAt: at, UpdatedAt: at}}}, nil
	}
	code, out := e.api(http.MethodGet, "/api/v1/connector_definitions", "")
	defs, _ := out["definitions"].([]any)
	if code != http.StatusOK || len(defs) != 2 {
		t.Fatalf("list: got %d %v, want the 2 runtime connectors", code, out)
	}
	if d := defs[0].(map[string]any); d["id"] != "acme" || d["version"] != 2.0 || d["saved_by"] != "host" || d["broken"] != nil ||
		d["updated_at"] != "2030-01-02T03:04:05Z" {
		t.Errorf("acme: got %v", d)
	}
	if d := defs[1].(map[string]any); d["id"] != "old" || d["broken"] != "old.yaml:4: auth: unknown type" {
		t.Errorf("a broken one: got %v, want it saying why", d)
	}

	type save struct {
		actor            linkhub.Actor
		file, id, source string
		replaces         bool
	}
	var saves []save
	e.runtime.SaveFn = func(_ context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
		saves = append(saves, save{actor, file, id, source, replaces})
		return &linkhub.RuntimeConnector{ID: id, Version: len(saves), Source: source, Replaces: replaces, SavedBy: actor.Label,
			CreatedAt: at, UpdatedAt: at}, nil
	}
	code, out = e.api(http.MethodPut, "/api/v1/connector_definitions/acme", definitionBody(acmeDefinition, false))
	if code != http.StatusCreated || out["version"] != 1.0 || out["id"] != "acme" || out["saved_by"] != "host" || out["replaces"] != false {
		t.Fatalf("got %d %v, want 201 version 1 saved by the key", code, out)
	}
	code, out = e.api(http.MethodPut, "/api/v1/connector_definitions/okta", definitionBody("id: okta\n", true))
	if code != http.StatusOK || out["version"] != 2.0 || out["replaces"] != true {
		t.Fatalf("got %d %v, want 200 version 2", code, out)
	}
	if want := []save{{apiKeyActor, "acme.yaml", "acme", acmeDefinition, false}, {apiKeyActor, "okta.yaml", "okta", "id: okta\n", true}}; !reflect.DeepEqual(saves, want) {
		t.Errorf("the runtime saved %+v, want %+v", saves, want)
	}

	e.runtime.FindFn = func(_ context.Context, id string) (*linkhub.RuntimeConnector, error) {
		if id != "acme" {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		return &linkhub.RuntimeConnector{ID: id, Version: 2, Source: "id: acme # v2\n", SavedBy: "host", CreatedAt: at, UpdatedAt: at}, nil
	}
	e.runtime.VersionsFn = func(_ context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error) {
		return []*linkhub.RuntimeConnectorVersion{{Version: 2, SavedBy: "host", CreatedAt: at}, {Version: 1, SavedBy: "ops@example.com", Replaces: true, CreatedAt: at}}, nil
	}
	code, out = e.api(http.MethodGet, "/api/v1/connector_definitions/acme", "")
	vs, _ := out["versions"].([]any)
	if code != http.StatusOK || out["source"] != "id: acme # v2\n" || len(vs) != 2 || vs[1].(map[string]any)["saved_by"] != "ops@example.com" ||
		vs[1].(map[string]any)["replaces"] != true || vs[0].(map[string]any)["created_at"] != "2030-01-02T03:04:05Z" {
		t.Fatalf("got %d %v, want the current source and two versions", code, out)
	}
	apiWantError(t, e, http.MethodGet, "/api/v1/connector_definitions/nope", "", http.StatusNotFound, linkhub.ENOTFOUND, "")

	var deletes []string
	e.runtime.DeleteFn = func(_ context.Context, actor linkhub.Actor, id string) error {
		deletes = append(deletes, id)
		if actor != apiKeyActor {
			t.Errorf("deleted as %+v, want the API key", actor)
		}
		if len(deletes) == 1 {
			return linkhub.Errorf(linkhub.ECONFLICT, `The connector "acme" is used by 1 profile(s) and cannot be deleted. Delete those profiles first.`)
		}
		return nil
	}
	er := apiWantError(t, e, http.MethodDelete, "/api/v1/connector_definitions/acme", "", http.StatusConflict, linkhub.ECONFLICT, "")
	if msg, _ := er["message"].(string); !strings.Contains(msg, "used by 1 profile(s)") {
		t.Errorf("in use: got %q, want the runtime's message", msg)
	}
	if resp, body := apiSend(e, http.MethodDelete, "/api/v1/connector_definitions/acme", ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Fatalf("got %d %q, want 204", resp.StatusCode, body)
	}
	if len(deletes) != 2 || deletes[1] != "acme" {
		t.Errorf("the runtime deleted %v, want acme twice", deletes)
	}
}

// runtimeMockEnv is apiMockEnv with the real connector runtime on the
// server's registry, its definitions kept by store.
func runtimeMockEnv(t *testing.T, store linkhub.RuntimeConnectorService) *mockEnv {
	t.Helper()
	e := newMockEnvWith(t, web.Config{}, func(d *web.Deps) {
		d.Runtime = connector.NewRuntime(d.Connectors.(*connector.Registry), store)
	})
	e.withAPIKey()
	return e
}

// TestAPIConnectorDefinitions_Catalogue: a definition saved through the
// API is offered by GET /api/v1/connectors at once, with its name and its
// origin; built-ins say they are built in. No database: the runtime is the
// real one on the server's registry, its store an in-memory mock.
func TestAPIConnectorDefinitions_Catalogue(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var saved []*linkhub.RuntimeConnector
	store := &mock.RuntimeConnectorService{
		RuntimeConnectorsGenerationFn: func(context.Context) (int64, error) {
			mu.Lock()
			defer mu.Unlock()
			return int64(len(saved)), nil
		},
		FindRuntimeConnectorsFn: func(context.Context) ([]*linkhub.RuntimeConnector, error) {
			mu.Lock()
			defer mu.Unlock()
			if len(saved) == 0 {
				return nil, nil
			}
			return saved[len(saved)-1:], nil
		},
		SaveRuntimeConnectorFn: func(_ context.Context, actor linkhub.Actor, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
			mu.Lock()
			defer mu.Unlock()
			rc := &linkhub.RuntimeConnector{ID: id, Version: len(saved) + 1, Source: source, SavedBy: actor.Label}
			saved = append(saved, rc)
			return rc, nil
		},
	}
	e := runtimeMockEnv(t, store)
	origins := func() map[string]map[string]any {
		out := map[string]map[string]any{}
		_, list := e.api(http.MethodGet, "/api/v1/connectors", "")
		for _, c := range list["connectors"].([]any) {
			out[c.(map[string]any)["id"].(string)] = c.(map[string]any)
		}
		return out
	}
	if cs := origins(); cs["acme"] != nil || cs["jamf"]["origin"] != linkhub.OriginBuiltin {
		t.Fatalf("before: got acme %v, jamf %v, want no acme and a built-in jamf", cs["acme"], cs["jamf"])
	}
	e.api(http.MethodPut, "/api/v1/connector_definitions/acme", definitionBody(strings.Replace(acmeDefinition, "Acme Cloud", "Acme Cloud EU", 1), false))
	if found := origins()["acme"]; found == nil || found["name"] != "Acme Cloud EU" || found["origin"] != linkhub.OriginRuntime {
		t.Errorf("got %v in the catalogue, want Acme Cloud EU from runtime", found)
	}
}

// TestAPIConnectorDefinitions_Bad: every bad input is a specific 4xx that
// saves nothing, never a 500. No database: the runtime checks definitions
// in process, and its store is a mock that fails the test if asked to save.
func TestAPIConnectorDefinitions_Bad(t *testing.T) {
	t.Parallel()
	notFound := linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector.")
	store := &mock.RuntimeConnectorService{
		FindRuntimeConnectorFn:   func(context.Context, string) (*linkhub.RuntimeConnector, error) { return nil, notFound },
		DeleteRuntimeConnectorFn: func(context.Context, linkhub.Actor, string) error { return notFound },
		SaveRuntimeConnectorFn: func(_ context.Context, _ linkhub.Actor, id, _ string, _ bool) (*linkhub.RuntimeConnector, error) {
			t.Errorf("saved %s", id)
			return nil, linkhub.Errorf(linkhub.EINTERNAL, "saved")
		},
	}
	e := runtimeMockEnv(t, store)
	tests := []struct {
		name, path, body string
		status           int
		code, field      string // field: the one the error names, if any
		problem          string // the first problem's text, for invalid_definition
	}{
		{"ErrSchema", "/api/v1/connector_definitions/acme", definitionBody(strings.Replace(acmeDefinition, "kind: secret", "kind: password", 1), false),
			400, "invalid_definition", "", "acme.yaml:8: fields[0].kind: value must be one of 'text', 'url', 'uuid', 'secret', 'select'"},
		{"ErrYAML", "/api/v1/connector_definitions/acme", definitionBody("id: [", false), 400, "invalid_definition", "", ""},
		{"ErrEmpty", "/api/v1/connector_definitions/acme", definitionBody("", false), 400, "invalid_definition", "", "acme.yaml:1: the file is empty"},
		{"ErrBuiltin", "/api/v1/connector_definitions/okta", definitionBody(strings.Replace(acmeDefinition, "id: acme", "id: okta", 1), false),
			400, "invalid_definition", "", `okta.yaml:3: id: "okta" is the id of the built-in connector Okta; tick "replaces the built-in Okta" to run this definition in its place, or give it another id`},
		{"ErrOtherID", "/api/v1/connector_definitions/other", definitionBody(acmeDefinition, false),
			400, "invalid_definition", "", `other.yaml:3: id: "acme" is not the id of the connector being saved, "other"; an id never changes`},
		{"ErrBadPathID", "/api/v1/connector_definitions/BAD", definitionBody(acmeDefinition, false),
			400, "invalid_definition", "", `BAD.yaml:3: id: "acme" is not the id of the connector being saved, "BAD"; an id never changes`},
		{"ErrNotJSON", "/api/v1/connector_definitions/acme", "source: x", 400, "invalid", "", ""},
		{"ErrUnknownField", "/api/v1/connector_definitions/acme", `{"source":"x","replace":true}`, 400, "invalid", "replace", ""},
		{"ErrSourceType", "/api/v1/connector_definitions/acme", `{"source":12}`, 400, "invalid", "source", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			er := apiWantError(t, e, "PUT", tt.path, tt.body, tt.status, tt.code, tt.field)
			if tt.problem == "" {
				return
			}
			ps, _ := er["problems"].([]any)
			if len(ps) == 0 || ps[0].(map[string]any)["text"] != tt.problem {
				t.Errorf("got problems %v, want first %q", ps, tt.problem)
			}
		})
	}
	for _, path := range []string{"/api/v1/connector_definitions/nope", "/api/v1/connector_definitions/NOPE%21"} {
		apiWantError(t, e, "GET", path, "", http.StatusNotFound, "not_found", "")
		apiWantError(t, e, "DELETE", path, "", http.StatusNotFound, "not_found", "")
	}
	if resp, _ := apiSend(e, "GET", "/api/v1/connector_definitions", "", "Authorization", "Bearer lh_wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("got %d without a valid key, want 401", resp.StatusCode)
	}
}
