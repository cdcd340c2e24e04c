package fake

import (
	"net/http"
	"strconv"
	"strings"
)

// Meraki is a fake Cisco Meraki Dashboard API host (one region). Built from
// the vendor catalog's facts: "Authorization: Bearer <api key>" (the legacy
// X-Cisco-Meraki-API-Key header works too); a missing key answers 401
// {"errors":["Missing API key"]}, a wrong one {"errors":["Invalid API
// key"]}; GET /api/v1/organizations lists the admin's organizations with
// api.enabled; an organization with API access off answers its own calls
// 404; lists page with perPage and a Link header; 429 carries Retry-After;
// errors are always {"errors":[strings]}; the API may answer with a 3xx
// redirect to another host. The key is Server.ClientSecret. Set exported
// fields before the code under test runs.
type Meraki struct {
	*Server
	// Orgs are the organizations the key's admin sees, by id and name.
	Orgs [][2]string
	// APIDisabled holds the ids of organizations whose API access is off.
	APIDisabled map[string]bool
	// NetworkOnly makes the admin a network admin: organization-wide lists
	// answer 403 (an assumption: the catalog leaves it open).
	NetworkOnly bool
	// RateLimited makes every call answer 429.
	RateLimited bool
	// RedirectTo, when set, makes every call answer 307 to RedirectTo plus
	// the path, as Meraki does when it moves a call to another host.
	RedirectTo string
}

// NewMeraki starts a fake Meraki region whose key's admin sees one
// organization with API access on.
func NewMeraki(t Cleaner) *Meraki {
	f := &Meraki{Orgs: [][2]string{{"549236", "DevNet Sandbox"}}, APIDisabled: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/organizations", f.api(f.organizations))
	mux.HandleFunc("GET /api/v1/organizations/{org}", f.api(f.org(f.organization)))
	for _, p := range []string{"devices", "devices/statuses", "networks"} {
		mux.HandleFunc("GET /api/v1/organizations/{org}/"+p, f.api(f.org(f.orgWide(f.list))))
	}
	f.Server = newServer(t, "meraki", mux)
	f.ClientSecret = hexString(40)
	return f
}

func merakiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"errors": []string{msg}})
}

// api checks the redirect and rate-limit modes, then the key.
func (f *Meraki) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RedirectTo != "" {
			// Only the test's own host, never one a request names.
			w.Header().Set("Location", f.RedirectTo+r.URL.Path)
			w.WriteHeader(http.StatusTemporaryRedirect)
			return
		}
		if f.RateLimited {
			w.Header().Set("Retry-After", "2")
			merakiError(w, 429, "API rate limit exceeded for organization")
			return
		}
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			key = r.Header.Get("X-Cisco-Meraki-API-Key")
		}
		switch {
		case key == "":
			merakiError(w, 401, "Missing API key")
		case !f.secretOK(key):
			merakiError(w, 401, "Invalid API key")
		default:
			h(w, r)
		}
	}
}

// org answers 404 for an organization the admin cannot see or whose API
// access is off.
func (f *Meraki) org(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("org")
		if f.APIDisabled[id] || f.find(id) == "" {
			merakiError(w, 404, "Resource not found")
			return
		}
		h(w, r)
	}
}

func (f *Meraki) orgWide(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.NetworkOnly {
			merakiError(w, 403, "You do not have organization-wide access")
			return
		}
		h(w, r)
	}
}

func (f *Meraki) find(id string) string {
	for _, o := range f.Orgs {
		if o[0] == id {
			return o[1]
		}
	}
	return ""
}

func (f *Meraki) orgJSON(id, name string) map[string]any {
	return map[string]any{"id": id, "name": name, "url": "https://n149.meraki.com/o/" + id + "/manage/organization/overview",
		"api": map[string]any{"enabled": !f.APIDisabled[id]}}
}

func (f *Meraki) organizations(w http.ResponseWriter, r *http.Request) {
	out := []map[string]any{}
	for _, o := range f.Orgs {
		out = append(out, f.orgJSON(o[0], o[1]))
	}
	writeJSON(w, 200, out)
}

func (f *Meraki) organization(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("org")
	writeJSON(w, 200, f.orgJSON(id, f.find(id)))
}

// list answers one item and a Link to the next page, as Meraki pages.
func (f *Meraki) list(w http.ResponseWriter, r *http.Request) {
	if pp := r.URL.Query().Get("perPage"); pp != "" {
		if n, err := strconv.Atoi(pp); err != nil || n < 3 {
			merakiError(w, 400, "'perPage' must be an integer between 3 and 5000")
			return
		}
	}
	w.Header().Set("Link", "<"+f.URL+r.URL.Path+"?perPage=3&startingAfter="+hexString(12)+">; rel=next")
	writeJSON(w, 200, []map[string]any{{"serial": "Q2XX-" + hexString(4) + "-" + hexString(4), "status": "online"}})
}
