package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// acmeDef is a small valid runtime definition.
var acmeDef = func() string {
	b, err := os.ReadFile("../connector/testdata/acme.yaml")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// replica is one Linkhub process's view: its own pool and registry.
type replica struct {
	reg *connector.Registry
	rt  *connector.Runtime
	db  *postgres.DB
}

func newReplica(t *testing.T, url string) replica {
	t.Helper()
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	reg := connector.NewRegistry(connector.Config{})
	return replica{reg: reg, rt: connector.NewRuntime(reg, postgres.NewRuntimeConnectorService(db)), db: db}
}

// follow runs the replica's Follow until the test ends, poked by its
// database listener when listen is set, else by its timer only.
func (r replica) follow(t *testing.T, listen bool, interval time.Duration, heard *atomic.Int32) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	t.Cleanup(func() { cancel(); <-done; <-done })
	poke := make(chan struct{}, 1)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if listen {
		r.db.OnRuntimeConnectorsChanged(func() {
			heard.Add(1)
			select {
			case poke <- struct{}{}:
			default:
			}
		})
		go func() { postgres.NewAccountService(r.db, nil).ListenAccountChanges(ctx, log); done <- struct{}{} }()
	} else {
		done <- struct{}{}
	}
	go func() {
		r.reg.Follow(ctx, postgres.NewRuntimeConnectorService(r.db), poke, interval, log)
		done <- struct{}{}
	}()
}

// eventually waits for cond with waitFor and logs how long the change took
// to reach the other replica.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	t.Logf("%s after %v", what, waitFor(t, what, cond).Round(time.Millisecond))
}

func name(r replica, id string) string {
	if c, ok := r.reg.Get(id); ok {
		return c.Spec().Name
	}
	return ""
}

// TestRuntimeConnectors_Replicas: two processes on one database. A change
// made through one reaches the other through the notification, and also
// through the timer alone when the notification is never heard.
func TestRuntimeConnectors_Replicas(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct {
		name     string
		listen   bool
		interval time.Duration
	}{{"Notified", true, time.Hour}, {"MissedNotification", false, 50 * time.Millisecond}} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			url := pgtest.URL(t)
			a, b := newReplica(t, url), newReplica(t, url)
			var heard atomic.Int32
			b.follow(t, mode.listen, mode.interval, &heard)
			if mode.listen {
				// Saved before b listens and has loaded once, acme would
				// reach b by that first load, not by the notification.
				eventually(t, "b listens and has loaded", func() bool { return heard.Load() > 0 && b.reg.Synced() })
			}
			if name(b, "acme") != "" {
				t.Fatal("got acme before it was saved")
			}
			if _, err := a.rt.Save(ctx, rtAdmin, "pasted.yaml", "", acmeDef, false); err != nil {
				t.Fatal(err)
			}
			if name(a, "acme") != "Acme Cloud" {
				t.Errorf("got %q on the replica that saved, want it at once", name(a, "acme"))
			}
			eventually(t, "b offers acme", func() bool { return name(b, "acme") == "Acme Cloud" })

			if _, err := a.rt.Save(ctx, rtAdmin, "pasted.yaml", "acme", strings.Replace(acmeDef, "Acme Cloud", "Acme Cloud 2", 1), false); err != nil {
				t.Fatal(err)
			}
			eventually(t, "b runs version 2", func() bool { return name(b, "acme") == "Acme Cloud 2" })
			if err := a.rt.SetDisabled(ctx, rtAdmin, "acme", true); err != nil {
				t.Fatal(err)
			}
			eventually(t, "b no longer offers acme", func() bool { return name(b, "acme") == "" })
			if err := a.rt.Delete(ctx, rtAdmin, "acme"); err != nil {
				t.Fatal(err)
			}
			eventually(t, "b forgets acme", func() bool {
				for _, e := range b.reg.Catalog() {
					if e.Spec.ID == "acme" {
						return false
					}
				}
				return true
			})
		})
	}
}

// TestRuntimeConnectors_Replaces: a flagged definition takes the built-in's
// place in the registry, in the same position, and shows it replaces it;
// deleted, the built-in is back.
func TestRuntimeConnectors_Replaces(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newReplica(t, pgtest.URL(t))
	okta := strings.NewReplacer("id: acme", "id: okta", "Acme Cloud", "Okta (ours)").Replace(acmeDef)
	if _, err := r.rt.Save(ctx, rtAdmin, "pasted.yaml", "", okta, false); linkhub.ErrorCode(err) == "" || !strings.Contains(err.Error(), `tick "replaces the built-in Okta"`) {
		t.Fatalf("got %v, want the clash refused", err)
	}
	pos := func() int {
		for i, c := range r.reg.All() {
			if c.Spec().ID == "okta" {
				return i
			}
		}
		return -1
	}
	before := pos()
	if _, err := r.rt.Save(ctx, rtAdmin, "pasted.yaml", "", okta, true); err != nil {
		t.Fatal(err)
	}
	if name(r, "okta") != "Okta (ours)" || pos() != before {
		t.Errorf("got %q at %d, want Okta (ours) at %d", name(r, "okta"), pos(), before)
	}
	cat, err := r.rt.Catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cat {
		if e.Spec.ID == "okta" && (e.Origin != linkhub.OriginRuntime || e.Replaces != linkhub.OriginBuiltin || e.Runtime.Version != 1) {
			t.Errorf("got %+v, want a runtime entry replacing the built-in", e)
		}
	}
	if err := r.rt.Delete(ctx, rtAdmin, "okta"); err != nil {
		t.Fatal(err)
	}
	if name(r, "okta") != "Okta" {
		t.Errorf("got %q, want the built-in Okta back", name(r, "okta"))
	}
}
