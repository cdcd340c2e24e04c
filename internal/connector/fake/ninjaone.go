package fake

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// NinjaOne is a fake NinjaOne instance (one region). Set its exported fields
// before the code under test runs.
type NinjaOne struct {
	*Server
	// Scopes are the scopes the API client was given; asking for more
	// answers 400 invalid_scope.
	Scopes []string
	// Organizations is how many organizations /v2/organizations lists; a
	// negative number makes it answer null instead of an array.
	Organizations int

	issued tokens
	mu     sync.Mutex
	scopes map[string]string // token -> granted scope
}

// NewNinjaOne starts a fake NinjaOne instance whose client has the
// monitoring and management scopes.
func NewNinjaOne(t Cleaner) *NinjaOne {
	f := &NinjaOne{Scopes: []string{"monitoring", "management"}, Organizations: 2, scopes: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws/oauth/token", f.token)
	mux.HandleFunc("GET /v2/organizations", f.organizations)
	mux.HandleFunc("GET /v2/devices", f.devices)
	f.Server = newServer(t, "nj-"+randomString(20), mux, "/ws/oauth/token")
	return f
}

func (f *NinjaOne) token(w http.ResponseWriter, r *http.Request) {
	id, sec, scope, ok := tokenForm(r)
	if !ok || id != f.ClientID || !f.secretOK(sec) {
		writeJSON(w, 400, map[string]any{"error": "invalid_client", "error_description": "Bad credentials"})
		return
	}
	for _, s := range strings.Fields(scope) {
		if !contains(f.Scopes, s) {
			writeJSON(w, 400, map[string]any{"error": "invalid_scope", "error_description": "Invalid scope: " + s})
			return
		}
	}
	life := f.expiresIn.Load()
	tok := randomString(8) + "-" + randomString(4) + "-" + randomString(4) + "-" + randomString(12)
	f.issued.issue(tok, time.Duration(life)*time.Second)
	f.mu.Lock()
	f.scopes[tok] = scope
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": life, "scope": scope})
}

func (f *NinjaOne) authorized(w http.ResponseWriter, r *http.Request, scope string) bool {
	tok := bearer(r)
	f.mu.Lock()
	granted := f.scopes[tok]
	f.mu.Unlock()
	if !f.issued.valid(tok) {
		writeJSON(w, 401, map[string]any{"error": "not_authenticated", "error_description": "Invalid credentials", "error_code": 10})
		return false
	}
	if !contains(strings.Fields(granted), scope) {
		writeJSON(w, 403, map[string]any{"error": "insufficient_scope", "error_description": "Missing scope " + scope})
		return false
	}
	return true
}

func (f *NinjaOne) organizations(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r, "monitoring") {
		return
	}
	if f.Organizations < 0 {
		writeJSON(w, 200, nil)
		return
	}
	orgs := []map[string]any{}
	for i := range f.Organizations {
		orgs = append(orgs, map[string]any{"id": i + 1, "name": "Org " + string(rune('A'+i)), "description": "",
			"userData": map[string]any{}, "nodeApprovalMode": "AUTOMATIC"})
	}
	writeJSON(w, 200, orgs)
}

func (f *NinjaOne) devices(w http.ResponseWriter, r *http.Request) {
	if f.authorized(w, r, "monitoring") {
		writeJSON(w, 200, []map[string]any{{"id": 1, "organizationId": 1, "systemName": "WS-01", "nodeClass": "WINDOWS_WORKSTATION"}})
	}
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
