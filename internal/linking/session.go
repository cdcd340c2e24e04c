package linking

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// SessionRequest is what a connect session is asked for: by the host's
// backend through the API, or by an admin relinking an account.
type SessionRequest struct {
	OriginOwnerID   string
	OriginOwnerName string
	OriginUsername  string
	ProfileIDs      []string
	Connector       string
	AccountID       string
	ExpiresIn       *int // seconds; nil takes the settings' session lifetime
	MaxLinks        *int // nil is 1
	EmbedOrigin     string
	ReturnURL       string
	Metadata        json.RawMessage
	Label           string
	// Locale is the hub's language for this session (one of linkhub.Locales,
	// or linkhub.PseudoLocale); empty leaves it to the browser.
	Locale string
	// fromAccount marks an admin's relink: the owner fields are the stored
	// account's, and an account stored through the API may have no name.
	fromAccount bool
}

// CreateSession checks every field of req against the connect-session rules
// and stores the session; the first bad field is an EINVALID error naming
// it. It returns the session and its one-time token.
func (s *Service) CreateSession(ctx context.Context, actor linkhub.Actor, req SessionRequest) (*linkhub.ConnectSession, string, error) {
	settings, err := s.settings.FindSettings(ctx)
	if err != nil {
		return nil, "", err
	}
	cs, err := s.validateSession(ctx, settings, req)
	if err != nil {
		return nil, "", err
	}
	if actor.Kind == "api_key" {
		cs.CreatedByKey = actor.ID
	}
	tok, err := s.sessions.CreateConnectSession(ctx, actor, cs)
	if err != nil {
		return nil, "", err
	}
	return cs, tok, nil
}

// Relink starts a connect session that relinks account id for its owner,
// under the same rules as the API's; the admin console shows its link once.
func (s *Service) Relink(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.ConnectSession, string, error) {
	a, err := s.accounts.FindAccountByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	return s.CreateSession(ctx, actor, SessionRequest{OriginOwnerID: a.OriginOwnerID, OriginOwnerName: a.OriginOwnerName,
		OriginUsername: a.OriginUsername, AccountID: a.ID, Label: a.Label, fromAccount: true})
}

// validateSession checks every field of req and returns the session to
// store.
func (s *Service) validateSession(ctx context.Context, settings *linkhub.Settings, req SessionRequest) (*linkhub.ConnectSession, error) {
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
		{"origin_owner_id", cs.OriginOwnerID, true}, {"origin_owner_name", cs.OriginOwnerName, !req.fromAccount},
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
	if err := s.validateTargets(ctx, cs, req.ProfileIDs); err != nil {
		return nil, err
	}
	expires := settings.SessionLifetime
	if expires <= 0 {
		expires = linkhub.DefaultSessionExpiry
	}
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
		tag, ok := linkhub.ParseLocale(req.Locale, true)
		if !ok {
			return nil, linkhub.FieldError("locale", fmt.Sprintf("locale must be one of %s (or %s for layout tests).",
				strings.Join(linkhub.Locales, ", "), linkhub.PseudoLocale))
		}
		cs.Locale = tag
	}
	if cs.ReturnURL != "" && !ReturnURLAllowed(cs.ReturnURL, settings.EmbedOrigins) {
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
func (s *Service) validateTargets(ctx context.Context, cs *linkhub.ConnectSession, profileIDs []string) error {
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
		p, err := s.profiles.FindProfileByID(ctx, strings.TrimSpace(id))
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
		if _, ok := s.connectors.Get(cs.ConnectorID); !ok {
			return linkhub.FieldError("connector", fmt.Sprintf("Unknown connector %q.", cs.ConnectorID))
		}
	}
	if cs.AccountID != "" {
		a, err := s.accounts.FindAccountByID(ctx, cs.AccountID)
		if linkhub.ErrorCode(err) == linkhub.ENOTFOUND || (err == nil && a.OriginOwnerID != cs.OriginOwnerID) {
			// The same answer for both, so a caller cannot probe other owners' accounts.
			return linkhub.FieldError("account_id", "No account with this id belongs to origin_owner_id.")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// ReturnURLAllowed reports whether raw, which the hub's success page links
// to, is an absolute URL on one of origins (scheme and host exactly), with
// no user info. Go's parser refuses control characters, so tab and newline
// tricks that browsers would strip never get this far.
func ReturnURLAllowed(raw string, origins []string) bool {
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
