package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/linkhub/linkhub/static"
)

// addRoutes is the one route table of Linkhub.
func addRoutes(e *echo.Echo, cfg Config, deps Deps) {
	e.Pre(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		RequestIDHandler: func(c echo.Context, id string) { c.Set("request_id", id) },
	}))
	e.Use(recoverer(deps.Logger))
	e.Use(requestLogger(deps.Logger))
	e.Use(securityHeaders())
	e.Use(middleware.BodyLimit(bodyLimit(cfg.MaxBodyBytes)))

	// Probes for orchestrators and load balancers.
	e.GET("/healthz", handleHealthz())
	e.GET("/readyz", handleReadyz(deps.DB))

	// Public pages and assets.
	e.GET("/", handleHome(cfg))
	e.GET("/docs", handleDocs(cfg))
	e.GET("/static/*", echo.WrapHandler(static.Handler()))
	e.GET("/favicon.ico", func(c echo.Context) error { // browsers ask for it whatever the page says
		return c.Redirect(http.StatusMovedPermanently, static.Path("img/favicon.svg"))
	})
}
