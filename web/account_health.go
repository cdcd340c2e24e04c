package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// accountTestResponse is the answer of POST /api/v1/accounts/:id/test: the
// staged report (no snippet, no value, never a secret) and the account as
// recorded after it, in the shape GET /api/v1/accounts/:id gives it.
type accountTestResponse struct {
	OK      bool                   `json:"ok"`
	Account accountJSON            `json:"account"`
	Stages  []linkhub.AttemptStage `json:"stages"`
}

// handleAccountTestAPI handles POST /api/v1/accounts/:id/test: the account's
// connector test on its stored credentials, whose result is recorded like a
// scheduled one (status, last test, discovered metadata, webhooks).
func handleAccountTestAPI(linker Linking, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, report, err := linker.TestAccount(c.Request().Context(), actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		stages := linkhub.NewAttemptReport(report).Stages
		if stages == nil {
			stages = []linkhub.AttemptStage{}
		}
		return c.JSON(http.StatusOK, accountTestResponse{OK: report.OK(), Account: newAccountJSON(connectors, a), Stages: stages})
	}
}
