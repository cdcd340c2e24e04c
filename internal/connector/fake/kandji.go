package fake

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Kandji is a fake Kandji (Iru) tenant API reached with a Bearer API token.
// Built from the vendor catalog's facts: lists under /api/v1 answer bare
// JSON arrays (devices paged by limit and offset, Prism apps by cursor); a
// wrong or revoked token answers 401; a token lacking the per-endpoint
// permission also answers 401 (Kandji's own connector notes), other denials
// 403; /api/v1/threat-details answers 404 when EDR is off; over 10,000
// requests an hour answers 429. The token is Server.ClientSecret.
type Kandji struct {
	*Server
	// Allowed are the endpoints ticked on the token: "devices", "prism",
	// "threats"; the others answer 401.
	Allowed map[string]bool
	// EDR is whether the tenant has Kandji EDR; without it threat-details
	// answers 404.
	EDR bool
	// RateLimited makes every call answer 429.
	RateLimited bool
}

// NewKandji starts a fake tenant whose token may read everything.
func NewKandji(t Cleaner) *Kandji {
	f := &Kandji{Allowed: map[string]bool{"devices": true, "prism": true, "threats": true}, EDR: true}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/devices", f.api("devices", f.devices))
	mux.HandleFunc("GET /api/v1/prism/apps", f.api("prism", f.apps))
	mux.HandleFunc("GET /api/v1/threat-details", f.api("threats", f.threats))
	f.Server = newServer(t, "kandji", mux)
	f.ClientSecret = uuid.NewString()
	return f
}

// api checks the rate limit, the token and its permission for endpoint.
func (f *Kandji) api(endpoint string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RateLimited {
			writeJSON(w, 429, map[string]any{"detail": "Request was throttled."})
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !f.secretOK(tok) {
			writeJSON(w, 401, map[string]any{"detail": "Invalid token."})
			return
		}
		if !f.Allowed[endpoint] {
			writeJSON(w, 401, map[string]any{"detail": "You do not have permission to perform this action."})
			return
		}
		h(w, r)
	}
}

func (f *Kandji) devices(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, []any{map[string]any{"device_id": "a1b2c3d4-" + randomString(8), "device_name": "Mac-123",
		"model": "MacBook Pro", "serial_number": "C02" + randomString(9), "platform": "Mac",
		"os_version": "14.4", "last_check_in": "2024-03-01T12:00:00Z"}})
}

func (f *Kandji) apps(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"cursor": randomString(12), "data": []any{map[string]any{"name": "Safari"}}})
}

func (f *Kandji) threats(w http.ResponseWriter, r *http.Request) {
	if !f.EDR {
		writeJSON(w, 404, map[string]any{"detail": "Not found."})
		return
	}
	writeJSON(w, 200, map[string]any{"results": []any{}, "count": 0})
}
