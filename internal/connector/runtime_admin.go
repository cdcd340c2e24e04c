package connector

import (
	"context"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// MaxDefinitionBytes bounds a runtime definition's YAML; the largest
// built-in one is a fifth of it.
const MaxDefinitionBytes = 128 << 10

// Runtime manages the connectors admins define at runtime: it holds each
// definition to the rules before the store keeps it, and brings this
// process's registry up to date after every change (the others follow the
// change's notification, or their timer).
type Runtime struct {
	reg   *Registry
	store linkhub.RuntimeConnectorService
}

// NewRuntime returns the manager of reg's runtime connectors, kept in store.
func NewRuntime(reg *Registry, store linkhub.RuntimeConnectorService) *Runtime {
	return &Runtime{reg: reg, store: store}
}

// Catalog lists every connector with its origin, up to date with the store.
func (m *Runtime) Catalog(ctx context.Context) ([]linkhub.CatalogEntry, error) {
	if err := m.reg.Sync(ctx, m.store); err != nil {
		return nil, err
	}
	return m.reg.Catalog(), nil
}

// Check validates source as a runtime definition named file in messages;
// id, when not empty, is the connector it must define (an edit, an API
// PUT). It returns the connector's spec, or *linkhub.DefinitionError.
func (m *Runtime) Check(file, id, source string, replaces bool) (linkhub.ConnectorSpec, error) {
	if err := sourceOK(file, source); err != nil {
		return linkhub.ConnectorSpec{}, err
	}
	d, err := m.reg.check(file, source, replaces)
	if err != nil {
		return linkhub.ConnectorSpec{}, err
	}
	if id != "" && d.ID != id {
		return linkhub.ConnectorSpec{}, &linkhub.DefinitionError{Problems: []linkhub.DefinitionProblem{{File: file,
			Line: keyLine(source, "id"), Field: "id", Message: fmt.Sprintf("%q is not the id of the connector being saved, %q; an id never changes", d.ID, id)}}}
	}
	return engine.New(d, m.reg.cfg).Spec(), nil
}

// Test runs the staged test of source, checked as by Check, on in: the
// same engine, the same outbound policy (SSRF-safe client) as a saved one.
func (m *Runtime) Test(ctx context.Context, file, id, source string, replaces bool, in linkhub.TestInput) (linkhub.Report, error) {
	if _, err := m.Check(file, id, source, replaces); err != nil {
		return linkhub.Report{}, err
	}
	d, _ := m.reg.check(file, source, replaces)
	return makeStorable(engine.New(d, m.reg.cfg)).Test(ctx, in), nil
}

// Save checks source and stores it as the next version of its connector.
func (m *Runtime) Save(ctx context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
	spec, err := m.Check(file, id, source, replaces)
	if err != nil {
		return nil, err
	}
	rc, err := m.store.SaveRuntimeConnector(ctx, actor, spec.ID, source, replaces)
	if err != nil {
		return nil, err
	}
	return rc, m.reg.Sync(ctx, m.store)
}

// Find returns the runtime connector id; ENOTFOUND when there is none.
func (m *Runtime) Find(ctx context.Context, id string) (*linkhub.RuntimeConnector, error) {
	return m.store.FindRuntimeConnector(ctx, id)
}

// Versions returns every version of id, newest first.
func (m *Runtime) Versions(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error) {
	return m.store.FindRuntimeConnectorVersions(ctx, id)
}

// SetDisabled turns a runtime connector off (refused while profiles use
// it) or on again.
func (m *Runtime) SetDisabled(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error {
	if err := m.store.SetRuntimeConnectorDisabled(ctx, actor, id, disabled); err != nil {
		return err
	}
	return m.reg.Sync(ctx, m.store)
}

// Delete removes a runtime connector and its history; refused while
// profiles use it.
func (m *Runtime) Delete(ctx context.Context, actor linkhub.Actor, id string) error {
	if err := m.store.DeleteRuntimeConnector(ctx, actor, id); err != nil {
		return err
	}
	return m.reg.Sync(ctx, m.store)
}

// sourceOK refuses what no definition is: empty, too long, or not text.
func sourceOK(file, source string) error {
	msg := ""
	switch {
	case len(source) > MaxDefinitionBytes:
		msg = fmt.Sprintf("the definition is %d KiB; at most %d KiB are accepted", len(source)>>10, MaxDefinitionBytes>>10)
	case !utf8.ValidString(source) || slices.Contains([]byte(source), 0):
		msg = "the definition is not UTF-8 text"
	}
	if msg == "" {
		return nil
	}
	return &linkhub.DefinitionError{Problems: []linkhub.DefinitionProblem{{File: file, Message: msg}}}
}
