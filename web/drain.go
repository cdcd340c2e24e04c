package web

import (
	"context"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Drain lets a shutdown stop hub link submissions before the server: new
// ones are refused with a 503 that says to try again, while the running
// ones finish, or, at the bound, are cut short so that they answer and
// record their outcome before the process exits. A submission cut off
// without an answer could have stored its account unseen.
type Drain struct {
	mu      sync.Mutex
	closing bool
	running int
	idle    chan struct{} // closed once closing with nothing running
	abort   context.Context
	cancel  context.CancelFunc
}

// NewDrain returns a Drain that accepts submissions.
func NewDrain() *Drain {
	abort, cancel := context.WithCancel(context.Background())
	return &Drain{idle: make(chan struct{}), abort: abort, cancel: cancel}
}

// Close refuses new submissions from now on.
func (d *Drain) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.closing {
		d.closing = true
		if d.running == 0 {
			close(d.idle)
		}
	}
}

// Wait waits until the running submissions are over, or until soft ends;
// then it cuts the rest short and waits for them to answer, until hard
// ends. It reports whether none was left running.
func (d *Drain) Wait(soft, hard context.Context) bool {
	select {
	case <-d.idle:
		return true
	case <-soft.Done():
	}
	d.cancel()
	select {
	case <-d.idle:
		return true
	case <-hard.Done():
		return false
	}
}

// draining reports whether submissions are refused.
func (d *Drain) draining() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closing
}

func (d *Drain) enter() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closing {
		return false
	}
	d.running++
	return true
}

func (d *Drain) leave() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.running--; d.running == 0 && d.closing {
		close(d.idle)
	}
}

// guard is the middleware of the link submissions.
func (d *Drain) guard(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !d.enter() {
			c.Response().Header().Set("Retry-After", "5")
			return linkhub.Errorf(linkhub.EUNAVAILABLE, "Linkhub is restarting. Nothing was sent or stored: try again in a few seconds.")
		}
		defer d.leave()
		req := c.Request()
		ctx, cancel := context.WithCancel(req.Context())
		defer cancel()
		stop := context.AfterFunc(d.abort, cancel)
		defer stop()
		// The error page renders after this returns, on the request's own
		// context, not on this one, cancelled by then.
		defer c.SetRequest(req)
		c.SetRequest(req.WithContext(ctx))
		err := next(c)
		if err != nil && d.abort.Err() != nil {
			// Cut short at the shutdown bound: the account was not stored
			// (its transaction did not commit), so the user may retry.
			c.Response().Header().Set("Retry-After", "5")
			return linkhub.Errorf(linkhub.EUNAVAILABLE, "Linkhub restarted before the test finished. Nothing was stored: try again in a few seconds.")
		}
		return err
	}
}
