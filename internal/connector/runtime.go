package connector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// runtimeEntry is one stored runtime connector as the registry sees it.
type runtimeEntry struct {
	rc     *linkhub.RuntimeConnector
	spec   linkhub.ConnectorSpec
	broken string
}

// RuntimeFile names a stored definition in messages: the connector and its version.
func RuntimeFile(id string, version int) string {
	return "runtime:" + id + "@v" + strconv.Itoa(version)
}

// Sync brings the runtime connectors up to date with store: when the
// stored generation differs from the one the registry was built from, every
// enabled definition is parsed again and the registry's view swapped whole.
// A definition that no longer passes (a newer Linkhub, a built-in that took
// its id) is left out and reported by Catalog.
func (r *Registry) Sync(ctx context.Context, store linkhub.RuntimeConnectorService) error {
	r.syncMu.Lock()
	defer r.syncMu.Unlock()
	gen, err := store.RuntimeConnectorsGeneration(ctx)
	if err != nil {
		return err
	}
	if cur := r.cur.Load(); cur.loaded && cur.gen == gen {
		return nil
	}
	list, err := store.FindRuntimeConnectors(ctx)
	if err != nil {
		return err
	}
	v := view{byID: map[string]linkhub.Connector{}, gen: gen, loaded: true, fromRuntime: map[string]bool{}}
	replaced := map[string]linkhub.Connector{}
	var added []linkhub.Connector
	for _, rc := range list {
		e := runtimeEntry{rc: rc, spec: linkhub.ConnectorSpec{ID: rc.ID, Name: rc.ID}}
		d, err := r.check(RuntimeFile(rc.ID, rc.Version), rc.Source, rc.Replaces)
		switch {
		case err != nil:
			e.broken = err.Error()
		case d.ID != rc.ID:
			e.broken = fmt.Sprintf("its id %q is not the connector's %q", d.ID, rc.ID)
		default:
			e.spec = d.Spec()
			if rc.Disabled {
				break
			}
			c := makeStorable(engine.New(d, r.cfg))
			v.fromRuntime[rc.ID] = true
			if _, ok := r.static.byID[rc.ID]; ok {
				replaced[rc.ID] = c
			} else {
				added = append(added, c)
			}
		}
		v.runtime = append(v.runtime, e)
	}
	for _, c := range r.static.order {
		if rc, ok := replaced[c.Spec().ID]; ok {
			c = rc
		}
		v.order = append(v.order, c)
	}
	v.order = append(v.order, added...)
	for _, c := range v.order {
		v.byID[c.Spec().ID] = c
	}
	r.cur.Store(&v)
	return nil
}

// Origin says where the connector id now offered comes from
// (linkhub.OriginBuiltin, OriginFile or OriginRuntime) and, for a runtime
// one, what it replaces (empty when nothing).
func (r *Registry) Origin(id string) (origin, replaces string) {
	v := r.cur.Load()
	if _, ok := v.byID[id]; !ok {
		return "", ""
	}
	if !v.fromRuntime[id] {
		return r.origin[id], ""
	}
	return linkhub.OriginRuntime, r.origin[id]
}

// Synced reports whether the runtime connectors have been loaded at least once.
func (r *Registry) Synced() bool { return r.cur.Load().loaded }

// Follow keeps the registry in step with store until ctx ends: at once, on
// every poke (a change heard on the database's notification channel) and
// every interval, which brings a replica that missed a notification up to
// date. Failures are logged and retried on the next turn.
func (r *Registry) Follow(ctx context.Context, store linkhub.RuntimeConnectorService, poke <-chan struct{}, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := r.Sync(ctx, store); err != nil && ctx.Err() == nil {
			log.Warn("runtime connectors not reloaded", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-poke:
		case <-t.C:
		}
	}
}

// check parses source as a runtime definition: every problem of the
// definition package, then the registry's rule that replacing a built-in or
// file connector is explicit. The error is *linkhub.DefinitionError.
func (r *Registry) check(file, source string, replaces bool) (*definition.Definition, error) {
	d, err := definition.Parse(file, []byte(source))
	var ps definition.Problems
	if errors.As(err, &ps) {
		return nil, &linkhub.DefinitionError{Problems: ps}
	}
	if err != nil {
		return nil, err
	}
	at := linkhub.DefinitionProblem{File: file, Line: keyLine(source, "id"), Field: "id"}
	if origin, ok := r.origin[d.ID]; ok && !replaces {
		c := r.static.byID[d.ID]
		at.Message = fmt.Sprintf("%q is the id of the %s connector %s; tick \"replaces the %s %s\" to run this definition in its place, or give it another id",
			d.ID, origin, c.Spec().Name, origin, c.Spec().Name)
		return nil, &linkhub.DefinitionError{Problems: []linkhub.DefinitionProblem{at}}
	}
	if _, ok := r.origin[d.ID]; replaces && !ok {
		at.Message = fmt.Sprintf("there is no built-in or file connector %q to replace; untick \"replaces\" or use the id of the one to replace", d.ID)
		return nil, &linkhub.DefinitionError{Problems: []linkhub.DefinitionProblem{at}}
	}
	return d, nil
}

// keyLine is the line of a top-level key in a YAML text, 0 when absent.
func keyLine(source, key string) int {
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(key) + `\s*:`)
	for i, l := range strings.Split(source, "\n") {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 0
}

// Catalog lists every connector with where it comes from: the ones offered
// in registry order, then the runtime ones not offered (disabled, or no
// longer valid).
func (r *Registry) Catalog() []linkhub.CatalogEntry {
	v := r.cur.Load()
	rt := map[string]runtimeEntry{}
	for _, e := range v.runtime {
		rt[e.rc.ID] = e
	}
	var out []linkhub.CatalogEntry
	for _, c := range v.order {
		id := c.Spec().ID
		ce := linkhub.CatalogEntry{Spec: c.Spec(), Origin: r.origin[id]}
		if e, ok := rt[id]; ok && e.broken == "" && !e.rc.Disabled {
			ce.Origin, ce.Runtime, ce.Replaces = linkhub.OriginRuntime, e.rc, r.origin[id]
			delete(rt, id)
		}
		out = append(out, ce)
	}
	for _, e := range v.runtime {
		if _, left := rt[e.rc.ID]; left {
			out = append(out, linkhub.CatalogEntry{Spec: e.spec, Origin: linkhub.OriginRuntime, Runtime: e.rc,
				Replaces: r.origin[e.rc.ID], Broken: e.broken})
		}
	}
	return out
}
