package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/postgres"
)

// runtimeCheckInterval is how often a process compares its runtime
// connectors with the database's, for a change whose notification it did
// not hear (its listener was reconnecting, or the pool has no room for one).
const runtimeCheckInterval = 30 * time.Second

// followRuntimeConnectors loads the admins' runtime connectors into
// registry before serving, then keeps them current: on every change the
// account listener hears, and every runtimeCheckInterval. The returned func
// stops it and waits.
func followRuntimeConnectors(ctx context.Context, db *postgres.DB, registry *connector.Registry, store *postgres.RuntimeConnectorService, log *slog.Logger) (func(), error) {
	if err := registry.Sync(ctx, store); err != nil {
		return nil, err
	}
	poke := make(chan struct{}, 1)
	db.OnRuntimeConnectorsChanged(func() {
		select {
		case poke <- struct{}{}:
		default: // a reload is already due
		}
	})
	followCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { registry.Follow(followCtx, store, poke, runtimeCheckInterval, log); close(done) }()
	return func() { stop(); <-done }, nil
}
