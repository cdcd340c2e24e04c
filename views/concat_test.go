package views_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/views"
)

// hubWords are the names of HubText's string fields.
var hubWords = func() map[string]bool {
	out := map[string]bool{}
	ht := reflect.TypeOf(views.HubText{})
	for i := range ht.NumField() {
		if ht.Field(i).Type.Kind() == reflect.String || ht.Field(i).Type.Kind() == reflect.Map {
			out[ht.Field(i).Name] = true
		}
	}
	return out
}()

// A templ expression, as templ fmt writes it: "{ expr }".
var templExprRE = regexp.MustCompile(`\{ ([^{}]*) \}`)

// A HubText string read in an expression: x.Text.Field, t.Field, text.Field.
var hubWordRE = regexp.MustCompile(`(?:\bText|\bt|\btext)\.([A-Z]\w*)`)

// templJoins returns the lines of a templ file where a translated string is
// not a whole text node: other words or another expression beside it in the
// same text ("{ t.X }: { name }"). Translated text in an attribute value
// (placeholder={ t.X }) or as a format (fmt.Sprintf(t.X, ...)) is whole.
func templJoins(src string) []string {
	var out []string
	for n, line := range strings.Split(src, "\n") {
		for _, m := range templExprRE.FindAllStringSubmatchIndex(line, -1) {
			w := hubWordRE.FindStringSubmatch(line[m[2]:m[3]])
			if w == nil || !hubWords[w[1]] || strings.HasSuffix(strings.TrimSpace(line[:m[0]]), "=") {
				continue
			}
			before := line[:m[0]]
			if i := strings.LastIndexAny(before, ">}"); i >= 0 {
				before = before[i+1:]
			}
			after := line[m[1]:]
			if i := strings.IndexAny(after, "<{"); i >= 0 {
				after = after[:i]
			}
			if strings.TrimSpace(before) != "" || strings.TrimSpace(after) != "" {
				out = append(out, strings.TrimSpace(line))
				_ = n
			}
		}
	}
	return out
}

// goJoins returns the + expressions of a Go file with a translated string
// as an operand, itself or as the format of a fmt.Sprintf.
func goJoins(t *testing.T, name string, src []byte) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	translated := func(e ast.Expr) bool {
		for {
			switch x := e.(type) {
			case *ast.ParenExpr:
				e = x.X
				continue
			case *ast.CallExpr:
				if len(x.Args) == 0 {
					return false
				}
				e = x.Args[0] // fmt.Sprintf(t.X, ...) and kin
				continue
			case *ast.IndexExpr:
				e = x.X // t.Stage[name]
				continue
			case *ast.SelectorExpr:
				return hubWords[x.Sel.Name] && hubWordRE.MatchString(string(src[fset.Position(x.Pos()).Offset:fset.Position(x.End()).Offset]))
			}
			return false
		}
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if b, ok := n.(*ast.BinaryExpr); ok && b.Op == token.ADD && (translated(b.X) || translated(b.Y)) {
			out = append(out, fset.Position(b.Pos()).String())
		}
		return true
	})
	return out
}

// TestHubText_NoConcatenation: no translated string is joined to another
// string, since word order differs between languages: in the hub's
// templates each translated string is a whole text node or an attribute
// value, and in the Go of views and web no + has one as an operand. Where
// words and values meet, the catalogue has a format ("%s: %s").
func TestHubText_NoConcatenation(t *testing.T) {
	// The checks themselves catch what they are for.
	if got := templJoins(`<h1>{ v.Text.RelinkTitle }: { v.Profile.Name }</h1>`); len(got) != 1 {
		t.Errorf("templ check missed a join: %v", got)
	}
	if got := templJoins(`<p>{ v.Text.Done }</p><input placeholder={ t.SearchPlaceholder }/>`); len(got) != 0 {
		t.Errorf("templ check flags whole strings: %v", got)
	}
	if got := goJoins(t, "bad.go", []byte("package p\nvar s = h.text.Done + \": \" + name\nvar u = fmt.Sprintf(t.BackTo, x) + \"!\"\nvar ok = a + b\n")); len(got) != 2 {
		t.Errorf("Go check found %v, want the two joins", got)
	}

	templs, _ := filepath.Glob("hub*.templ")
	if len(templs) < 2 {
		t.Fatalf("found hub templates %v", templs)
	}
	for _, name := range templs {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range templJoins(string(src)) {
			t.Errorf("%s: a translated string joined to other text: %s", name, line)
		}
	}
	gos, _ := filepath.Glob("*.go")
	webs, _ := filepath.Glob("../web/*.go")
	for _, name := range append(gos, webs...) {
		if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "_templ.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range goJoins(t, name, src) {
			t.Errorf("%s: a translated string joined with +", at)
		}
	}
}
