package postgres

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// runner tells whether a pending hub attempt is really being tested. The
// process holds a session-level advisory lock on a random key on a
// connection of its own and stamps its attempts with the key: a crash,
// SIGKILL or database restart ends that session and frees the key at once,
// while a live process keeps it. The attempts it runs are also known in
// memory, so one it gave up (a cancelled request, an outage mid-test) is
// known as abandoned at once too.
type runner struct {
	mu      sync.Mutex
	key     int64                      // the lock held now; 0 while none is
	running map[string]context.Context // attempts this process is testing, with their requests
}

func newRunner() *runner { return &runner{running: map[string]context.Context{}} }

// currentKey is the key to stamp a new attempt with, 0 when no lock is held.
func (r *runner) currentKey() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.key
}

// hold takes a fresh lock on conn (the caller's own connection, kept for as
// long as the lock should live) and moves the attempts still running here
// to it: the key they had died with the connection that held it.
func (r *runner) hold(ctx context.Context, conn *pgx.Conn) error {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	key := int64(binary.BigEndian.Uint64(b[:])>>2) + 1 // #nosec G115 -- shifted into 1..2⁶², a positive int64
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("take the attempt runner lock: %w", err)
	}
	r.mu.Lock()
	r.key = key
	ids := make([]string, 0, len(r.running))
	for id := range r.running {
		ids = append(ids, id)
	}
	r.mu.Unlock()
	if _, err := conn.Exec(ctx, `UPDATE attempts SET runner = $1 WHERE id = ANY($2::uuid[]) AND status = 'pending'`,
		key, ids); err != nil {
		return fmt.Errorf("restamp running attempts: %w", err)
	}
	return nil
}

// drop forgets the lock: its connection is gone or going.
func (r *runner) drop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.key = 0
}

// start records that this process tests attempt id for the request of ctx,
// stamped with key; it returns the key to stamp it with instead when the
// lock changed meanwhile.
func (r *runner) start(ctx context.Context, id string, key int64) (restamp int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.running[id] = ctx
	if r.key != key {
		return r.key
	}
	return 0
}

// stop records that attempt id no longer runs here; it reports whether it
// was running (not finished, held or stopped before).
func (r *runner) stop(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.running[id]
	delete(r.running, id)
	return ok
}

// runningIDs are the attempts this process tests now. An attempt whose
// request is over no longer counts, even before abandon, which runs on its
// own goroutine, has stopped it: a retry right after a cancelled request
// must not find it in the way.
func (r *runner) runningIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := make([]string, 0, len(r.running))
	for id, ctx := range r.running {
		if ctx.Err() == nil {
			ids = append(ids, id)
		}
	}
	return ids
}
