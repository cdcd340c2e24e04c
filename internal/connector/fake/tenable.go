package fake

import (
	"net/http"
	"strings"
)

// Tenable is a fake Tenable Vulnerability Management (Tenable.io) reached
// with a user's access and secret key. Built from the vendor catalog's
// facts: "X-ApiKeys: accessKey=<ACCESS>; secretKey=<SECRET>" (the space
// after ";" optional); wrong keys answer 401 {statusCode, error, message};
// a role or asset access the user lacks answers 403 "Forbidden" or
// "Insufficient scope"; GET /session answers the keys' user for any role;
// GET /assets {"assets":[...],"total":N}; GET /users {"users":[...]} for
// administrators; a used-up rate limit is 429 with
// retry-after; every answer carries x-request-uuid. The access key is
// Server.ClientID, the secret key Server.ClientSecret. Set exported fields
// before the code under test runs.
type Tenable struct {
	*Server
	// Role is the user's role number (64 Administrator, 16 Basic).
	Role int
	// CanViewAssets is whether the user has Can View on an access group.
	CanViewAssets bool
	// RateLimited makes every call answer 429 with retry-after.
	RateLimited bool
	// Username and Container name the keys' user and its container.
	Username, Container string
}

// NewTenable starts a fake Tenable whose keys belong to an administrator
// who can view every asset.
func NewTenable(t Cleaner) *Tenable {
	f := &Tenable{Role: 64, CanViewAssets: true, Username: "svc-linkhub@acme.example", Container: "Acme"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /session", f.api(f.session))
	mux.HandleFunc("GET /assets", f.api(f.assets(f.assetList)))
	mux.HandleFunc("GET /users", f.api(f.users))
	f.Server = newServer(t, hexString(64), mux)
	f.ClientSecret = hexString(64)
	return f
}

func tenableError(w http.ResponseWriter, status int, errText, message string) {
	writeJSON(w, status, map[string]any{"statusCode": status, "error": errText, "message": message})
}

// api checks the rate limit and the X-ApiKeys header.
func (f *Tenable) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Uuid", hexString(32))
		if f.RateLimited {
			w.Header().Set("Retry-After", "30")
			tenableError(w, 429, "Too Many Requests", "You have exceeded the rate limit")
			return
		}
		keys := map[string]string{}
		for _, part := range strings.Split(r.Header.Get("X-ApiKeys"), ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
				keys[k] = v
			}
		}
		if keys["accessKey"] != f.ClientID || !f.secretOK(keys["secretKey"]) {
			tenableError(w, 401, "Unauthorized", "Invalid Credentials")
			return
		}
		h(w, r)
	}
}

func (f *Tenable) session(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"id": 3, "uuid": hexString(32), "username": f.Username, "email": f.Username,
		"permissions": f.Role, "enabled": true, "container_uuid": hexString(32), "container_name": f.Container})
}

// assets lets only a user with Can View on assets through.
func (f *Tenable) assets(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.CanViewAssets {
			tenableError(w, 403, "Forbidden", "Insufficient scope")
			return
		}
		h(w, r)
	}
}

func (f *Tenable) assetList(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"assets": []map[string]any{{"id": hexString(32)}}, "total": 1})
}

func (f *Tenable) users(w http.ResponseWriter, r *http.Request) {
	if f.Role < 64 {
		tenableError(w, 403, "Forbidden", "Forbidden")
		return
	}
	writeJSON(w, 200, map[string]any{"users": []map[string]any{{"id": 3, "username": f.Username, "permissions": f.Role}}})
}
