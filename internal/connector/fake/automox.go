package fake

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// Automox is a fake Automox console API reached with a Bearer API key. Built
// from the vendor catalog's facts: one fixed host with paths under /api;
// lists answer bare arrays, paged by limit (1-500, else 400) and page (from
// 0), per organization by o=; GET /api/orgs lists the organizations the key
// sees; a wrong key answers 401; a read the owner's role lacks answers 403,
// and so does an organization key asked about another organization; a
// used-up rate limit answers 429. The key is Server.ClientSecret.
type Automox struct {
	*Server
	// Orgs are the account's organizations by id.
	Orgs map[int]string
	// OrgKey, when not 0, makes the key an organization key of that
	// organization: it sees only that one. 0 is a global key.
	OrgKey int
	// Denied are the lists the key's owner may not read: "servers",
	// "users", "policies".
	Denied map[string]bool
	// RateLimited makes every call answer 429.
	RateLimited bool
}

// NewAutomox starts a fake account with two organizations and a global key
// whose owner may read everything.
func NewAutomox(t Cleaner) *Automox {
	f := &Automox{Orgs: map[int]string{1234: "Acme", 5678: "Acme Lab"}, Denied: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/orgs", f.api("", f.orgs))
	for _, p := range []string{"servers", "users", "policies"} {
		mux.HandleFunc("GET /api/"+p, f.api(p, f.list))
	}
	f.Server = newServer(t, "automox", mux)
	f.ClientSecret = uuid.NewString()
	return f
}

func (f *Automox) sees(org int) bool {
	_, ok := f.Orgs[org]
	return ok && (f.OrgKey == 0 || f.OrgKey == org)
}

// api checks the rate limit, the key, the paging and (lists) the role and
// the organization.
func (f *Automox) api(list string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RateLimited {
			writeJSON(w, 429, map[string]any{"errors": []string{"Too Many Requests"}})
			return
		}
		key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !f.secretOK(key) {
			writeJSON(w, 401, map[string]any{"errors": []string{"Unauthorized"}})
			return
		}
		if l := r.URL.Query().Get("limit"); l != "" {
			if n, err := strconv.Atoi(l); err != nil || n < 1 || n > 500 {
				writeJSON(w, 400, map[string]any{"errors": []string{"limit must be between 1 and 500"}})
				return
			}
		}
		if list != "" {
			org, _ := strconv.Atoi(r.URL.Query().Get("o"))
			if f.Denied[list] || r.URL.Query().Has("o") && !f.sees(org) {
				writeJSON(w, 403, map[string]any{"errors": []string{"You do not have access to this Automox resource"}})
				return
			}
		}
		h(w, r)
	}
}

func (f *Automox) orgs(w http.ResponseWriter, r *http.Request) {
	out := []any{}
	for _, id := range slices.Sorted(maps.Keys(f.Orgs)) {
		if f.sees(id) {
			out = append(out, map[string]any{"id": id, "name": f.Orgs[id], "uuid": uuid.NewString(), "device_count": 42})
		}
	}
	writeJSON(w, 200, out)
}

func (f *Automox) list(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, []any{map[string]any{"id": 1, "name": "item-" + randomString(6)}})
}
