package web

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"runtime"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// defaultCSP allows only our own scripts, styles and images, and forbids
// framing; the hub replaces frame-ancestors with the session's embed origin.
const defaultCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the baseline headers of every response. A handler may
// override Content-Security-Policy (the hub does, for its frame-ancestors).
func securityHeaders() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Content-Security-Policy", defaultCSP)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "no-referrer")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if c.Scheme() == "https" {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// requestLogger logs one line per request with its id, never the query
// string: connect tokens arrive in it. It hands a handler's error to the
// error handler first, so the line carries the status actually sent.
func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogURIPath: true, LogLatency: true,
		LogRemoteIP: true, LogRequestID: true, LogError: true, HandleError: true,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return p == "/healthz" || p == "/readyz"
		},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []any{"method", v.Method, "path", redactPath(v.URIPath), "status", v.Status,
				"duration_ms", strconv.FormatFloat(float64(v.Latency.Microseconds())/1000, 'f', 2, 64),
				"ip", v.RemoteIP, "request_id", v.RequestID}
			if v.Status >= 500 {
				log.Error("request", attrs...)
			} else {
				log.Info("request", attrs...)
			}
			return nil
		},
	})
}

// redactPath hides the hub session handle, a bearer secret, in logged paths.
func redactPath(p string) string {
	rest, ok := strings.CutPrefix(p, "/hub/")
	if !ok {
		return p
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return "/hub/[handle]" + rest[i:]
	}
	return "/hub/[handle]"
}

// recoverer turns a panic into a 500 page and a log line with the stack,
// without the panic value reaching the user.
func recoverer(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					buf := make([]byte, 8<<10)
					buf = buf[:runtime.Stack(buf, false)]
					log.Error("panic", "path", redactPath(c.Request().URL.Path), "panic", fmt.Sprint(r),
						"stack", string(buf), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
					err = fmt.Errorf("panic: %v", r)
				}
			}()
			return next(c)
		}
	}
}

func bodyLimit(n int64) string {
	if n <= 0 {
		n = 1 << 20
	}
	return strconv.FormatInt(n, 10) + "B"
}

func prefixToIPNet(p netip.Prefix) *net.IPNet {
	p = p.Masked()
	bits := 32
	if p.Addr().Is6() {
		bits = 128
	}
	return &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), bits)}
}
