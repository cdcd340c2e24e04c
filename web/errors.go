package web

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// statusOf maps an application error code to an HTTP status.
var statusOf = map[string]int{
	linkhub.ECONFLICT:     http.StatusConflict,
	linkhub.EINVALID:      http.StatusBadRequest,
	linkhub.ENOTFOUND:     http.StatusNotFound,
	linkhub.EUNAUTHORIZED: http.StatusUnauthorized,
	linkhub.EFORBIDDEN:    http.StatusForbidden,
	linkhub.ERATELIMIT:    http.StatusTooManyRequests,
	linkhub.EUNAVAILABLE:  http.StatusServiceUnavailable,
	linkhub.EEXPIRED:      http.StatusGone,
	linkhub.ESPENT:        http.StatusGone,
	linkhub.EVENDOR:       http.StatusBadGateway,
	linkhub.EINTERNAL:     http.StatusInternalServerError,
}

// errorHandler renders every error that reaches echo: JSON under /api/, an
// error page elsewhere. Only internal errors are logged, and their text never
// reaches the user.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, code, msg, field := classify(err)
		if cause := unavailableCause(err); cause != "" && code == linkhub.EUNAVAILABLE {
			// Said once per request, naming what the operator must fix.
			log.Error("database unavailable", "cause", cause, "err", err, "path", redactPath(c.Request().URL.Path),
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		} else if status >= 500 {
			log.Error("internal error", "err", err, "path", redactPath(c.Request().URL.Path),
				"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		}
		var werr error
		switch {
		case strings.HasPrefix(c.Request().URL.Path, "/api/"):
			werr = c.JSON(status, apiError{Error: apiErrorBody{Code: code, Message: msg, Field: field}})
		case c.Request().Method == http.MethodHead:
			werr = c.NoContent(status)
		case hubError(c):
			werr = renderHubError(c, status, msg)
		default:
			werr = render(c, status, views.ErrorPage(views.ErrorView{
				Status: status, Title: titleFor(status), Message: msg,
				RequestID: c.Response().Header().Get(echo.HeaderXRequestID),
			}))
		}
		if werr != nil {
			log.Error("write error response", "err", werr)
		}
	}
}

// hubError reports whether an error answers a hub page of a known hub
// session: it is shown in the hub's frame and language.
func hubError(c echo.Context) bool {
	_, ok := c.Get("hub").(*hubState)
	return ok
}

// renderHubError shows an error in the hub: the handlers' messages are in
// the user's language already; an internal error's is not, so it gets the
// hub's own words.
func renderHubError(c echo.Context, status int, msg string) error {
	h := hubOf(c)
	title := h.text.ErrorTitle
	switch {
	case status == http.StatusServiceUnavailable:
		title, msg = h.text.UnavailableTitle, h.text.UnavailableIntro
	case status >= 500:
		msg = h.text.ErrorIntro
	}
	return render(c, status, views.HubError(h.frame(), title, msg))
}

// classify turns any error into what the user may see.
func classify(err error) (status int, code, msg, field string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		switch status {
		case http.StatusNotFound:
			return status, linkhub.ENOTFOUND, "There is nothing at this address.", ""
		case http.StatusMethodNotAllowed:
			return status, "method_not_allowed", "This address does not accept that method.", ""
		case http.StatusRequestEntityTooLarge:
			return status, "too_large", "The request is too large.", ""
		case http.StatusUnsupportedMediaType:
			return status, "unsupported_media_type", "The request's content type is not supported here.", ""
		}
		if status < 500 {
			if m, ok := he.Message.(string); ok {
				return status, linkhub.EINVALID, m, ""
			}
			return status, linkhub.EINVALID, http.StatusText(status) + ".", ""
		}
		return status, linkhub.EINTERNAL, "Internal error.", ""
	}
	code = linkhub.ErrorCode(err)
	if code == linkhub.EINTERNAL && databaseUnavailable(err) {
		return http.StatusServiceUnavailable, linkhub.EUNAVAILABLE,
			"Linkhub is temporarily unavailable. Try again in a minute.", ""
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return status, code, linkhub.ErrorMessage(err), linkhub.ErrorField(err)
}

func titleFor(status int) string {
	switch {
	case status == http.StatusNotFound:
		return "Page not found"
	case status == http.StatusServiceUnavailable:
		return "Temporarily unavailable"
	case status >= 500:
		return "Something went wrong"
	default:
		return "That did not work"
	}
}

// databaseUnavailable reports whether err means PostgreSQL cannot serve
// right now (stopped, restarting, refusing or dropping connections, out of
// disk, memory or connections) rather than that something is wrong with the
// request.
func databaseUnavailable(err error) bool { return unavailableCause(err) != "" }

// unavailableCause names why PostgreSQL cannot serve, or is empty when err
// is not such an error. web does not import the driver, so its errors are
// recognised by what they wrap: a network error, a connection cut
// mid-answer, or a server error of SQLSTATE class 08 (connection
// exception), 57P01-57P03 (shutting down, cannot connect now) or 53
// (insufficient resources: disk full, out of memory, too many connections).
func unavailableCause(err error) string {
	var pgErr interface{ SQLState() string }
	if errors.As(err, &pgErr) {
		s := pgErr.SQLState()
		switch {
		case s == "53100":
			return "PostgreSQL's disk is full (SQLSTATE 53100)"
		case s == "53200":
			return "PostgreSQL is out of memory (SQLSTATE 53200)"
		case s == "53300":
			return "PostgreSQL has no connection slot left (SQLSTATE 53300)"
		case strings.HasPrefix(s, "53"):
			return "PostgreSQL lacks resources (SQLSTATE " + s + ")"
		case strings.HasPrefix(s, "08"), s == "57P01", s == "57P02", s == "57P03":
			return "PostgreSQL is unreachable or shutting down (SQLSTATE " + s + ")"
		}
		return ""
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) {
		return "PostgreSQL is unreachable"
	}
	return ""
}
