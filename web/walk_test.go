package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// hostileValues are what a client can put in a path, form or JSON field but
// no row can hold, or no field should: NUL, invalid UTF-8, and a value far
// longer than any field allows (not compressible, so it reaches index limits).
func hostileValues() map[string]string {
	r := rand.New(rand.NewPCG(1, 2))
	long := make([]byte, 10_000)
	for i := range long {
		long[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[r.IntN(36)]
	}
	return map[string]string{"NUL": "a\x00b", "InvalidUTF8": "a\xff\xfeb", "Long": string(long)}
}

// plausible are ordinary values for the fields a handler reads, so that one
// hostile field among them gets past the checks of the others. A field not
// listed gets "x".
var plausible = map[string]string{
	"name": "Walk", "email": "walk@example.com", "password": "correct horse battery 9", "confirm": "correct horse battery 9",
	"events": "account.created", "connector": "jamf",
	"product_name": "Walk", "primary_color": "#1f5ad6", "session_lifetime": "30", "embed_origins": embedOrigin,
	"field.client_id": "walk", "actions": "get_version",
	"client_id": "walk", "client_secret": "walk",
}

// formFields returns every form and query field name the handlers read,
// found in web's source (FormValue, QueryParam, Get and form/query tags) and
// the connectors' field ids, as hub fields and as profile fields.
func formFields(t *testing.T) []string {
	t.Helper()
	names := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok || len(n.Args) != 1 || !slices.Contains([]string{"FormValue", "QueryParam", "Get"}, sel.Sel.Name) {
					return true
				}
				if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						names[s] = true
					}
				}
			case *ast.Field:
				if n.Tag != nil {
					tag := reflect.StructTag(strings.Trim(n.Tag.Value, "`"))
					for _, k := range []string{"form", "query"} {
						if v, _, _ := strings.Cut(tag.Get(k), ","); v != "" && v != "-" {
							names[v] = true
						}
					}
				}
			}
			return true
		})
	}
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		for _, f := range c.Spec().Fields {
			names[f.ID], names["field."+f.ID] = true, true
		}
	}
	return slices.Sorted(func(yield func(string) bool) {
		for k := range names {
			if !yield(k) {
				return
			}
		}
	})
}

// jsonFields returns the JSON field names of every request the API decodes.
func jsonFields() []string {
	var out []string
	for name, v := range web.OpenAPISchemas {
		if !strings.HasSuffix(name, "Request") {
			continue
		}
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			if n, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ","); n != "" && n != "-" {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

// jsonBody is base with field set to shape of bad, written by hand so that
// invalid UTF-8 goes out raw (encoding/json would replace it).
func jsonBody(base map[string]any, field, shape, bad string) string {
	const mark = "\u2603HOSTILE\u2603"
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	switch shape {
	case "string":
		m[field] = mark
	case "array":
		m[field] = []string{mark}
	case "object":
		m[field] = map[string]string{mark: mark}
	}
	b, _ := json.Marshal(m)
	raw, _ := json.Marshal(bad)
	if !strings.ContainsRune(bad, 0) {
		raw = append(append([]byte{'"'}, bad...), '"') // raw bytes, NUL excepted
	}
	return string(bytes.ReplaceAll(b, []byte(`"`+mark+`"`), raw))
}

// walkOrder puts the routes that end the walk's own access or delete its
// rows last, so the others run with live ids, session and key.
func walkOrder(r *echo.Route) int {
	switch {
	case strings.HasSuffix(r.Path, "/logout"), strings.HasPrefix(r.Path, "/admin/api-keys/:id"),
		strings.HasPrefix(r.Path, "/admin/admins/:id"):
		return 2
	case r.Method == http.MethodDelete, strings.HasSuffix(r.Path, "/delete"), strings.HasSuffix(r.Path, "/disable"):
		return 1
	}
	return 0
}

// TestRoutes_HostileInput walks the whole route table, as the server builds
// it, signed in as an admin and with an API key: NUL, invalid UTF-8 and an
// over-long value in every path parameter, and in every form, query and
// JSON field among plausible values of the others. No answer may be a 500.
func TestRoutes_HostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("walks thousands of requests")
	}
	env := MustHubEnv(t, web.HubLimits{})
	admin := env.adminClient(t)
	ctx := context.Background()
	p := env.MustProfile(t, "jamf", "Jamf")
	acct := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "owner-1", OriginOwnerName: "Owner One"}
	if err := env.accounts.CreateAccount(ctx, acct, nil); err != nil {
		t.Fatal(err)
	}
	plausible["url"], plausible["field.url"] = env.jamf.URL, env.jamf.URL // resolvable, and allowed in tests
	hook := &linkhub.Webhook{URL: env.jamf.URL + "/hook", Events: linkhub.WebhookEvents}
	if _, err := env.webhooks.CreateWebhook(ctx, linkhub.SystemActor, hook); err != nil {
		t.Fatal(err)
	}
	hub := env.MustOpen(t, env.MustToken(t, nil))
	ids := map[string]string{ // by the path segment before the parameter
		"profiles": p.ID, "accounts": acct.ID, "api-keys": env.apiKeyID, "admins": firstID(t, env, "admins"),
		"webhooks": hook.ID, "hub": strings.Split(strings.TrimPrefix(hub, "/hub/"), "/")[0],
		"attempts": "8f9c1d1e-0000-4000-8000-000000000000", "actions": "get_version", "proxy": "api/v1/jamf-pro-version",
	}
	routes := web.Routes()
	slices.SortStableFunc(routes, func(a, b *echo.Route) int { return walkOrder(a) - walkOrder(b) })
	forms, jsons := formFields(t), jsonFields()
	if len(forms) < 30 || len(jsons) < 8 || len(routes) < 60 {
		t.Fatalf("found %d form fields, %d JSON fields and %d routes: the walk would prove little", len(forms), len(jsons), len(routes))
	}
	var sent, fivehundreds int
	send := func(method, path, contentType, body string) {
		req, err := http.NewRequest(method, env.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatalf("%s %.80q: %v", method, path, err)
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", "Bearer "+env.apiKey)
		resp, err := admin.Do(req)
		if err != nil {
			t.Fatalf("%s %.80q: %v", method, path, err)
		}
		resp.Body.Close()
		sent++
		if resp.StatusCode >= 500 && resp.StatusCode != http.StatusBadGateway { // 502: the (fake) vendor's fault, not the input's
			fivehundreds++
			t.Errorf("%s %.120q (%s %.120q): got %d", method, path, contentType, body, resp.StatusCode)
		}
	}
	for kind, bad := range hostileValues() {
		for _, r := range routes {
			path := fillParams(r.Path, ids)
			if p, ok := strings.CutSuffix(path, "/*"); ok {
				path = p + "/" + ids["proxy"]
			}
			segs := strings.Split(r.Path, "/")
			for i, s := range segs { // each path parameter hostile, the others real
				if strings.HasPrefix(s, ":") || s == "*" {
					b := slices.Clone(strings.Split(path, "/"))
					if s == "*" {
						b = append(b[:i], url.PathEscape(bad))
					} else {
						b[i] = url.PathEscape(bad)
					}
					send(r.Method, strings.Join(b, "/"), "", "")
				}
			}
			if strings.HasSuffix(r.Path, "/logout") {
				continue
			}
			for _, f := range forms { // each form or query field hostile, the others plausible
				v := url.Values{}
				for _, g := range forms {
					if pv, ok := plausible[g]; ok {
						v.Set(g, pv)
					}
				}
				v.Set(f, bad)
				if r.Method == http.MethodGet {
					send(r.Method, path+"?"+v.Encode(), "", "")
				} else {
					send(r.Method, path, "application/x-www-form-urlencoded", v.Encode())
				}
			}
			if !strings.HasPrefix(r.Path, "/api/") || r.Method == http.MethodGet {
				continue
			}
			base := map[string]any{"origin_owner_id": "owner-1", "origin_owner_name": "Owner One"}
			for _, f := range jsons { // each JSON field hostile, as a string, in an array and in an object
				for _, shape := range []string{"string", "array", "object"} {
					send(r.Method, path, "application/json", jsonBody(base, f, shape, bad))
				}
			}
		}
		t.Logf("%s: %d requests so far", kind, sent)
	}
	t.Logf("walked %d routes with %d form/query and %d JSON fields: %d requests, %d answers of 500",
		len(routes), len(forms), len(jsons), sent, fivehundreds)
}
