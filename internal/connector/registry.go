package connector

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/definitions"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Config is the outbound-call policy of all connectors; see kit.Config.
type Config = kit.Config

// Hosts overrides the vendors' fixed hosts; see kit.Hosts.
type Hosts = kit.Hosts

// Registry holds the connectors by id, in a stable order for menus: the
// built-in and file ones fixed at start, and the runtime ones an admin
// defines, swapped in whole by Sync.
type Registry struct {
	cfg    Config
	static view
	origin map[string]string // of the static connectors, by id
	cur    atomic.Pointer[view]
	syncMu sync.Mutex // one Sync at a time
}

// view is every connector offered at one moment.
type view struct {
	byID  map[string]linkhub.Connector
	order []linkhub.Connector
	// gen is the runtime connectors' generation the view was built from;
	// loaded is false until the first Sync.
	gen         int64
	loaded      bool
	runtime     []runtimeEntry
	fromRuntime map[string]bool // the ids a runtime definition runs
}

// NewRegistry returns every connector, built with cfg: the built-in
// definitions (internal/connector/definitions) and extra, the
// definitions loaded at start (LINKHUB_CONNECTORS_DIR), which CheckIDs has
// held to ids of their own. Adding a vendor a definition can describe is
// one YAML file and its fake; no line here.
func NewRegistry(cfg Config, extra ...*definition.Definition) *Registry {
	r := &Registry{cfg: cfg, static: view{byID: map[string]linkhub.Connector{}}, origin: map[string]string{}}
	for _, d := range append(Builtins(), extra...) {
		r.add(engine.Connect(d, cfg))
	}
	for _, d := range extra {
		r.origin[d.ID] = linkhub.OriginFile
	}
	v := r.static
	r.cur.Store(&v)
	return r
}

// seeds are the first vendors Linkhub had; they keep their place at the head
// of menus, the other built-in definitions follow by id.
var seeds = []string{"sophos", "jamf", "ninjaone"}

// Builtins returns the built-in definitions, parsed once.
var Builtins = sync.OnceValue(func() []*definition.Definition {
	defs, err := definition.LoadBuiltinFS(definitions.FS, "internal/connector/definitions")
	if err != nil {
		panic(err) // embedded at build time; the conformance test parses each
	}
	rank := func(d *definition.Definition) int {
		if i := slices.Index(seeds, d.ID); i >= 0 {
			return i
		}
		return len(seeds)
	}
	slices.SortStableFunc(defs, func(a, b *definition.Definition) int { return rank(a) - rank(b) })
	return defs
})

// CheckIDs refuses definitions whose id a built-in connector has: replacing
// one is not silent.
func CheckIDs(defs []*definition.Definition) error {
	builtin := map[string]bool{}
	for _, c := range NewRegistry(Config{}).All() {
		builtin[c.Spec().ID] = true
	}
	for _, d := range defs {
		if builtin[d.ID] {
			return fmt.Errorf("%s: id: %q is a built-in connector; give the definition another id", d.Source, d.ID)
		}
	}
	return nil
}

func (r *Registry) add(c linkhub.Connector) {
	c = makeStorable(c)
	id := c.Spec().ID
	if _, dup := r.static.byID[id]; dup {
		panic("connector: duplicate id " + id) // a programming error, caught by the registry test
	}
	r.static.byID[id] = c
	r.static.order = append(r.static.order, c)
	r.origin[id] = linkhub.OriginBuiltin
}

// Get returns the connector with the given id.
func (r *Registry) Get(id string) (linkhub.Connector, bool) {
	c, ok := r.cur.Load().byID[id]
	return c, ok
}

// All returns the connectors in registration order, the runtime ones that
// replace nothing last.
func (r *Registry) All() []linkhub.Connector {
	return append([]linkhub.Connector(nil), r.cur.Load().order...)
}

// storable hands out each test's report with the vendor's text made
// storable (linkhub.Report.Storable), for every connector alike.
type storable struct{ linkhub.Connector }

// makeStorable wraps c in storable and keeps the optional interfaces c
// implements visible, which a plain wrapper would hide from the callers'
// type assertions.
func makeStorable(c linkhub.Connector) linkhub.Connector {
	s := storable{c}
	r, isRouter := c.(linkhub.Router)
	ic, isChecker := c.(linkhub.InputChecker)
	switch {
	case isRouter && isChecker:
		return struct {
			storable
			linkhub.Router
			linkhub.InputChecker
		}{s, r, ic}
	case isRouter:
		return struct {
			storable
			linkhub.Router
		}{s, r}
	case isChecker:
		return struct {
			storable
			linkhub.InputChecker
		}{s, ic}
	}
	return s
}

func (s storable) Test(ctx context.Context, in linkhub.TestInput) linkhub.Report {
	return s.Connector.Test(ctx, in).Storable()
}
