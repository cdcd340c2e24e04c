package postgres

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"time"
)

// accountChannel is where the accounts_changed trigger announces the id of
// each account updated or deleted (migration 00032).
const accountChannel = "linkhub_account_changed"

// Bounds of the account cache: a backstop age, should a notification ever
// be lost without the connection failing, and a size.
const (
	accountCacheTTL  = time.Minute
	accountCacheSize = 10000
)

// accountCache keeps the account rows FindAccountByID read, so the host
// API's token, proxy and action calls cost no database round trip. It is
// used only while ListenAccountChanges holds a LISTEN on accountChannel:
// every change evicts the row in every process within milliseconds. Without
// the listener every read goes to the database.
type accountCache struct {
	now func() time.Time

	mu        sync.Mutex
	rows      map[string]cachedAccount
	gen       uint64 // bumped by each eviction, so a read that raced a change is not kept
	listening bool
}

type cachedAccount struct {
	row   accountRow
	until time.Time
}

// ownMaps returns r with copies of its maps: the cache and those it hands
// rows to share none.
func (r accountRow) ownMaps() accountRow {
	r.Values, r.Metadata, r.SessionMetadata = maps.Clone(r.Values), maps.Clone(r.Metadata), maps.Clone(r.SessionMetadata)
	return r
}

func newAccountCache() *accountCache {
	return &accountCache{now: time.Now, rows: map[string]cachedAccount{}}
}

// get returns a copy of the cached row of id.
func (c *accountCache) get(id string) (accountRow, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.rows[id]
	if !ok || !c.now().Before(e.until) {
		return accountRow{}, false
	}
	return e.row.ownMaps(), true
}

// begin is called before reading a row: put keeps it only if nothing was
// evicted in between and the listener is up.
func (c *accountCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *accountCache) put(r accountRow, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.listening || gen != c.gen {
		return
	}
	if len(c.rows) >= accountCacheSize {
		for id := range c.rows { // any one: a full cache is rare, its entries alike
			delete(c.rows, id)
			break
		}
	}
	c.rows[r.ID] = cachedAccount{row: r.ownMaps(), until: c.now().Add(accountCacheTTL)}
}

// evict forgets id, when another process's change is announced, and after
// a change in this process, deferred past its commit, so the process reads
// its own change at once rather than when the announcement arrives.
func (c *accountCache) evict(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	delete(c.rows, id)
}

// evictAll forgets every row, after a change to many accounts.
func (c *accountCache) evictAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.rows)
}

// reset forgets every row and turns caching on or off.
func (c *accountCache) reset(listening bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.rows)
	c.listening = listening
}

// ListenAccountChanges lets FindAccountByID answer from memory for as long
// as it holds a LISTEN for account changes on a connection of its own; it
// returns when ctx ends. A lost connection turns the cache off (a change may
// have gone unheard) until the LISTEN is back. Its connection is one of the
// pool's, so a pool of one does not listen.
func (s *AccountService) ListenAccountChanges(ctx context.Context, log *slog.Logger) {
	if s.db.Pool.Config().MaxConns < 2 {
		log.Info("one database connection leaves none to listen for account changes: accounts are read from the database")
		return
	}
	lost := false
	for {
		err := s.listenAccountChanges(ctx, func() {
			if lost {
				log.Info("listening for account changes again: accounts are cached")
				lost = false
			}
		})
		s.db.accounts.reset(false)
		if ctx.Err() != nil {
			return
		}
		if !lost {
			log.Warn("lost the listener for account changes: accounts are read from the database until it is back", "err", err)
			lost = true
		}
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return
		}
	}
}

// listenAccountChanges holds one LISTEN until it fails or ctx ends.
func (s *AccountService) listenAccountChanges(ctx context.Context, listening func()) error {
	pc, err := s.db.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// Held, not hijacked, so it counts within the pool's limit and
	// LINKHUB_DB_MAX_CONNS bounds every connection; closed before its
	// release, as a connection that listened is no one else's.
	conn := pc.Conn()
	defer func() { _ = conn.Close(context.Background()); pc.Release() }()
	// The connection of its own also holds the hub attempts' runner lock:
	// it lives exactly as long as this process's hold on the database.
	defer s.db.runner.drop()
	if err := s.db.runner.hold(ctx, conn); err != nil {
		return err
	}
	// The connector channel first: the account one, last, is the query an
	// operator sees on this connection in pg_stat_activity.
	for _, ch := range []string{connectorChannel, accountChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			return err
		}
	}
	s.db.accounts.reset(true)
	listening()
	s.db.connectorsChanged() // one may have gone unheard while not listening
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == connectorChannel {
			s.db.connectorsChanged()
			continue
		}
		s.db.accounts.evict(n.Payload)
	}
}
