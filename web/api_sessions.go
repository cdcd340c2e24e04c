package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// connectSessionRequest is the body of POST /api/v1/connect_sessions.
type connectSessionRequest struct {
	OriginOwnerID   string          `json:"origin_owner_id"`
	OriginOwnerName string          `json:"origin_owner_name"`
	OriginUsername  string          `json:"origin_username"`
	ProfileIDs      []string        `json:"profile_ids"`
	Connector       string          `json:"connector"`
	AccountID       string          `json:"account_id"`
	ExpiresIn       *int            `json:"expires_in"`
	MaxLinks        *int            `json:"max_links"`
	EmbedOrigin     string          `json:"embed_origin"`
	ReturnURL       string          `json:"return_url"`
	Metadata        json.RawMessage `json:"metadata"`
	Label           string          `json:"label"`
	Locale          string          `json:"locale"`
}

// sessionRequest is the request for the linking service.
func (r connectSessionRequest) sessionRequest() linking.SessionRequest {
	return linking.SessionRequest{OriginOwnerID: r.OriginOwnerID, OriginOwnerName: r.OriginOwnerName,
		OriginUsername: r.OriginUsername, ProfileIDs: r.ProfileIDs, Connector: r.Connector, AccountID: r.AccountID,
		ExpiresIn: r.ExpiresIn, MaxLinks: r.MaxLinks, EmbedOrigin: r.EmbedOrigin, ReturnURL: r.ReturnURL,
		Metadata: r.Metadata, Label: r.Label, Locale: r.Locale}
}

// connectSessionResponse is the answer of POST /api/v1/connect_sessions.
type connectSessionResponse struct {
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// handleConnectSessionCreate handles POST /api/v1/connect_sessions: it
// stores the session the request asks for, if the connect-session rules
// allow it, and returns its one-time token and hub URL.
func handleConnectSessionCreate(baseURL string, linker Linking) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req connectSessionRequest
		if err := decodeJSON(c.Request(), &req); err != nil {
			return err
		}
		cs, tok, err := linker.CreateSession(c.Request().Context(), actor(c), req.sessionRequest())
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, connectSessionResponse{
			Token: tok, URL: baseURL + "/connect?token=" + url.QueryEscape(tok), ExpiresAt: cs.ExpiresAt.UTC(),
		})
	}
}

// decodeJSON reads one JSON object into v: application/json only, no unknown
// fields, nothing after it. Errors name the field when there is one.
func decodeJSON(r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return linkhub.Errorf(linkhub.EINVALID, "The body must be one JSON object.")
	}
	known := jsonNames(v)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !known[k] {
			return linkhub.FieldError(k, fmt.Sprintf("Unknown field %q.", k))
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var typeErr *json.UnmarshalTypeError
	if err := dec.Decode(v); errors.As(err, &typeErr) {
		return linkhub.FieldError(typeErr.Field, fmt.Sprintf("%s has the wrong type (%s expected).", typeErr.Field, typeErr.Type.Kind()))
	} else if err != nil {
		return linkhub.Errorf(linkhub.EINVALID, "The body must be one JSON object.")
	}
	return nil
}

// jsonNames returns the JSON field names of the struct v points to.
func jsonNames(v any) map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeOf(v).Elem()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}
