package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/webhook"
	"github.com/linkhub/linkhub/web"
)

// TestOpenAPI_MatchesRoutes fails when an /api/ route is missing from the
// served OpenAPI document, or the document describes a route that is not
// there. No database: the document is served as built in.
func TestOpenAPI_MatchesRoutes(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{})
	resp, err := http.Get(env.URL + "/api/openapi.json") // no API key
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas         map[string]any `json:"schemas"`
			Responses       map[string]any `json:"responses"`
			SecuritySchemes map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &doc) != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("GET /api/openapi.json: got %d %.200s", resp.StatusCode, body)
	}
	if doc.Comps.SecuritySchemes["bearerAuth"] == nil {
		t.Error("no bearerAuth security scheme")
	}

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	param := regexp.MustCompile(`:([A-Za-z_]+)`)
	routed := map[string]bool{}
	for _, r := range web.RouteList(web.Config{}, web.Deps{}) {
		// echo adds not-found routes for groups with middleware; they serve 404s.
		if !strings.HasPrefix(r[1], "/api/") || r[0] == "echo_route_not_found" {
			continue
		}
		path := param.ReplaceAllString(r[1], "{$1}")
		path = strings.Replace(path, "/*", "/{path}", 1)
		routed[r[0]+" "+path] = true
	}
	for _, k := range sortedKeys(routed) {
		if !documented[k] {
			t.Errorf("route %s is not in web/openapi.json", k)
		}
	}
	for _, k := range sortedKeys(documented) {
		if !routed[k] {
			t.Errorf("web/openapi.json describes %s, which has no route", k)
		}
	}

	// Every $ref points at something that exists.
	for _, ref := range regexp.MustCompile(`"\$ref":\s*"#/components/(schemas|responses)/([A-Za-z]+)"`).FindAllStringSubmatch(string(body), -1) {
		kind := doc.Comps.Schemas
		if ref[1] == "responses" {
			kind = doc.Comps.Responses
		}
		if kind[ref[2]] == nil {
			t.Errorf("$ref to a missing %s %s", ref[1], ref[2])
		}
	}
}

// TestOpenAPI_SchemasMatchTypes compares the properties of the document's
// schemas with the JSON fields of the Go types the handlers use.
func TestOpenAPI_SchemasMatchTypes(t *testing.T) {
	t.Parallel()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	b, err := os.ReadFile("openapi.json")
	if err != nil || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("read openapi.json: %v", err)
	}
	for name, v := range web.OpenAPISchemas {
		var fields []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			if tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); tag != "" && tag != "-" {
				fields = append(fields, tag)
			}
		}
		var props []string
		for p := range doc.Components.Schemas[name].Properties {
			props = append(props, p)
		}
		slices.Sort(fields)
		slices.Sort(props)
		if !slices.Equal(fields, props) {
			t.Errorf("schema %s: got properties %v, want the JSON fields %v", name, props, fields)
		}
	}
}

// TestOpenAPI_Webhooks: the document's webhooks are the events an endpoint
// can receive, each posted with the headers the worker signs it with and
// the Event body.
func TestOpenAPI_Webhooks(t *testing.T) {
	t.Parallel()
	var doc struct {
		Webhooks map[string]struct {
			Post struct {
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
				} `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Ref string `json:"$ref"`
						} `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"post"`
		} `json:"webhooks"`
	}
	b, err := os.ReadFile("openapi.json")
	if err != nil || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("read openapi.json: %v", err)
	}
	events := append(slices.Clone(linkhub.WebhookEvents), linkhub.EventWebhookTest)
	var documented []string
	for k := range doc.Webhooks {
		documented = append(documented, k)
	}
	slices.Sort(events)
	slices.Sort(documented)
	if !slices.Equal(documented, events) {
		t.Errorf("webhooks %v, want the events %v", documented, events)
	}
	var types []string
	for _, v := range schemaEnums(t, "Event")["type"] {
		types = append(types, fmt.Sprint(v))
	}
	if slices.Sort(types); !slices.Equal(types, events) {
		t.Errorf("Event.type enum %v, want %v", types, events)
	}
	headers := []string{webhook.HeaderEventID, webhook.HeaderEventType, webhook.HeaderTimestamp, webhook.HeaderSignature, webhook.HeaderAttempt}
	slices.Sort(headers)
	for name, w := range doc.Webhooks {
		var got []string
		for _, p := range w.Post.Parameters {
			if p.In == "header" {
				got = append(got, p.Name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, headers) {
			t.Errorf("webhook %s: headers %v, want %v", name, got, headers)
		}
		if ref := w.Post.RequestBody.Content["application/json"].Schema.Ref; ref != "#/components/schemas/Event" {
			t.Errorf("webhook %s: body %q, want the Event schema", name, ref)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
