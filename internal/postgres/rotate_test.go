package postgres_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// writer creates accounts and replaces their credentials, remembering the
// last secrets it wrote to each of its accounts.
type writer struct {
	accounts *postgres.AccountService
	profile  string
	owned    map[string]map[string]string // account id -> secret name -> value
	order    []string
}

func (w *writer) create(ctx context.Context) error {
	s := map[string]string{"client_secret": rand.Text(), "api_key": rand.Text()}
	a := newAccount(w.profile)
	sv := map[string]secret.Value{}
	for k, v := range s {
		sv[k] = secret.New(v)
	}
	if err := w.accounts.CreateAccount(ctx, a, sv); err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	w.owned[a.ID], w.order = s, append(w.order, a.ID)
	return nil
}

func (w *writer) replace(ctx context.Context, i int) error {
	id := w.order[i%len(w.order)]
	v := rand.Text()
	// api_key is left blank: the stored value must survive.
	_, err := w.accounts.ReplaceCredentials(ctx, id, nil, nil,
		map[string]secret.Value{"client_secret": secret.New(v), "api_key": {}})
	if err == nil {
		w.owned[id]["client_secret"] = v
	}
	return err
}

func TestDB_RotateSecrets_WhileWriting(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes a few thousand rows")
	}
	ctx := context.Background()
	db := pgtest.DB(t)
	entries := map[int]string{}
	old := MustKeyring(t, entries, 1, 1)
	profiles, accounts := Services(t, db, old)
	p := MustProfile(t, profiles, "Partner", nil)

	// 1000 accounts x 2 secrets under key 1, spread over 4 writers.
	writers := make([]*writer, 4)
	for i := range writers {
		writers[i] = &writer{accounts: accounts, profile: p.ID, owned: map[string]map[string]string{}}
	}
	var wg sync.WaitGroup
	for _, w := range writers {
		wg.Go(func() {
			for range 250 {
				if err := w.create(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	// Key 2 becomes active; the writers switch to it, as restarted
	// replicas would, and keep writing throughout the rotation.
	kr := MustKeyring(t, entries, 2, 2, 1)
	_, accounts2 := Services(t, db, kr)
	stop := make(chan struct{})
	var ops atomic.Int64
	for _, w := range writers {
		w.accounts = accounts2
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if i%3 == 0 {
					err = w.create(ctx)
				} else {
					err = w.replace(ctx, i*7)
				}
				if err != nil {
					t.Error(err)
					return
				}
				ops.Add(1)
			}
		})
	}
	// A short pause per batch lets the writers interleave with the
	// rotation; it is left out of the throughput figure.
	const pause = 5 * time.Millisecond
	batches := 0
	res, err := db.RotateSecrets(ctx, kr, 100, func(done, left int) { batches++; time.Sleep(pause) })
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	busy := res.Elapsed - time.Duration(batches)*pause
	t.Logf("re-wrapped %d secrets in %d batches, %s (%.0f rows/s without pauses) while writers did %d operations",
		res.Rewrapped, batches, busy, float64(res.Rewrapped)/busy.Seconds(), ops.Load())
	if ops.Load() == 0 {
		t.Fatal("writers did nothing during the rotation")
	}
	// The writers may have re-sealed a few under key 2 before the count.
	if res.Rewrapped == 0 || res.Rewrapped > res.Before[1] || res.Before[1] > 2000 || res.Before[1] < 1800 {
		t.Errorf("got %d re-wrapped, %d before under key 1, want about 2000 of at most 2000", res.Rewrapped, res.Before[1])
	}
	if left := res.Left(2); left != 0 {
		t.Errorf("got %d secrets left under other keys, want 0", left)
	}
	if freed := res.Freed(2); len(freed) != 1 || freed[0] != 1 {
		t.Errorf("got freed ids %v, want [1]", freed)
	}

	// Every row is under key 2 and opens with a keyring that has only key 2,
	// and holds exactly what the writers wrote last.
	var n, notTwo int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE kek_id <> 2) FROM secrets`).Scan(&n, &notTwo); err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, w := range writers {
		want += 2 * len(w.owned)
	}
	if n != want || notTwo != 0 {
		t.Fatalf("got %d rows, %d not under key 2, want %d and 0", n, notTwo, want)
	}
	_, only2 := Services(t, db, MustKeyring(t, entries, 2, 2))
	for _, w := range writers {
		for id, secrets := range w.owned {
			got, err := only2.FindAccountSecrets(ctx, id)
			if err != nil {
				t.Fatalf("account %s: %v", id, err)
			}
			for name, v := range secrets {
				if got[name].Reveal() != v {
					t.Fatalf("account %s secret %s: got another value than the last written", id, name)
				}
			}
		}
	}

	// Rerunning finds nothing to do.
	res, err = db.RotateSecrets(ctx, kr, 100, nil)
	if err != nil || res.Rewrapped != 0 {
		t.Errorf("second run: got %d re-wrapped, %v, want 0, nil", res.Rewrapped, err)
	}
}
