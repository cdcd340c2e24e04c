package fake

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Datto is a fake Datto RMM: one account on one platform, with a host per
// platform started. Built from the vendor catalog's facts: POST
// /auth/oauth/token wants HTTP Basic public-client:public and the form
// grant_type=password, username=<API key>, password=<API secret>, and
// answers 200 {access_token, token_type "bearer", expires_in 359999};
// tokens expire after 100 hours, then calls answer 401. A wrong key or
// secret, or a key of another platform, answers 400 invalid_grant "Bad
// credentials" (U); API access turned off answers 401 (U). GET
// /api/v2/account answers the account; the lists page by page and max
// with pageDetails; a call the key's user may not make answers 403, and
// over the rate limit 429. ClientID of each server is the API key,
// ClientSecret the API secret. Set exported fields before the code under
// test runs.
type Datto struct {
	// Home is the platform the account lives on; Platforms are the hosts
	// started, by platform.
	Home      string
	Platforms map[string]*Server
	// Devices is how many devices the account has.
	Devices int
	// Denied are the API paths the keys' user may not read.
	Denied []string
	// APIOff answers the token request as when API access is turned off.
	APIOff bool
	// NoExpiresIn leaves expires_in out of the token answer.
	NoExpiresIn bool
	// RateLimited makes every API call answer 429.
	RateLimited bool

	issued tokens
}

// NewDatto starts a fake Datto RMM whose account lives on the first of
// platforms (merlot when none is named).
func NewDatto(t Cleaner, platforms ...string) *Datto {
	if len(platforms) == 0 {
		platforms = []string{"merlot"}
	}
	f := &Datto{Home: platforms[0], Platforms: map[string]*Server{}, Devices: 250}
	key, sec := strings.ToUpper(randomWord(32)), randomWord(32)
	for _, p := range platforms {
		mux := http.NewServeMux()
		mux.HandleFunc("/auth/oauth/token", f.token(p))
		mux.HandleFunc("GET /api/v2/account", f.api(f.account))
		for _, list := range []string{"devices", "sites", "alerts/open"} {
			mux.HandleFunc("GET /api/v2/account/"+list, f.api(f.list(list)))
		}
		s := newServer(t, key, mux, "/auth/oauth/token")
		s.ClientSecret = sec
		s.SetExpiresIn(359999)
		f.Platforms[p] = s
	}
	return f
}

// Server returns the home platform's host.
func (f *Datto) Server() *Server { return f.Platforms[f.Home] }

// HostOverrides returns the LINKHUB_CONNECTOR_DATTORMM_HOSTS overrides that
// point each started platform at its fake host.
func (f *Datto) HostOverrides() map[string]string {
	out := map[string]string{}
	for p, s := range f.Platforms {
		out["api."+p] = s.URL
	}
	return out
}

func (f *Datto) token(platform string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := f.Platforms[platform]
		id, pw, basic := r.BasicAuth()
		if r.Method != http.MethodPost || !basic || id != "public-client" || pw != "public" {
			writeJSON(w, 401, map[string]any{"error": "unauthorized", "error_description": "Full authentication is required to access this resource"})
			return
		}
		if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "password" {
			writeJSON(w, 400, map[string]any{"error": "unsupported_grant_type", "error_description": "Unsupported grant type: " + r.PostForm.Get("grant_type")})
			return
		}
		switch {
		case platform != f.Home || r.PostForm.Get("username") != s.ClientID || !s.secretOK(r.PostForm.Get("password")):
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Bad credentials"})
		case f.APIOff:
			writeJSON(w, 401, map[string]any{"error": "access_denied", "error_description": "API access is disabled for this account"})
		default:
			life := s.expiresIn.Load()
			tok := randomWord(40)
			f.issued.issue(tok, min(time.Duration(life)*time.Second, 100*time.Hour))
			out := map[string]any{"access_token": tok, "token_type": "bearer", "scope": "default", "jti": guid()}
			if !f.NoExpiresIn {
				out["expires_in"] = life
			}
			writeJSON(w, 200, out)
		}
	}
}

// api checks the rate limit, the token and the user's rights.
func (f *Datto) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case f.RateLimited:
			writeJSON(w, 429, map[string]any{"message": "Too many requests"})
		case !f.issued.valid(bearer(r)):
			writeJSON(w, 401, map[string]any{"error": "invalid_token", "error_description": "Request can not be authorized"})
		case slices.Contains(f.Denied, r.URL.Path):
			writeJSON(w, 403, map[string]any{"message": "Authenticated user doesn't have access to this resource."})
		default:
			h(w, r)
		}
	}
}

func (f *Datto) account(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"id": 123, "uid": lowerHex(8) + "-" + lowerHex(4), "name": "Acme MSP", "currency": "USD",
		"descriptor":    map[string]any{"billingEmail": "billing@acme.example", "timeZone": "Europe/London"},
		"devicesStatus": map[string]any{"numberOfDevices": f.Devices, "numberOfOnlineDevices": f.Devices / 2, "numberOfOfflineDevices": f.Devices - f.Devices/2}})
}

func (f *Datto) list(name string) http.HandlerFunc {
	key := strings.TrimPrefix(name, "alerts/") // devices, sites, open
	if key == "open" {
		key = "alerts"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"pageDetails": map[string]any{"count": 1, "totalCount": 1, "prevPageUrl": nil, "nextPageUrl": nil},
			key: []map[string]any{{"uid": guid()}}})
	}
}
