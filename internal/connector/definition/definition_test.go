package definition_test

import (
	"encoding/json"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/definition"
)

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../definitions/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lineOf returns the 1-based line of the first occurrence of s in text.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q not in the definition", s)
	}
	return strings.Count(text[:i], "\n") + 1
}

// TestParse_Problems checks that each kind of mistake is reported with the
// file, the line it is on and the field's name, and nothing is returned.
func TestParse_Problems(t *testing.T) {
	base := mustRead(t, "okta.yaml")
	for _, tt := range []struct {
		name, old, new, field, msg string
	}{
		{"UnknownAuthType", "type: api_key", "type: apikey", "auth.type", "value must be one of"},
		{"UnknownKey", "category: Identity", "category: Identity\ncolour: red", "colour", "additional properties 'colour' not allowed"},
		{"MissingGuideStep", "guide_step: copy-token", "guide_step: paste-token", "fields[1].guide_step", `no step with the id "paste-token"`},
		{"SecretNotSecret", "secret: api_token", "secret: okta_domain", "auth.secret", `field "okta_domain" must be of kind secret`},
		{"SecretInPath", "path: /api/v1/users/me", "path: /api/v1/users/{api_token}", "verify[0].path", "secrets never go into addresses"},
		{"UnknownPlaceholder", "path: /api/v1/users/me", "path: /api/v1/users/{user}", "verify[0].path", "{user} is neither a field nor stored metadata"},
		{"CELSyntax", `expr: 'type(body) == map && "id" in body && "profile" in body'`, `expr: 'body.id ==='`, "verify[0].check.expr", "Syntax error"},
		{"CELNotBool", `expr: 'type(body) == map && "id" in body && "profile" in body'`, `expr: '"yes"'`, "verify[0].check.expr", "gives string, want bool"},
		{"CELUnknownVariable", `'type(body) == map && "errorCode" in body && body.errorCode == "E0000011"'`, `'secret == "x"'`, "errors[0].when", "undeclared reference to 'secret'"},
		{"BadRegex", `regex: "^00[A-Za-z0-9_-]{40}$"`, `regex: "^00[A-Z"`, "fields[1].pattern.regex", "not a valid regular expression"},
		{"UnknownReason", "reason: permission_missing", "reason: no_permission", "errors[1].reason", "value must be one of"},
		{"UnknownHost", "host: org\n    path: /api/v1/users/me", "host: api\n    path: /api/v1/users/me", "verify[0].host", `no host is named "api"`},
		{"BadID", "id: okta", "id: Okta!", "id", "does not match pattern"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("%q not in okta.yaml", tt.old)
			}
			text := strings.Replace(base, tt.old, tt.new, 1)
			d, err := definition.Parse("okta.yaml", []byte(text))
			var ps definition.Problems
			if d != nil || !errors.As(err, &ps) {
				t.Fatalf("got %v, %v, want Problems", d, err)
			}
			marker := strings.SplitN(tt.new, "\n", 2)[len(strings.SplitN(tt.new, "\n", 2))-1]
			if tt.name == "UnknownHost" {
				marker = "host: api"
			}
			want := "okta.yaml:" + strconv.Itoa(lineOf(t, text, marker)) + ": "
			if tt.field != "" {
				want += tt.field + ": "
			}
			if !strings.HasPrefix(ps[0].String(), want) || !strings.Contains(ps[0].Message, tt.msg) {
				t.Fatalf("got %q, want %q... holding %q (all: %v)", ps[0].String(), want, tt.msg, err)
			}
		})
	}
}

func TestParse_NotYAML(t *testing.T) {
	_, err := definition.Parse("x.yaml", []byte("id: okta\nname: [unclosed\n"))
	var ps definition.Problems
	if !errors.As(err, &ps) || !strings.HasPrefix(ps[0].String(), "x.yaml:") || !strings.Contains(ps[0].Message, "not valid YAML") || ps[0].Line == 0 {
		t.Fatalf("got %v, want x.yaml:LINE: not valid YAML", err)
	}
	if _, err := definition.Parse("empty.yaml", nil); err == nil {
		t.Fatal("got no error for an empty file")
	}
}

// TestSchema checks that the published schema is JSON with the fields an
// editor needs.
func TestSchema(t *testing.T) {
	var s map[string]any
	if err := json.Unmarshal(definition.Schema(), &s); err != nil {
		t.Fatal(err)
	}
	if s["$schema"] == nil || s["properties"] == nil {
		t.Fatalf("got %v, want a JSON Schema document", s)
	}
}

// TestExpr_CostLimit checks that an expression doing too much work over a
// vendor's answer stops with an error instead of running on.
func TestExpr_CostLimit(t *testing.T) {
	base := mustRead(t, "okta.yaml")
	heavy := `body.all(x, body.all(y, body.all(z, x + y + z >= 0.0)))`
	text := strings.Replace(base, `expr: 'type(body) == map && "id" in body && "profile" in body'`, "expr: '"+heavy+"'", 1)
	d, err := definition.Parse("okta.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	list := make([]any, 100) // 100^3 steps, far above the limit
	for i := range list {
		list[i] = float64(i)
	}
	if _, err := d.Expr(heavy).Bool(definition.Vars{Body: list}); !errors.Is(err, definition.ErrExpr) || !strings.Contains(err.Error(), "cost") {
		t.Fatalf("got %v, want the cost limit to stop it", err)
	}
	if ok, err := d.Expr(heavy).Bool(definition.Vars{Body: list[:3]}); err != nil || !ok {
		t.Fatalf("small input: got %v, %v, want true, nil", ok, err)
	}
}

// TestParseBuiltin: a built-in definition's CEL is compiled on first use,
// with the same result as Parse's, and an expression that does not compile
// (which the conformance test's Parse would have refused) fails when it
// runs instead of passing silently.
func TestParseBuiltin(t *testing.T) {
	base := mustRead(t, "okta.yaml")
	check := `type(body) == map && "id" in body && "profile" in body`
	d, err := definition.ParseBuiltin("okta.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"id": "00u1", "profile": map[string]any{}}
	if ok, err := d.Expr(check).Bool(definition.Vars{Body: body}); err != nil || !ok {
		t.Fatalf("got %v, %v, want true, nil", ok, err)
	}
	broken := `type(body) == map &&`
	text := strings.Replace(base, "expr: '"+check+"'", "expr: '"+broken+"'", 1)
	if _, err := definition.Parse("okta.yaml", []byte(text)); err == nil {
		t.Fatal("Parse took an expression that does not compile")
	}
	d, err = definition.ParseBuiltin("okta.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Expr(broken).Bool(definition.Vars{Body: body}); !errors.Is(err, definition.ErrExpr) {
		t.Fatalf("got %v, want ErrExpr", err)
	}
}
