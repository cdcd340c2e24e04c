package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/postgres"
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

// formFields returns every form field name and every query parameter name
// the handlers read, found in web's source (FormValue, which reads both,
// QueryParam, Get and form/query tags) and the connectors' field ids, as hub
// fields and as profile fields.
func formFields(t *testing.T) (form, query []string) {
	t.Helper()
	forms, queries := map[string]bool{}, map[string]bool{}
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
						queries[s] = true
						forms[s] = forms[s] || sel.Sel.Name == "FormValue"
					}
				}
			case *ast.Field:
				if n.Tag != nil {
					tag := reflect.StructTag(strings.Trim(n.Tag.Value, "`"))
					for k, names := range map[string]map[string]bool{"form": forms, "query": queries} {
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
			forms[f.ID], forms["field."+f.ID] = true, true
		}
	}
	sorted := func(m map[string]bool) []string {
		var out []string
		for k, ok := range m {
			if ok {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	return sorted(forms), sorted(queries)
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

// walkOrder puts the routes that delete or disable their rows last, so the
// others run with live ids.
func walkOrder(r *echo.Route) int {
	if r.Method == http.MethodDelete || strings.HasSuffix(r.Path, "/delete") || strings.HasSuffix(r.Path, "/disable") ||
		strings.HasSuffix(r.Path, "/revoke") {
		return 1
	}
	return 0
}

// TestRoutes_HostileInput walks the whole route table, as the server builds
// it, signed in as an admin and with an API key: NUL, invalid UTF-8 and an
// over-long value in every path parameter, and in every form, query and
// JSON field among plausible values of the others. No answer may be a 500.
//
// A whole-server test, on PostgreSQL with live rows behind every id: the
// 500s it hunts come from the real services together (a value that gets
// past the handler and a service's checks to a query that PostgreSQL
// refuses, a lookup of a malformed id, text no column can hold), which no
// mock can answer as the database would. Each service's own refusal of
// such text is tested where it lives (TestUnstorableText, internal/postgres).
func TestRoutes_HostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("walks thousands of requests")
	}
	t.Parallel()
	plausible := maps.Clone(plausible) // this walk's own: it adds the fake vendor's address

	env := MustHubEnv(t, web.HubLimits{PerSession: 1 << 20, PerIP: 1 << 20}) // deep, not 429
	admin := env.adminClient(t)
	ctx := context.Background()
	keys := postgres.NewAPIKeyService(env.db)
	plausible["url"], plausible["field.url"] = env.jamf.URL, env.jamf.URL // resolvable, and allowed in tests
	// fixtures are fresh rows for each hostile value, as the routes that
	// delete, disable and revoke spend them; the admin and the API key that
	// the walk itself uses are never among them.
	fixtures := func(kind string) map[string]string {
		p := env.MustProfile(t, "jamf", "Jamf "+kind)
		acct := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "owner-1", OriginOwnerName: "Owner One"}
		if err := env.accounts.CreateAccount(ctx, acct, nil); err != nil {
			t.Fatal(err)
		}
		hook := &linkhub.Webhook{URL: env.jamf.URL + "/hook", Events: linkhub.WebhookEvents}
		if _, err := env.webhooks.CreateWebhook(ctx, linkhub.SystemActor, hook); err != nil {
			t.Fatal(err)
		}
		key, _, err := keys.CreateAPIKey(ctx, linkhub.SystemActor, "spare "+kind)
		if err != nil {
			t.Fatal(err)
		}
		other, err := env.admins.CreateAdmin(ctx, linkhub.SystemActor, "spare-"+strings.ToLower(kind)+"@example.com", "correct horse battery 9")
		if err != nil {
			t.Fatal(err)
		}
		hub := env.MustOpen(t, env.MustToken(t, map[string]any{"max_links": linkhub.MaxSessionLinks}))
		return map[string]string{ // by the path segment before the parameter
			"profiles": p.ID, "accounts": acct.ID, "api-keys": key.ID, "admins": other.ID,
			"webhooks": hook.ID, "hub": strings.Split(strings.TrimPrefix(hub, "/hub/"), "/")[0],
			"attempts": "8f9c1d1e-0000-4000-8000-000000000000", "actions": "get_version", "proxy": "api/v1/jamf-pro-version",
		}
	}
	routes := web.Routes()
	slices.SortStableFunc(routes, func(a, b *echo.Route) int { return walkOrder(a) - walkOrder(b) })
	forms, queries := formFields(t)
	jsons := jsonFields()
	if len(forms) < 20 || len(queries) < 10 || len(jsons) < 8 || len(routes) < 60 {
		t.Fatalf("found %d form fields, %d query parameters, %d JSON fields and %d routes: the walk would prove little",
			len(forms), len(queries), len(jsons), len(routes))
	}
	var mu sync.Mutex
	var sent, fivehundreds, signedOut int
	statuses := map[int]int{}
	var batch []func() // one route's requests, sent eight at a time: the wait is the database, not the CPU
	var sendNow func(method, path, contentType, body string)
	flush := func() {
		work := make(chan func())
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for f := range work {
					f()
				}
			})
		}
		for _, f := range batch {
			work <- f
		}
		close(work)
		wg.Wait()
		batch = nil
	}
	send := func(method, path, contentType, body string) {
		batch = append(batch, func() { sendNow(method, path, contentType, body) })
	}
	sendNow = func(method, path, contentType, body string) {
		req, err := http.NewRequest(method, env.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Errorf("%s %.80q: %v", method, path, err)
			return
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", "Bearer "+env.apiKey)
		resp, err := admin.Do(req)
		if err != nil {
			t.Errorf("%s %.80q: %v", method, path, err)
			return
		}
		resp.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		sent++
		statuses[resp.StatusCode]++
		if strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") ||
			strings.HasPrefix(path, "/api/v1/") && resp.StatusCode == http.StatusUnauthorized {
			signedOut++ // the walk is no longer signed in: what follows proves less
		}
		if resp.StatusCode >= 500 && resp.StatusCode != http.StatusBadGateway { // 502: the (fake) vendor's fault, not the input's
			fivehundreds++
			t.Errorf("%s %.120q (%s %.120q): got %d", method, path, contentType, body, resp.StatusCode)
		}
	}
	for kind, bad := range hostileValues() {
		ids := fixtures(kind)
		for _, r := range routes {
			flush()
			if signedOut > 0 {
				t.Fatalf("before %s %s: %d answers said the walk is not signed in as admin or by API key", r.Method, r.Path, signedOut)
			}
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
			fields := forms
			if r.Method == http.MethodGet {
				fields = queries
			}
			for _, f := range fields { // each form or query field hostile, the others plausible
				v := url.Values{}
				for _, g := range fields {
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
		flush()
		t.Logf("%s: %d requests so far", kind, sent)
	}
	t.Logf("walked %d routes with %d form fields, %d query parameters and %d JSON fields: %d requests, %d answers of 500; statuses %v",
		len(routes), len(forms), len(queries), len(jsons), sent, fivehundreds, statuses)
}

// adminClient signs in an admin on env and returns a cookie-carrying client.
func (e *hubEnv) adminClient(t testing.TB) *http.Client {
	t.Helper()
	if _, err := e.admins.CreateAdmin(context.Background(), linkhub.SystemActor, "ada@example.com", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(e.srv.URL+"/admin/login", url.Values{"email": {"ada@example.com"}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: got %d, want 303", resp.StatusCode)
	}
	return c
}
