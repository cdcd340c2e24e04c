package fake

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// CrowdStrike regions the fake runs, as the vendor catalog lists them.
var crowdStrikeRegions = []string{"us-1", "us-2", "eu-1", "us-gov-1", "us-gov-2"}

// CrowdStrike scopes, as the Falcon console names them.
const (
	ScopeHostsRead  = "Hosts: Read"
	ScopeAlertsRead = "Alerts: Read"
	ScopeUsersRead  = "User management: Read"
)

// CrowdStrike is a fake CrowdStrike Falcon: one TLS server per cloud, one
// API client whose home is Home. Built from the vendor catalog's facts: the
// token endpoint takes a form without grant_type and answers 201 with
// X-CS-Region naming the home cloud from any cloud's host; a bad secret or
// an unknown client answers 403 in the {meta, resources, errors} envelope;
// a token used at another cloud is refused with 401 (U); a missing scope is
// 403 "access denied, authorization failed". Set exported fields before the
// code under test runs.
type CrowdStrike struct {
	// Regions are the clouds' servers by region id; each records requests
	// and has the Server modes (slow, down...).
	Regions map[string]*Server
	// Home is the client's home cloud; default us-2.
	Home         string
	ClientID     string
	ClientSecret string
	// Scopes are the API client's scopes.
	Scopes []string
	// Hosts is meta.pagination.total of the device query.
	Hosts int
	// RateLimited makes every API call answer 429 with X-Ratelimit-Retryafter.
	RateLimited bool

	issued tokens
	mu     sync.Mutex
	home   map[string]string // token -> cloud it was issued for
}

// NewCrowdStrike starts the fake clouds; the client has every read scope.
func NewCrowdStrike(t Cleaner) *CrowdStrike {
	t.Helper()
	f := &CrowdStrike{Regions: map[string]*Server{}, Home: "us-2",
		ClientID: lowerHex(32), ClientSecret: randomWord(40),
		Scopes: []string{ScopeHostsRead, ScopeAlertsRead, ScopeUsersRead}, Hosts: 42, home: map[string]string{}}
	for _, r := range crowdStrikeRegions {
		mux := http.NewServeMux()
		mux.HandleFunc("/oauth2/token", f.token)
		mux.HandleFunc("GET /devices/queries/devices/v1", f.query(r, ScopeHostsRead, f.devices))
		mux.HandleFunc("GET /alerts/queries/alerts/v2", f.query(r, ScopeAlertsRead, nil))
		mux.HandleFunc("GET /user-management/queries/users/v1", f.query(r, ScopeUsersRead, nil))
		s := newServer(t, f.ClientID, mux, "/oauth2/token")
		s.ClientSecret = f.ClientSecret
		f.Regions[r] = s
	}
	return f
}

// Hosts returns the LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS overrides that
// point every cloud at the fake.
func (f *CrowdStrike) HostOverrides() map[string]string {
	out := map[string]string{}
	for r, s := range f.Regions {
		out["api."+r] = s.URL
	}
	return out
}

// TokenRequests returns how many token requests all clouds received.
func (f *CrowdStrike) TokenRequests() int {
	n := 0
	for _, s := range f.Regions {
		n += s.TokenRequests()
	}
	return n
}

func (f *CrowdStrike) envelope(w http.ResponseWriter, status int, msg string) {
	errs := []map[string]any{}
	if msg != "" {
		errs = append(errs, map[string]any{"code": status, "message": msg})
	}
	writeJSON(w, status, map[string]any{"meta": map[string]any{"query_time": 0.01, "powered_by": "csam", "trace_id": randomString(16)},
		"resources": []any{}, "errors": errs})
}

func (f *CrowdStrike) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		f.envelope(w, 400, "Failed to generate access token for clientID=")
		return
	}
	id, sec := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if id == "" || sec == "" {
		f.envelope(w, 400, "Failed to generate access token for clientID="+id)
		return
	}
	s := f.Regions[f.Home]
	if id != f.ClientID || !s.secretOK(sec) {
		f.envelope(w, 403, "Failed to issue access token - Client authentication failed (e.g., unknown client, invalid client secret)")
		return
	}
	life := s.expiresIn.Load()
	tok := newJWT(id)
	f.issued.issue(tok, time.Duration(life)*time.Second)
	f.mu.Lock()
	f.home[tok] = f.Home
	f.mu.Unlock()
	w.Header().Set("X-Cs-Region", f.Home)
	writeJSON(w, http.StatusCreated, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": life})
}

// query serves an id query of cloud region that needs scope; list writes
// the 200 answer (nil: an empty page).
func (f *CrowdStrike) query(region, scope string, list func(http.ResponseWriter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ratelimit-Limit", "6000")
		if f.RateLimited {
			w.Header().Set("X-Ratelimit-Remaining", "0")
			w.Header().Set("X-Ratelimit-Retryafter", strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10))
			f.envelope(w, 429, "API rate limit exceeded.")
			return
		}
		tok := bearer(r)
		f.mu.Lock()
		home := f.home[tok]
		f.mu.Unlock()
		if !f.issued.valid(tok) || home != region {
			f.envelope(w, 401, "access denied, invalid bearer token")
			return
		}
		if !slices.Contains(f.Scopes, scope) {
			f.envelope(w, 403, "access denied, authorization failed")
			return
		}
		if list == nil {
			writeJSON(w, 200, map[string]any{"meta": map[string]any{"query_time": 0.01, "pagination": map[string]any{"offset": 0, "limit": 1, "total": 0},
				"trace_id": randomString(16)}, "resources": []any{}, "errors": []any{}})
			return
		}
		list(w)
	}
}

func (f *CrowdStrike) devices(w http.ResponseWriter) {
	res := []string{}
	if f.Hosts > 0 {
		res = append(res, lowerHex(32))
	}
	writeJSON(w, 200, map[string]any{"meta": map[string]any{"query_time": 0.01, "pagination": map[string]any{"offset": 0, "limit": 1, "total": f.Hosts},
		"powered_by": "device-api", "trace_id": randomString(16)}, "resources": res, "errors": []any{}})
}

func lowerHex(n int) string {
	const digits = "0123456789abcdef"
	b := []byte(randomString(n))
	for i := range b {
		b[i] = digits[int(b[i])%16]
	}
	return string(b)
}

// randomWord returns n letters and digits.
func randomWord(n int) string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := []byte(randomString(n))
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}
