package definition

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// schemaJSON is the JSON Schema every definition is checked against; it is
// also served at /api/connector-schema.json for editors.
//
//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema of definitions.
func Schema() []byte { return bytes.Clone(schemaJSON) }

// schema is compiled on first use: a command that reads no definition
// (version, healthcheck, migrate) does not pay for it at start.
var schema = sync.OnceValue(func() *jsonschema.Schema { return compileSchema("connector-schema.json") })

// translationsSchema checks a Go connector's translations file.
var translationsSchema = sync.OnceValue(func() *jsonschema.Schema {
	return compileSchema("connector-schema.json#/$defs/translations_file")
})

func compileSchema(loc string) *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		panic(err) // embedded; a test parses it
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("connector-schema.json", doc); err != nil {
		panic(err)
	}
	return c.MustCompile(loc)
}

// Problem is one thing wrong with a definition, where it is; its String
// is "file:line: field: message".
type Problem = linkhub.DefinitionProblem

// Problems is every problem Parse found, in line order.
type Problems []Problem

// Error implements error: one problem a line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// Parse reads one definition. file names it in messages. The error, when
// not nil, is Problems.
func Parse(file string, data []byte) (*Definition, error) {
	return parse(file, data, false)
}

// ParseBuiltin is Parse for a definition built into Linkhub: it skips the
// JSON Schema and compiles its CEL on first use instead of at once, which
// were most of a start's time with eighteen translated definitions. Only
// for definitions a test has parsed with Parse (the conformance test does
// every built-in one); the semantic checks still run.
func ParseBuiltin(file string, data []byte) (*Definition, error) {
	return parse(file, data, true)
}

func parse(file string, data []byte, lazy bool) (*Definition, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line := 0
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(yamlLine.ReplaceAllString(err.Error(), ""), "yaml: ")
		return nil, Problems{{File: file, Line: line, Message: "not valid YAML: " + strings.TrimLeft(msg, ": ")}}
	}
	if len(root.Content) == 0 {
		return nil, Problems{{File: file, Line: 1, Message: "the file is empty"}}
	}
	p := &parser{file: file, lines: map[string]int{}, lazy: lazy}
	p.index(root.Content[0], "")
	if !lazy { // a built-in definition passed it in the conformance test
		p.schemaCheck(root.Content[0], schema())
	}
	if len(p.problems) > 0 {
		return nil, p.sorted()
	}
	d := &Definition{Source: file, exprs: map[string]*Expr{}}
	if err := root.Content[0].Decode(d); err != nil {
		p.add("", "cannot be read: %v", err)
		return nil, p.sorted()
	}
	p.semantic(d)
	if len(p.problems) > 0 {
		return nil, p.sorted()
	}
	return d, nil
}

type parser struct {
	file     string
	lines    map[string]int // JSON pointer -> line
	problems Problems
	lazy     bool // CEL compiled on first use (ParseBuiltin)
}

// index records the line of every node by its JSON pointer.
func (p *parser) index(n *yaml.Node, ptr string) {
	p.lines[ptr] = n.Line
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			p.lines[ptr+"/"+k] = n.Content[i].Line
			p.index(n.Content[i+1], ptr+"/"+k)
			p.lines[ptr+"/"+k] = n.Content[i].Line // the key's line reads best
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p.index(c, ptr+"/"+strconv.Itoa(i))
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			p.index(n.Alias, ptr)
		}
	}
}

// add records a problem at JSON pointer ptr (its nearest known ancestor's line).
func (p *parser) add(ptr, format string, args ...any) {
	line, at := 0, ptr
	for {
		if l, ok := p.lines[at]; ok {
			line = l
			break
		}
		i := strings.LastIndex(at, "/")
		if i < 0 {
			break
		}
		at = at[:i]
	}
	p.problems = append(p.problems, Problem{File: p.file, Line: line, Field: fieldName(ptr), Message: fmt.Sprintf(format, args...)})
}

// fieldName turns /fields/2/guide_step into fields[2].guide_step.
func fieldName(ptr string) string {
	var b strings.Builder
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		if _, err := strconv.Atoi(part); err == nil {
			b.WriteString("[" + part + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(part)
	}
	return b.String()
}

func (p *parser) sorted() Problems {
	slices.SortStableFunc(p.problems, func(a, b Problem) int { return a.Line - b.Line })
	return p.problems
}

var printer = message.NewPrinter(language.English)

// schemaCheck validates the document against the JSON Schema and records
// the innermost failures, the ones that say what to change.
func (p *parser) schemaCheck(n *yaml.Node, schema *jsonschema.Schema) {
	var v any
	if err := n.Decode(&v); err != nil {
		p.add("", "cannot be read: %v", err)
		return
	}
	raw, err := json.Marshal(v)
	if err != nil {
		p.add("", "must be a mapping with text keys")
		return
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		p.add("", "cannot be read: %v", err)
		return
	}
	err = schema.Validate(inst)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return
	}
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := ""
		for _, s := range e.InstanceLocation {
			ptr += "/" + s
		}
		// An unknown key is best shown on its own line.
		if k, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(k.Properties) > 0 {
			ptr += "/" + k.Properties[0]
		}
		msg := e.ErrorKind.LocalizedString(printer)
		if !seen[ptr+msg] {
			seen[ptr+msg] = true
			p.add(ptr, "%s", msg)
		}
	}
	walk(ve)
}
