// Package connector holds the registry of vendor connectors and the token
// cache. The pieces the vendor packages share (the SSRF-safe client, the
// token request, the staged-test recorder) are in package kit, because the
// registry imports every vendor package.
package connector

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// TokenKey identifies a cached token: a new credential version (after a
// relink) must never get the old credential's token.
type TokenKey struct {
	AccountID string
	Version   int64
}

// TokenCache keeps one access token per account and credential version, so
// that N concurrent callers cause one upstream token request per token
// lifetime. It is bounded: the least recently used entry goes first. Tokens
// live only in memory; each replica has its own cache.
type TokenCache struct {
	max   int
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	entries map[TokenKey]*list.Element
	lru     *list.List // front = most recently used; values are *cacheEntry
}

type cacheEntry struct {
	key     TokenKey
	token   linkhub.Token
	refresh time.Time // when to fetch a new one, shortly before expiry
}

// NewTokenCache returns a cache holding at most max tokens (1000 if max < 1).
func NewTokenCache(max int) *TokenCache {
	if max < 1 {
		max = 1000
	}
	return &TokenCache{max: max, now: time.Now, entries: map[TokenKey]*list.Element{}, lru: list.New()}
}

// Get returns the cached token for key, or calls fetch once, however many
// goroutines ask at the same time, and caches its result. Errors are not
// cached, so the next call tries again.
func (c *TokenCache) Get(ctx context.Context, key TokenKey, fetch func(context.Context) (linkhub.Token, error)) (linkhub.Token, error) {
	if tok, ok := c.lookup(key); ok {
		return tok, nil
	}
	ch := c.group.DoChan(fmt.Sprintf("%s\x00%d", key.AccountID, key.Version), func() (any, error) {
		if tok, ok := c.lookup(key); ok { // another flight may have just finished
			return tok, nil
		}
		// One caller giving up must not fail the others waiting on this flight.
		tok, err := fetch(context.WithoutCancel(ctx))
		if err != nil {
			return linkhub.Token{}, err
		}
		c.store(key, tok)
		return tok, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return linkhub.Token{}, res.Err
		}
		return res.Val.(linkhub.Token), nil
	case <-ctx.Done():
		return linkhub.Token{}, ctx.Err()
	}
}

// Forget drops key's token, e.g. when the vendor refused it.
func (c *TokenCache) Forget(key TokenKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.lru.Remove(el)
		delete(c.entries, key)
	}
}

// ForgetRefused drops key's token only if it is still refused, the one a
// vendor just turned down: a caller whose call failed with an old token must
// not drop the new one another caller has fetched meanwhile.
func (c *TokenCache) ForgetRefused(key TokenKey, refused linkhub.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok && el.Value.(*cacheEntry).token.AccessToken.Reveal() == refused.AccessToken.Reveal() {
		c.lru.Remove(el)
		delete(c.entries, key)
	}
}

// Len returns the number of cached tokens.
func (c *TokenCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

func (c *TokenCache) lookup(key TokenKey) (linkhub.Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return linkhub.Token{}, false
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.refresh) {
		return linkhub.Token{}, false
	}
	c.lru.MoveToFront(el)
	return e.token, true
}

func (c *TokenCache) store(key TokenKey, tok linkhub.Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := &cacheEntry{key: key, token: tok, refresh: refreshAt(c.now(), tok.Expiry)}
	if el, ok := c.entries[key]; ok {
		el.Value = e
		c.lru.MoveToFront(el)
		return
	}
	c.entries[key] = c.lru.PushFront(e)
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.entries, old.Value.(*cacheEntry).key)
	}
}

// refreshAt is when a token fetched at now should be replaced: a tenth of its
// lifetime early, at least 5 s and at most 60 s, so a caller never gets a
// token that expires on its way to the vendor; but never more than half the
// lifetime early, so short-lived tokens are still shared.
func refreshAt(now, expiry time.Time) time.Time {
	life := expiry.Sub(now)
	early := min(max(life/10, 5*time.Second), time.Minute, life/2)
	return expiry.Add(-early)
}
