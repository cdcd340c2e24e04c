package fake

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Zoom scopes, granular (newer apps) and classic (older apps).
const (
	ZoomListUsers          = "user:read:list_users:admin"
	ZoomUserReadClassic    = "user:read:admin"
	ZoomListMeetings       = "meeting:read:list_meetings:admin"
	ZoomMeetingReadClassic = "meeting:read:admin"
)

// Zoom is a fake Zoom: the OAuth host (zoom.us) and the API host
// (api.zoom.us), one Server-to-Server OAuth app of one account. Built from
// the vendor catalog's facts: POST /oauth/token with Basic
// client_id:client_secret and grant_type=account_credentials plus
// account_id, in the query string or the form body; a wrong secret or an
// unknown client answers 400 invalid_client with a "reason", an unknown
// account 400 invalid_request "Account does not exist", another grant
// unsupported_grant_type; the granted scopes come back in "scope"; a new
// token invalidates the one before (P); a call without a scope answers 400
// code 4711 naming the scope, a bad token 401 code 124; a used-up rate
// limit 429 with Retry-After and {"code":429}. Set exported fields before
// the code under test runs.
type Zoom struct {
	// OAuth is zoom.us; API is api.zoom.us.
	OAuth, API *Server
	AccountID  string
	// Scopes are the app's scopes.
	Scopes []string
	// Users is total_records of the active users.
	Users int
	// RateLimited makes every API call answer 429.
	RateLimited bool

	issued tokens
}

// NewZoom starts a fake Zoom whose app has the granular read scopes.
func NewZoom(t Cleaner) *Zoom {
	f := &Zoom{AccountID: randomWord(22), Scopes: []string{ZoomListUsers, ZoomListMeetings}, Users: 42}
	oauth := http.NewServeMux()
	oauth.HandleFunc("/oauth/token", f.token)
	f.OAuth = newServer(t, randomWord(22), oauth, "/oauth/token")
	f.OAuth.ClientSecret = randomWord(32)
	api := http.NewServeMux()
	api.HandleFunc("GET /v2/users", f.api([]string{ZoomListUsers, ZoomUserReadClassic}, f.users))
	api.HandleFunc("GET /v2/users/{userId}/meetings", f.api([]string{ZoomListMeetings, ZoomMeetingReadClassic}, f.meetings))
	f.API = newServer(t, "", api)
	return f
}

// HostOverrides returns the LINKHUB_CONNECTOR_ZOOM_HOSTS overrides that
// point both hosts at the fake.
func (f *Zoom) HostOverrides() map[string]string {
	return map[string]string{"oauth": f.OAuth.URL, "api": f.API.URL}
}

func (f *Zoom) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil { // Form merges the query and the body
		writeJSON(w, 400, map[string]any{"reason": "Unsupported method", "error": "invalid_request"})
		return
	}
	if r.Form.Get("grant_type") != "account_credentials" {
		writeJSON(w, 400, map[string]any{"reason": "Unsupported grant type", "error": "unsupported_grant_type"})
		return
	}
	id, sec, ok := r.BasicAuth()
	if !ok || id != f.OAuth.ClientID || !f.OAuth.secretOK(sec) {
		writeJSON(w, 400, map[string]any{"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
		return
	}
	if r.Form.Get("account_id") != f.AccountID {
		writeJSON(w, 400, map[string]any{"reason": "Account does not exist", "error": "invalid_request"})
		return
	}
	life := f.OAuth.expiresIn.Load()
	tok := newJWT(id)
	f.issued.revoke() // a new token invalidates the one before
	f.issued.issue(tok, time.Duration(life)*time.Second)
	writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": life,
		"scope": strings.Join(f.Scopes, " "), "api_url": f.API.URL})
}

// api checks the rate limit, the token and that the app has one of scopes.
func (f *Zoom) api(scopes []string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RateLimited {
			w.Header().Set("X-RateLimit-Category", "Light")
			w.Header().Set("X-RateLimit-Type", "QPS")
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, map[string]any{"code": 429, "message": "You have reached the maximum per-second rate limit for this API. Try again later."})
			return
		}
		if !f.issued.valid(bearer(r)) {
			writeJSON(w, 401, map[string]any{"code": 124, "message": "Invalid access token."})
			return
		}
		if !slices.ContainsFunc(scopes, func(s string) bool { return slices.Contains(f.Scopes, s) }) {
			writeJSON(w, 400, map[string]any{"code": 4711, "message": "Invalid access token, does not contain scopes:[" + scopes[0] + "]"})
			return
		}
		h(w, r)
	}
}

func (f *Zoom) users(w http.ResponseWriter, r *http.Request) {
	users := []map[string]any{}
	if f.Users > 0 {
		users = append(users, map[string]any{"id": randomWord(22), "email": "a@acme.example", "type": 2, "status": "active"})
	}
	writeJSON(w, 200, map[string]any{"page_size": 1, "total_records": f.Users, "next_page_token": randomWord(32), "users": users})
}

func (f *Zoom) meetings(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"page_size": 30, "total_records": 0, "next_page_token": "", "meetings": []any{}})
}
