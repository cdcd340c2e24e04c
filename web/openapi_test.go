package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/web"
)

// TestOpenAPI_MatchesRoutes fails when an /api/ route is missing from the
// served OpenAPI document, or the document describes a route that is not
// there.
func TestOpenAPI_MatchesRoutes(t *testing.T) {
	a := newAPIClient(t)
	resp, err := http.Get(a.srv.URL + "/api/openapi.json") // no API key
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

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
