package connector

import (
	"context"

	"github.com/linkhub/linkhub/internal/connector/jamf"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/connector/ninjaone"
	"github.com/linkhub/linkhub/internal/connector/sophos"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// Config is the outbound-call policy of all connectors; see kit.Config.
type Config = kit.Config

// Hosts overrides the vendors' fixed hosts; see kit.Hosts.
type Hosts = kit.Hosts

// Registry holds the connectors by id, in a stable order for menus.
type Registry struct {
	byID  map[string]linkhub.Connector
	order []linkhub.Connector
}

// NewRegistry returns every connector, built with cfg. Adding a vendor means
// one package, one line here and its fake.
func NewRegistry(cfg Config) *Registry {
	r := &Registry{byID: map[string]linkhub.Connector{}}
	r.add(sophos.New(cfg))
	r.add(jamf.New(cfg))
	r.add(ninjaone.New(cfg))
	return r
}

func (r *Registry) add(c linkhub.Connector) {
	c = makeStorable(c)
	id := c.Spec().ID
	if _, dup := r.byID[id]; dup {
		panic("connector: duplicate id " + id) // a programming error, caught by the registry test
	}
	r.byID[id] = c
	r.order = append(r.order, c)
}

// Get returns the connector with the given id.
func (r *Registry) Get(id string) (linkhub.Connector, bool) {
	c, ok := r.byID[id]
	return c, ok
}

// All returns the connectors in registration order.
func (r *Registry) All() []linkhub.Connector {
	return append([]linkhub.Connector(nil), r.order...)
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
