package web

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// tokenJSON is the answer of POST /api/v1/accounts/:id/token, the one place
// the API hands out a vendor access token.
type tokenJSON struct {
	AccessToken string            `json:"access_token"`
	TokenType   string            `json:"token_type"`
	ExpiresAt   time.Time         `json:"expires_at"`
	BaseURL     string            `json:"base_url"`
	Headers     map[string]string `json:"headers"`
}

// handleAccountToken handles POST /api/v1/accounts/:id/token: a valid access
// token from the per-account cache, with where and how to use it.
func handleAccountToken(tokens Tokens) echo.HandlerFunc {
	return func(c echo.Context) error {
		tok, err := tokens.Token(c.Request().Context(), c.Param("id"))
		if err != nil {
			return vendorError(err)
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, tokenJSON{AccessToken: tok.AccessToken.Reveal(), TokenType: "Bearer",
			ExpiresAt: tok.Expiry.UTC(), BaseURL: tok.BaseURL, Headers: nonNilMap(tok.Headers)})
	}
}

// vendorError keeps the vendor's refusal of an account's credentials from
// reading as a 401 about the caller's API key.
func vendorError(err error) error {
	if linkhub.ErrorCode(err) == linkhub.EUNAUTHORIZED {
		return linkhub.Errorf(linkhub.ECONFLICT, "%s The account needs new credentials: send its owner a relink link.",
			strings.TrimSpace(linkhub.ErrorMessage(err)))
	}
	return err
}

// proxyMethods are what the proxy forwards: those of REST APIs, and the ones
// OpenAPI can describe.
var proxyMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions}

// handleAccountProxy handles /api/v1/accounts/:id/proxy/* (proxyMethods): the request
// goes to the account's vendor, below its base URL, with the account's
// access token; the vendor's status, content type and body come back.
func handleAccountProxy(accounts linkhub.AccountService, connectors Connectors, vendor linkhub.Vendor) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		a, err := accounts.FindAccountByID(r.Context(), c.Param("id"))
		if err != nil {
			return err
		}
		// The tail is taken from the escaped path as the client sent it, so
		// that the pinning check sees every encoded character.
		parts := strings.SplitN(r.URL.EscapedPath(), "/", 7) // "", api, v1, accounts, id, proxy, tail
		tail := "/"
		if len(parts) == 7 {
			tail += parts[6]
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
		}
		pr := linkhub.VendorRequest{Method: r.Method, Path: tail, RawQuery: r.URL.RawQuery, Header: r.Header, Body: body}
		if err := route(connectors, a, "", &pr); err != nil {
			return err
		}
		resp, err := vendor.Forward(r.Context(), a, pr)
		if err != nil {
			return vendorError(err)
		}
		return writeVendorResponse(c, resp)
	}
}

// route asks the account's connector where the call goes, when the connector
// decides that per call (linkhub.Router, e.g. Sophos's partner and tenant
// calls); others' calls go where the token says.
func route(connectors Connectors, a *linkhub.Account, actionID string, pr *linkhub.VendorRequest) error {
	conn, ok := connectors.Get(a.ConnectorID)
	router, isRouter := conn.(linkhub.Router)
	if !ok || !isRouter {
		return nil
	}
	rt, err := router.Route(a.Metadata, actionID, pr.Path)
	if err != nil {
		return err
	}
	pr.Path, pr.Route = rt.Path, &rt
	return nil
}

// writeVendorResponse passes the vendor's answer back.
func writeVendorResponse(c echo.Context, resp *linkhub.VendorResponse) error {
	for k, v := range resp.Header {
		c.Response().Header()[k] = v
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	return c.Blob(resp.Status, ct, resp.Body)
}

// actionRequest is the body of POST /api/v1/accounts/:id/actions/:action.
type actionRequest struct {
	Params map[string]any `json:"params"`
}

// handleAccountAction handles POST /api/v1/accounts/:id/actions/:action: one
// of the actions an admin enabled on the account's profile, with the JSON
// params; the vendor's JSON answer comes back.
func handleAccountAction(accounts linkhub.AccountService, profiles linkhub.ProfileService, connectors Connectors, vendor linkhub.Vendor) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		a, err := accounts.FindAccountByID(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		act, err := enabledAction(c, profiles, connectors, a, c.Param("action"))
		if err != nil {
			return err
		}
		var req actionRequest
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c.Request(), &req); err != nil {
				return err
			}
		}
		pr, err := vendor.ActionRequest(act, req.Params)
		if err != nil {
			return err
		}
		if err := route(connectors, a, act.ID, &pr); err != nil {
			return err
		}
		resp, err := vendor.Forward(ctx, a, pr)
		if err != nil {
			return vendorError(err)
		}
		if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); len(resp.Body) > 0 &&
			(mt != "application/json" && !strings.HasSuffix(mt, "+json") || !json.Valid(resp.Body)) {
			return linkhub.Errorf(linkhub.EVENDOR, "The vendor answered HTTP %d without JSON.", resp.Status)
		}
		return writeVendorResponse(c, resp)
	}
}

// enabledAction finds the connector's action id and checks that the
// account's profile has it enabled.
func enabledAction(c echo.Context, profiles linkhub.ProfileService, connectors Connectors, a *linkhub.Account, id string) (linkhub.Action, error) {
	conn, ok := connectors.Get(a.ConnectorID)
	if !ok {
		return linkhub.Action{}, linkhub.Errorf(linkhub.EUNAVAILABLE, "The connector %q of this account is not available in this version.", a.ConnectorID)
	}
	i := slices.IndexFunc(conn.Spec().Actions, func(act linkhub.Action) bool { return act.ID == id })
	if i < 0 {
		return linkhub.Action{}, linkhub.Errorf(linkhub.ENOTFOUND, "The %s connector has no action %q; GET /api/v1/connectors lists its actions.",
			conn.Spec().Name, id)
	}
	p, err := profiles.FindProfileByID(c.Request().Context(), a.ProfileID)
	if err != nil {
		return linkhub.Action{}, err
	}
	if !slices.Contains(p.Actions, id) {
		return linkhub.Action{}, linkhub.Errorf(linkhub.EFORBIDDEN,
			"The action %q is not enabled on the profile “%s”: an admin must enable it on that profile first.", id, p.Name)
	}
	return conn.Spec().Actions[i], nil
}
