package fake

import (
	"net/http"
	"sync"
	"time"
)

// Huntress is a fake Huntress API reached with an API key and secret by
// HTTP Basic. Built from the vendor catalog's facts: Basic
// base64(key:secret) on every request to the one host; wrong credentials
// answer 401; a permission the credential's user lacks answers 403 for a
// whole endpoint, or 404 ("unavailable, or your account does not hold
// correct permissions"); GET /v1/account answers {"account":{...}}; lists
// answer {"<resources>":[...],"pagination":{...}}; 60 requests a minute per
// account, sliding, then 429. The key is Server.ClientID, the secret
// Server.ClientSecret. Set exported fields before the code under test runs.
type Huntress struct {
	*Server
	// Denied lists the resources (account, agents, organizations,
	// incident_reports) the credential's user may not read.
	Denied map[string]bool
	// DeniedAs404 makes a denied resource answer 404, as Huntress does for
	// what it hides, instead of 403.
	DeniedAs404 bool
	// Name and Subdomain are the account's.
	Name, Subdomain string

	mu     sync.Mutex
	recent []time.Time // requests of the last minute, for the rate limit
}

// NewHuntress starts a fake Huntress API whose credential may read
// everything.
func NewHuntress(t Cleaner) *Huntress {
	f := &Huntress{Denied: map[string]bool{}, Name: "Acme Security", Subdomain: "acme"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/account", f.api("account", f.account))
	for _, res := range []string{"agents", "organizations", "incident_reports"} {
		mux.HandleFunc("GET /v1/"+res, f.api(res, f.list(res)))
	}
	f.Server = newServer(t, "hk_"+hexString(24), mux)
	f.ClientSecret = "hs_" + hexString(40)
	return f
}

// allow counts a request against the account's 60 a minute.
func (f *Huntress) allow() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	kept := f.recent[:0]
	for _, at := range f.recent {
		if now.Sub(at) < time.Minute {
			kept = append(kept, at)
		}
	}
	f.recent = kept
	if len(f.recent) >= 60 {
		return false
	}
	f.recent = append(f.recent, now)
	return true
}

// api checks the rate limit, the credential and the user's permission.
func (f *Huntress) api(resource string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.allow() {
			writeJSON(w, 429, map[string]any{"errors": []string{"Too Many Requests"}})
			return
		}
		key, sec, ok := r.BasicAuth()
		if !ok || key != f.ClientID || !f.secretOK(sec) {
			writeJSON(w, 401, map[string]any{"errors": []string{"Unauthorized"}})
			return
		}
		if f.Denied[resource] {
			if f.DeniedAs404 {
				writeJSON(w, 404, map[string]any{"errors": []string{"Not Found"}})
				return
			}
			writeJSON(w, 403, map[string]any{"errors": []string{"Forbidden"}})
			return
		}
		h(w, r)
	}
}

func (f *Huntress) account(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"account": map[string]any{"id": 1, "name": f.Name,
		"subdomain": f.Subdomain, "status": "enabled", "support_type": "huntress_supported"}})
}

func (f *Huntress) list(resource string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		next := hexString(16)
		writeJSON(w, 200, map[string]any{resource: []map[string]any{{"id": 1}},
			"pagination": map[string]any{"next_page_token": next,
				"next_page_url": f.URL + r.URL.Path + "?page_token=" + next + "&limit=10"}})
	}
}
