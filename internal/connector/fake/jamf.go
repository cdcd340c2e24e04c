package fake

import (
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// Jamf is a fake Jamf Pro server. Set its exported fields before the code
// under test runs.
type Jamf struct {
	*Server
	// Version is what /api/v1/jamf-pro-version answers.
	Version string
	// Privileges are the API role privileges of the client; the inventory
	// calls answer 403 without theirs.
	Privileges []string
	// OnlyV1Token makes /api/oauth/token answer 404, as on a server where only
	// the newer /api/v1/oauth/token exists.
	OnlyV1Token bool
	// NoOAuth makes both token paths answer 404, as before Jamf Pro 10.49.
	NoOAuth bool

	issued      tokens
	versionBody atomic.Pointer[string]
}

// NewJamf starts a fake Jamf Pro 11 whose client has every privilege.
func NewJamf(t Cleaner) *Jamf {
	f := &Jamf{Version: "11.7.1-t1718024583", Privileges: []string{"Read Computers", "Read Departments"}}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/oauth/token", f.token(false))
	mux.HandleFunc("/api/v1/oauth/token", f.token(true))
	mux.HandleFunc("GET /api/v1/jamf-pro-version", f.version)
	mux.HandleFunc("GET /api/v1/computers-inventory", f.list("Read Computers",
		map[string]any{"id": "1", "udid": "5A6B7C8D-0000-4000-8000-000000000001",
			"general": map[string]any{"name": "Mac-01", "platform": "Mac", "lastIpAddress": "203.0.113.7"}}))
	mux.HandleFunc("GET /api/v1/departments", f.list("Read Departments", map[string]any{"id": "1", "name": "Sales"}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, map[string]any{"httpStatus": 404, "errors": []any{}})
	})
	f.Server = newServer(t, "2f0c6a7e-1b3d-4c5e-8f9a-0b1c2d3e4f5a", mux, "/api/oauth/token", "/api/v1/oauth/token")
	return f
}

// RevokeTokens makes every token issued so far invalid, as when an admin
// rotates the API client's secret or Jamf Pro restarts.
func (f *Jamf) RevokeTokens() { f.issued.revoke() }

func (f *Jamf) token(v1 bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.NoOAuth || (f.OnlyV1Token && !v1) {
			writeJSON(w, 404, map[string]any{"httpStatus": 404, "errors": []any{}})
			return
		}
		id, sec, _, ok := tokenForm(r)
		if !ok || id != f.ClientID || !f.secretOK(sec) {
			writeJSON(w, 401, map[string]any{"error": "invalid_client"})
			return
		}
		life := f.expiresIn.Load()
		tok := newJWT(id)
		f.issued.issue(tok, time.Duration(life)*time.Second)
		writeJSON(w, 200, map[string]any{"access_token": tok, "scope": "api-role:2", "token_type": "Bearer", "expires_in": life})
	}
}

func (f *Jamf) authorized(w http.ResponseWriter, r *http.Request, privilege string) bool {
	if !f.issued.valid(bearer(r)) {
		writeJSON(w, 401, map[string]any{"httpStatus": 401, "errors": []any{map[string]any{
			"code": "INVALID_TOKEN", "description": "Unauthorized", "id": "0", "field": nil}}})
		return false
	}
	if privilege != "" && !slices.Contains(f.Privileges, privilege) {
		writeJSON(w, 403, map[string]any{"httpStatus": 403, "errors": []any{map[string]any{
			"code": "INVALID_PRIVILEGE", "description": "Forbidden", "id": "0", "field": nil}}})
		return false
	}
	return true
}

// AnswerVersion makes /api/v1/jamf-pro-version answer body as it is, any
// bytes, instead of Version; it may be called while requests run.
func (f *Jamf) AnswerVersion(body string) { f.versionBody.Store(&body) }

func (f *Jamf) version(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r, "") {
		return
	}
	if b := f.versionBody.Load(); b != nil {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(*b))
		return
	}
	writeJSON(w, 200, map[string]any{"version": f.Version})
}

func (f *Jamf) list(privilege string, item map[string]any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.authorized(w, r, privilege) {
			writeJSON(w, 200, map[string]any{"totalCount": 1, "results": []any{item}})
		}
	}
}
