package connector

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// mustNinjaOne returns a NinjaOne connector, its fake, and the stored
// credentials and metadata of a linked account.
func mustNinjaOne(t *testing.T) (linkhub.Connector, *fake.NinjaOne, linkhub.Credentials, map[string]string) {
	t.Helper()
	f := fake.NewNinjaOne(t)
	cfg := fake.Config(2*time.Second, f.Server.Server)
	cfg.Hosts.Definitions = map[string]map[string]string{"ninjaone": {"instance.eu": f.URL}}
	c := NewRegistry(cfg)
	conn, ok := c.Get("ninjaone")
	if !ok {
		t.Fatal("got no ninjaone connector")
	}
	creds := linkhub.Credentials{
		Values:  map[string]string{"region": "eu", "client_id": f.ClientID},
		Secrets: map[string]secret.Value{"client_secret": secret.New(f.ClientSecret)},
	}
	return conn, f, creds, map[string]string{"ninjaone_region": "eu"}
}

// getConcurrently asks the cache for key from n goroutines at once and
// returns the access tokens they got.
func getConcurrently(t *testing.T, c *TokenCache, key TokenKey, n int, fetch func(context.Context) (linkhub.Token, error)) map[string]int {
	t.Helper()
	var mu sync.Mutex
	got := map[string]int{}
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			tok, err := c.Get(context.Background(), key, fetch)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[tok.AccessToken.Reveal()]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return got
}

func TestTokenCache_Get(t *testing.T) {
	t.Run("OneUpstreamRequestFor50Callers", func(t *testing.T) {
		conn, f, creds, meta := mustNinjaOne(t)
		c := NewTokenCache(10)
		fetch := func(ctx context.Context) (linkhub.Token, error) { return conn.Token(ctx, creds, meta) }
		key := TokenKey{AccountID: "acc-1", Version: 1}
		got := getConcurrently(t, c, key, 50, fetch)
		if f.TokenRequests() != 1 || len(got) != 1 {
			t.Fatalf("got %d token requests and %d distinct tokens, want 1 and 1", f.TokenRequests(), len(got))
		}
		getConcurrently(t, c, key, 50, fetch)
		if got := f.TokenRequests(); got != 1 {
			t.Fatalf("got %d token requests after a second wave, want 1", got)
		}
	})
	t.Run("RefreshBeforeExpiry", func(t *testing.T) {
		conn, f, creds, meta := mustNinjaOne(t)
		f.SetExpiresIn(20)
		c := NewTokenCache(10)
		now := time.Now()
		c.now = func() time.Time { return now }
		fetch := func(ctx context.Context) (linkhub.Token, error) { return conn.Token(ctx, creds, meta) }
		key := TokenKey{AccountID: "acc-1", Version: 1}
		getConcurrently(t, c, key, 50, fetch)
		now = now.Add(10 * time.Second) // half the lifetime: still fresh
		getConcurrently(t, c, key, 50, fetch)
		if got := f.TokenRequests(); got != 1 {
			t.Fatalf("got %d token requests at half lifetime, want 1", got)
		}
		now = now.Add(6 * time.Second) // 4 s before expiry: inside the refresh window
		getConcurrently(t, c, key, 50, fetch)
		if got := f.TokenRequests(); got != 2 {
			t.Fatalf("got %d token requests near expiry, want 2", got)
		}
	})
	t.Run("NewVersionNewToken", func(t *testing.T) {
		conn, f, creds, meta := mustNinjaOne(t)
		c := NewTokenCache(10)
		fetch := func(ctx context.Context) (linkhub.Token, error) { return conn.Token(ctx, creds, meta) }
		a, _ := c.Get(context.Background(), TokenKey{"acc-1", 1}, fetch)
		b, _ := c.Get(context.Background(), TokenKey{"acc-1", 2}, fetch)
		if f.TokenRequests() != 2 || a.AccessToken.Reveal() == b.AccessToken.Reveal() {
			t.Fatalf("got %d token requests, want 2 distinct tokens for 2 versions", f.TokenRequests())
		}
	})
	t.Run("ErrNotCached", func(t *testing.T) {
		c := NewTokenCache(10)
		calls := 0
		fail := func(context.Context) (linkhub.Token, error) { calls++; return linkhub.Token{}, errors.New("boom") }
		for range 2 {
			if _, err := c.Get(context.Background(), TokenKey{"acc", 1}, fail); err == nil {
				t.Fatal("got no error, want the fetch's error")
			}
		}
		if calls != 2 {
			t.Fatalf("got %d fetches, want 2: errors must not be cached", calls)
		}
	})
	t.Run("Bounded", func(t *testing.T) {
		c := NewTokenCache(3)
		fetch := func(context.Context) (linkhub.Token, error) {
			return linkhub.Token{AccessToken: secret.New("t"), Expiry: time.Now().Add(time.Hour)}, nil
		}
		for i := range 5 {
			_, _ = c.Get(context.Background(), TokenKey{"acc", int64(i)}, fetch)
		}
		if got := c.Len(); got != 3 {
			t.Fatalf("got %d entries, want 3", got)
		}
		if _, ok := c.lookup(TokenKey{"acc", 0}); ok {
			t.Fatal("got the oldest entry still cached, want it evicted")
		}
		if _, ok := c.lookup(TokenKey{"acc", 4}); !ok {
			t.Fatal("got the newest entry evicted, want it cached")
		}
	})
}

func TestTokenCache_ForgetRefused(t *testing.T) {
	c := NewTokenCache(10)
	key := TokenKey{AccountID: "a", Version: 1}
	n := 0
	fetch := func(context.Context) (linkhub.Token, error) {
		n++
		return linkhub.Token{AccessToken: secret.New(string(rune('0' + n))), Expiry: time.Now().Add(time.Hour)}, nil
	}
	old, _ := c.Get(context.Background(), key, fetch)
	c.ForgetRefused(key, old)
	fresh, _ := c.Get(context.Background(), key, fetch)
	if fresh.AccessToken.Reveal() == old.AccessToken.Reveal() || n != 2 {
		t.Fatalf("after forgetting the refused token: got %q after %d fetches, want a new one", fresh.AccessToken.Reveal(), n)
	}
	// A late caller that saw the old token refused keeps the fresh one.
	c.ForgetRefused(key, old)
	if got, _ := c.Get(context.Background(), key, fetch); got.AccessToken.Reveal() != fresh.AccessToken.Reveal() || n != 2 {
		t.Errorf("a stale refusal: got %q after %d fetches, want the fresh token kept", got.AccessToken.Reveal(), n)
	}
}
