package web

import (
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

const adminKey = "admin"

// adminPages is the middleware of every /admin page: never cached, and the
// flash moved from the cookie into the request context for the views.
func adminPages(sess *adminSessions) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", "no-store")
			if f, err := sess.popFlash(c); err != nil {
				return err
			} else if f.Message != "" {
				r := c.Request()
				c.SetRequest(r.WithContext(views.WithFlash(r.Context(), f)))
			}
			return next(c)
		}
	}
}

// requireAdmin lets through requests with a live admin session, and sends
// everyone else to the sign-in page. The admin is available to handlers as
// currentAdmin(c) and to the views through the request context.
func requireAdmin(admins linkhub.AdminService, sess *adminSessions) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			token := sess.token(c)
			a, err := admins.FindAdminBySession(c.Request().Context(), token)
			if linkhub.ErrorCode(err) == linkhub.EUNAUTHORIZED {
				if token != "" {
					return sess.end(c, "error", "Your session has ended. Please sign in again.")
				}
				return c.Redirect(http.StatusSeeOther, "/admin/login")
			} else if err != nil {
				return err
			}
			c.Set(adminKey, a)
			r := c.Request()
			c.SetRequest(r.WithContext(views.WithAdmin(r.Context(), views.CurrentAdmin{ID: a.ID, Email: a.Email})))
			return next(c)
		}
	}
}

// currentAdmin returns the admin requireAdmin let through.
func currentAdmin(c echo.Context) *linkhub.Admin {
	a, _ := c.Get(adminKey).(*linkhub.Admin)
	if a == nil {
		return &linkhub.Admin{}
	}
	return a
}

// actor is who makes this request, for the audit log: the API key of an
// API request, else the signed-in admin; at the request's address.
func actor(c echo.Context) linkhub.Actor {
	if k, ok := c.Get(apiKeyKey).(*linkhub.APIKey); ok {
		return linkhub.Actor{Kind: "api_key", ID: k.ID, Label: k.Name, IP: c.RealIP()}
	}
	return linkhub.AdminActor(currentAdmin(c), c.RealIP())
}

// ipLimiter is a token bucket per client IP (x/time/rate), for the sign-in
// and setup forms. The per-account lockout lives in Postgres; this one is
// per replica and only blunts floods from one address.
type ipLimiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newIPLimiter(every time.Duration, burst int) *ipLimiter {
	return &ipLimiter{every: rate.Every(every), burst: burst, buckets: map[string]*bucket{}}
}

// allow takes a token from ip's bucket.
func (l *ipLimiter) allow(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.buckets) > 10000 { // bound memory: forget idle addresses
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[ip]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}
