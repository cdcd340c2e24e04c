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

// connectSessionResponse is the answer of POST /api/v1/connect_sessions.
type connectSessionResponse struct {
	Token     string    `json:"token"`
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

// handleConnectSessionCreate handles POST /api/v1/connect_sessions: it
// validates the request, stores the session and returns its one-time token
// and hub URL.
func handleConnectSessionCreate(cfg Config, deps Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req connectSessionRequest
		if err := decodeJSON(c.Request(), &req); err != nil {
			return err
		}
		ctx := c.Request().Context()
		settings, err := hubSettings(ctx, deps)
		if err != nil {
			return err
		}
		cs, err := validateConnectSession(c, deps, settings, req)
		if err != nil {
			return err
		}
		if k, ok := c.Get(apiKeyKey).(*linkhub.APIKey); ok {
			cs.CreatedByKey = k.ID
		}
		tok, err := deps.ConnectSessions.CreateConnectSession(ctx, actor(c), cs)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, connectSessionResponse{
			Token: tok, URL: cfg.BaseURL + "/connect?token=" + url.QueryEscape(tok), ExpiresAt: cs.ExpiresAt.UTC(),
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

// validateConnectSession checks every field of req and returns the session to
// store; the first bad field is an EINVALID error naming it.
func validateConnectSession(c echo.Context, deps Deps, settings hubConfig, req connectSessionRequest) (*linkhub.ConnectSession, error) {
	cs := &linkhub.ConnectSession{
		OriginOwnerID: strings.TrimSpace(req.OriginOwnerID), OriginOwnerName: strings.TrimSpace(req.OriginOwnerName),
		OriginUsername: strings.TrimSpace(req.OriginUsername), Label: strings.TrimSpace(req.Label),
		ConnectorID: strings.TrimSpace(req.Connector), AccountID: strings.TrimSpace(req.AccountID),
		EmbedOrigin: strings.TrimSpace(req.EmbedOrigin), ReturnURL: strings.TrimSpace(req.ReturnURL),
	}
	for _, f := range []struct {
		name, value string
		required    bool
	}{
		{"origin_owner_id", cs.OriginOwnerID, true}, {"origin_owner_name", cs.OriginOwnerName, true},
		{"origin_username", cs.OriginUsername, false}, {"label", cs.Label, false},
	} {
		if f.required && f.value == "" {
			return nil, linkhub.FieldError(f.name, f.name+" is required.")
		}
		if len(f.value) > linkhub.MaxOwnerFieldLen {
			return nil, linkhub.FieldError(f.name, fmt.Sprintf("%s must be at most %d characters.", f.name, linkhub.MaxOwnerFieldLen))
		}
		if !linkhub.ValidText(f.value) {
			return nil, linkhub.FieldError(f.name, f.name+" must not contain NUL characters (\\u0000).")
		}
	}
	if err := validateTargets(c, deps, cs, req.ProfileIDs); err != nil {
		return nil, err
	}
	expires := settings.SessionLifetime
	if req.ExpiresIn != nil {
		d := time.Duration(*req.ExpiresIn) * time.Second
		if d < linkhub.MinSessionExpiry || d > linkhub.MaxSessionExpiry {
			return nil, linkhub.FieldError("expires_in", "expires_in must be from 60 to 2592000 seconds.")
		}
		expires = d
	}
	cs.ExpiresAt = time.Now().Add(expires)
	if cs.MaxLinks = 1; req.MaxLinks != nil {
		switch n := *req.MaxLinks; {
		case n < 1 || n > linkhub.MaxSessionLinks:
			return nil, linkhub.FieldError("max_links", fmt.Sprintf("max_links must be from 1 to %d.", linkhub.MaxSessionLinks))
		case n > 1 && cs.AccountID != "":
			return nil, linkhub.FieldError("max_links", "A relink session relinks its account once: leave max_links out or give 1.")
		}
		cs.MaxLinks = *req.MaxLinks
	}
	if cs.EmbedOrigin != "" && !slices.Contains(settings.EmbedOrigins, cs.EmbedOrigin) {
		return nil, linkhub.FieldError("embed_origin", "embed_origin must be one of the allowed embed origins in the admin settings.")
	}
	if req.Locale != "" {
		tag, ok := parseLocale(req.Locale, true)
		if !ok {
			return nil, localeError()
		}
		cs.Locale = tag
	}
	if cs.ReturnURL != "" && !returnURLAllowed(cs.ReturnURL, settings.EmbedOrigins) {
		return nil, linkhub.FieldError("return_url", "return_url must be an address on one of the allowed embed origins.")
	}
	if len(req.Metadata) > 0 && string(req.Metadata) != "null" {
		if len(req.Metadata) > linkhub.MaxSessionMetadata {
			return nil, linkhub.FieldError("metadata", "metadata must be at most 4 KiB of JSON.")
		}
		if err := json.Unmarshal(req.Metadata, &cs.Metadata); err != nil || cs.Metadata == nil {
			return nil, linkhub.FieldError("metadata", "metadata must be a JSON object.")
		}
		if !validJSONText(cs.Metadata) {
			return nil, linkhub.FieldError("metadata", "metadata must not contain NUL characters (\\u0000), in keys or values.")
		}
	}
	return cs, nil
}

// validateTargets checks profile_ids, connector and account_id.
func validateTargets(c echo.Context, deps Deps, cs *linkhub.ConnectSession, profileIDs []string) error {
	ctx := c.Request().Context()
	n := 0
	for _, set := range []bool{len(profileIDs) > 0, cs.ConnectorID != "", cs.AccountID != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		field := "connector"
		if cs.AccountID != "" {
			field = "account_id"
		}
		return linkhub.FieldError(field, "Give only one of profile_ids, connector and account_id.")
	}
	for _, id := range profileIDs {
		p, err := deps.Profiles.FindProfileByID(ctx, strings.TrimSpace(id))
		if linkhub.ErrorCode(err) == linkhub.ENOTFOUND || (err == nil && !p.Enabled) {
			return linkhub.FieldError("profile_ids", fmt.Sprintf("Profile %q does not exist or is disabled.", id))
		} else if err != nil {
			return err
		}
		if !slices.Contains(cs.ProfileIDs, p.ID) {
			cs.ProfileIDs = append(cs.ProfileIDs, p.ID)
		}
	}
	if cs.ConnectorID != "" {
		if _, ok := deps.Connectors.Get(cs.ConnectorID); !ok {
			return linkhub.FieldError("connector", fmt.Sprintf("Unknown connector %q.", cs.ConnectorID))
		}
	}
	if cs.AccountID != "" {
		a, err := deps.Accounts.FindAccountByID(ctx, cs.AccountID)
		if linkhub.ErrorCode(err) == linkhub.ENOTFOUND || (err == nil && a.OriginOwnerID != cs.OriginOwnerID) {
			// The same answer for both, so a caller cannot probe other owners' accounts.
			return linkhub.FieldError("account_id", "No account with this id belongs to origin_owner_id.")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// returnURLAllowed reports whether raw, which the hub's success page links
// to, is an absolute URL on one of origins (scheme and host exactly), with
// no user info. Go's parser refuses control characters, so tab and newline
// tricks that browsers would strip never get this far.
func returnURLAllowed(raw string, origins []string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.User == nil && len(raw) <= 2000 && slices.Contains(origins, u.Scheme+"://"+u.Host)
}

// validJSONText reports whether every key and string in the decoded JSON v
// is linkhub.ValidText: the database refuses NUL in jsonb.
func validJSONText(v any) bool {
	switch v := v.(type) {
	case string:
		return linkhub.ValidText(v)
	case []any:
		return !slices.ContainsFunc(v, func(e any) bool { return !validJSONText(e) })
	case map[string]any:
		for k, e := range v {
			if !linkhub.ValidText(k) || !validJSONText(e) {
				return false
			}
		}
	}
	return true
}
