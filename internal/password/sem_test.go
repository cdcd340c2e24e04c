package password

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestHasher_BoundsConcurrency(t *testing.T) {
	h := New(2)
	h.sem <- struct{}{}
	h.sem <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "pw"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v with both slots taken, want context.DeadlineExceeded", err)
	}
	h.release()
	if _, err := h.Hash(context.Background(), "pw"); err != nil {
		t.Fatalf("got %v with a free slot, want nil", err)
	}
}
