package definition

import (
	"errors"
	"fmt"
	"sync"

	"cel.dev/cel-go/cel"
)

// CostLimit bounds the work one expression may do at run time, in CEL cost
// units (roughly one per operation, more for string and list work): far
// above what a status check or a hint needs, far below what would slow a
// link down. CEL has no loops, so every expression ends; the limit stops
// large comprehensions over a vendor's answer.
const CostLimit = 100_000

// Vars are what an expression sees. Every name is always declared, so an
// expression compiles the same wherever it is used; what a stage does not
// know yet is empty.
type Vars struct {
	Status   int               // the answer's HTTP status
	Headers  map[string]string // the answer's headers, names in lower case
	Body     any               // the answer's JSON, or null
	Values   map[string]string // the form's non-secret values
	Metadata map[string]string // what the test discovered so far
	Value    string            // the value being judged (discovery)
	Item     any               // the list item being turned into a choice
	Count    int               // the choices gathered so far
	Hosts    map[string]string // the deployment's base URL of each fixed host
	Action   string            // the action being routed, "" for a proxy call
	Path     string            // the path being routed
}

func (v Vars) activation() map[string]any {
	return map[string]any{"status": v.Status, "headers": orEmpty(v.Headers), "body": v.Body,
		"values": orEmpty(v.Values), "metadata": orEmpty(v.Metadata), "value": v.Value,
		"item": v.Item, "count": v.Count, "hosts": orEmpty(v.Hosts), "action": v.Action, "path": v.Path}
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// celEnv is built on first use, like the schema.
var celEnv = sync.OnceValue(func() *cel.Env {
	env, err := cel.NewEnv(
		cel.Variable("status", cel.IntType),
		cel.Variable("headers", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("body", cel.DynType),
		cel.Variable("values", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("metadata", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("value", cel.StringType),
		cel.Variable("item", cel.DynType),
		cel.Variable("count", cel.IntType),
		cel.Variable("hosts", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("action", cel.StringType),
		cel.Variable("path", cel.StringType),
	)
	if err != nil {
		panic(err) // the declarations above are fixed
	}
	return env
})

// Expr is a compiled CEL expression, or one compiled on first use: a
// built-in definition's (see ParseBuiltin).
type Expr struct {
	src  string
	want *cel.Type
	once sync.Once
	prog cel.Program
	err  error
}

// program is e's compiled program, compiling it on first use when it was
// parsed lazily.
func (e *Expr) program() (cel.Program, error) {
	e.once.Do(func() {
		if e.prog == nil {
			var c *Expr
			if c, e.err = compileExpr(e.src, e.want); e.err == nil {
				e.prog = c.prog
			}
		}
	})
	return e.prog, e.err
}

// compileExpr compiles src and checks that it yields want (bool or string).
func compileExpr(src string, want *cel.Type) (*Expr, error) {
	ast, iss := celEnv().Compile(src)
	if iss.Err() != nil {
		return nil, iss.Err()
	}
	if out := ast.OutputType(); !out.IsExactType(want) && !out.IsExactType(cel.DynType) {
		return nil, fmt.Errorf("the expression gives %s, want %s", out, want)
	}
	prog, err := celEnv().Program(ast, cel.CostLimit(CostLimit))
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, want: want, prog: prog}, nil
}

// ErrExpr is the error of an expression that failed at run time (a missing
// key, a wrong type, the cost limit).
var ErrExpr = errors.New("expression failed")

// Bool evaluates a condition.
func (e *Expr) Bool(v Vars) (bool, error) {
	prog, err := e.program()
	if err != nil {
		return false, fmt.Errorf("%w: %s: %v", ErrExpr, e.src, err)
	}
	out, _, err := prog.Eval(v.activation())
	if err != nil {
		return false, fmt.Errorf("%w: %s: %v", ErrExpr, e.src, err)
	}
	b, ok := out.Value().(bool)
	if !ok {
		return false, fmt.Errorf("%w: %s: gives %s, not a bool", ErrExpr, e.src, out.Type().TypeName())
	}
	return b, nil
}

// String evaluates a computed text.
func (e *Expr) String(v Vars) (string, error) {
	prog, err := e.program()
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrExpr, e.src, err)
	}
	out, _, err := prog.Eval(v.activation())
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrExpr, e.src, err)
	}
	s, ok := out.Value().(string)
	if !ok {
		return "", fmt.Errorf("%w: %s: gives %s, not a string", ErrExpr, e.src, out.Type().TypeName())
	}
	return s, nil
}
