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

	// The host product's API. The API-key middleware wraps this group.
	api := e.Group("/api/v1")
	api.POST("/connect_sessions", handleConnectSessionCreate(cfg, deps))

	// The end-user hub: a connect token opens a hub session whose handle is
	// carried in the path, never in a cookie (the hub lives in iframes).
	e.GET("/connect", handleConnect(deps))
	hub := e.Group("/hub/:handle", requireHub(deps))
	hub.GET("", handleHubPicker(deps))
	hub.GET("/profiles/:profile", handleHubForm(deps))
	hub.POST("/profiles/:profile/connect", handleHubConnect(deps, newHubLimiters(cfg.HubLimits)))
	hub.POST("/attempts/:attempt/choose", handleHubChoose(deps))
}
