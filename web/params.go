package web

import (
	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// checkParams is the one place path parameters are parsed: an :id that is
// not a UUID, or any parameter that is not storable text (a NUL, invalid
// UTF-8), is "not found" before a handler or a query sees it. The hub's
// :profile and :attempt are left to the hub, whose unknown or expired
// session says so first; the services treat a malformed id as unknown.
func checkParams() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			values := c.ParamValues()
			for i, name := range c.ParamNames() {
				if i >= len(values) {
					break
				}
				if v := values[i]; name == "id" && !linkhub.ValidID(v) || !linkhub.ValidText(v) {
					return echo.ErrNotFound
				}
			}
			return next(c)
		}
	}
}
