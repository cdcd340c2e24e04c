package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/views"
)

// handleHealthz handles GET /healthz: the process is alive.
func handleHealthz() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}

// handleReadyz handles GET /readyz: the database answers within 2 seconds,
// and the process is not shutting down (a load balancer then sends new
// users elsewhere).
func handleReadyz(db Pinger, drain *Drain) echo.HandlerFunc {
	return func(c echo.Context) error {
		if drain.draining() {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "shutting_down"})
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
		}
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
}

// handleHome handles GET /.
func handleHome(cfg Config) echo.HandlerFunc {
	return func(c echo.Context) error {
		return render(c, http.StatusOK, views.Home(views.HomeView{Version: cfg.Version}))
	}
}

// handleDocs handles GET /docs: the host developer's integration guide.
func handleDocs(cfg Config) echo.HandlerFunc {
	return func(c echo.Context) error {
		return render(c, http.StatusOK, views.Docs(views.DocsView{BaseURL: cfg.BaseURL}))
	}
}
