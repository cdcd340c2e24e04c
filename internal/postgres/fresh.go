package postgres

import (
	"context"
	"sync"
	"time"
)

// fresh is one value read from the database and believed for ttl, for what
// every hub request reads and admins rarely change. A write in this process
// forgets it at once; other processes see the change within ttl.
type fresh[T any] struct {
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	v     T
	until time.Time
	gen   uint64 // bumped by each write, so a read that raced one is not kept
}

func newFresh[T any](ttl time.Duration) *fresh[T] { return &fresh[T]{ttl: ttl, now: time.Now} }

// get returns the value, reading it when it is missing or too old.
func (f *fresh[T]) get(ctx context.Context, read func(context.Context) (T, error)) (T, error) {
	f.mu.Lock()
	v, ok, gen := f.v, f.now().Before(f.until), f.gen
	f.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := read(ctx)
	if err != nil {
		return v, err
	}
	f.mu.Lock()
	if f.gen == gen {
		f.v, f.until = v, f.now().Add(f.ttl)
	}
	f.mu.Unlock()
	return v, nil
}

// forget drops the value after a write, so the next get reads it again.
func (f *fresh[T]) forget() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.until = time.Time{}
}
