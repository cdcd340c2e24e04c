package fake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// HaloPSA permissions, as the API application's Permissions tab names them.
const (
	HaloReadCustomers = "read:customers"
	HaloReadTickets   = "read:tickets"
	HaloReadAssets    = "read:assets"
)

// HaloPSA is a fake HaloPSA instance: one API application signing in as an
// API-only agent. Built from the vendor catalog's facts: POST /auth/token
// takes a client-credentials form (the client in the body or by Basic) with
// a scope, "all" or a space-separated list, and answers 200 with the granted
// scopes in "scope"; a wrong secret or an unknown client answers 400
// invalid_client, a scope the application lacks 400 invalid_scope (U); the
// lists under /api take the paging flag "pageinate", answer
// {"record_count", "<list>"} and refuse a permission the application lacks
// with 403 (P); rate limits are unknown, so RateLimited answers 429 with
// Retry-After (U). Set exported fields before the code under test runs.
type HaloPSA struct {
	*Server
	// Permissions are what the application's Permissions tab ticks.
	Permissions []string
	// Clients is the record_count of the client list.
	Clients int
	// RateLimited makes every API call answer 429.
	RateLimited bool

	issued tokens
}

// NewHaloPSA starts a fake HaloPSA whose application may read customers,
// tickets and assets.
func NewHaloPSA(t Cleaner) *HaloPSA {
	f := &HaloPSA{Permissions: []string{HaloReadCustomers, HaloReadTickets, HaloReadAssets}, Clients: 838}
	mux := http.NewServeMux()
	mux.HandleFunc("/auth/token", f.token)
	mux.HandleFunc("GET /api/Client", f.list(HaloReadCustomers, "clients"))
	mux.HandleFunc("GET /api/Tickets", f.list(HaloReadTickets, "tickets"))
	mux.HandleFunc("GET /api/Asset", f.list(HaloReadAssets, "assets"))
	mux.HandleFunc("GET /api/Users", f.list(HaloReadCustomers, "users"))
	f.Server = newServer(t, guid(), mux, "/auth/token")
	f.ClientSecret = randomWord(48)
	return f
}

func (f *HaloPSA) token(w http.ResponseWriter, r *http.Request) {
	id, sec, scope, ok := tokenForm(r)
	if !ok {
		writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type"})
		return
	}
	if u, p, basic := r.BasicAuth(); basic {
		id, sec = u, p
	}
	if id != f.ClientID || !f.secretOK(sec) {
		writeJSON(w, 400, map[string]any{"error": "invalid_client"})
		return
	}
	granted := f.Permissions
	if scope != "all" {
		for _, s := range strings.Fields(scope) {
			if !slices.Contains(f.Permissions, s) {
				writeJSON(w, 400, map[string]any{"error": "invalid_scope"})
				return
			}
		}
		granted = strings.Fields(scope)
	}
	tok := newJWT(id)
	life := f.expiresIn.Load()
	f.issued.issue(tok, time.Duration(life)*time.Second)
	writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": life, "access_token": tok, "id_token": newJWT(id),
		"scope": "openid email profile offline_access roles " + strings.Join(granted, " ")})
}

// list serves a paged list that needs permission under key.
func (f *HaloPSA) list(permission, key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RateLimited {
			w.Header().Set("Retry-After", "30")
			writeJSON(w, 429, map[string]any{"message": "Too many requests"})
			return
		}
		if !f.issued.valid(bearer(r)) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if !slices.Contains(f.Permissions, permission) {
			writeJSON(w, 403, map[string]any{"message": "You do not have permission to access this resource."})
			return
		}
		n := 0
		if key == "clients" {
			n = f.Clients
		}
		rows := []map[string]any{}
		if n > 0 {
			rows = append(rows, map[string]any{"id": 12, "name": "Acme Ltd", "inactive": false})
		}
		writeJSON(w, 200, map[string]any{"page_no": 1, "page_size": 1, "record_count": n, key: rows})
	}
}

// guid returns a random GUID in its usual text form.
func guid() string {
	h := lowerHex(32)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:])
}
