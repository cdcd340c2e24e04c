package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

const apiKeyKey = "api_key"

// requireAPIKey lets through requests with "Authorization: Bearer <key>" of
// an active API key and answers everything else 401 in the API's JSON error
// shape. Use is noted in memory, so a request writes nothing.
func requireAPIKey(keys linkhub.APIKeyService) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			scheme, key, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) == "" {
				return unauthorized(c, "Send an API key as \"Authorization: Bearer lh_...\".")
			}
			k, err := keys.AuthenticateAPIKey(c.Request().Context(), strings.TrimSpace(key))
			if linkhub.ErrorCode(err) == linkhub.EUNAUTHORIZED {
				return unauthorized(c, linkhub.ErrorMessage(err))
			} else if err != nil {
				return err
			}
			keys.RecordAPIKeyUse(k.ID, time.Now())
			c.Set(apiKeyKey, k)
			return next(c)
		}
	}
}

func unauthorized(c echo.Context, msg string) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="linkhub"`)
	return c.JSON(http.StatusUnauthorized, apiError{Error: apiErrorBody{Code: "unauthorized", Message: msg}})
}

// handlePing handles GET /api/v1/ping: a key check for integrators.
func handlePing() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]bool{"ok": true})
	}
}
