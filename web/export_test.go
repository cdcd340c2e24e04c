package web

import "github.com/labstack/echo/v4"

// Routes returns the route table as addRoutes builds it, for the tests that
// walk every route.
func Routes() []*echo.Route {
	e := echo.New()
	addRoutes(e, Config{}, Deps{})
	return e.Routes()
}
