package fake

import (
	"encoding/json"
	"io"
	"net/http"
)

// Rapid7 is a fake region of the Rapid7 Insight platform reached with a
// platform API key. Built from the vendor catalog's facts: "X-Api-Key:
// <key>" on every request; GET /validate answers 200 {"message":
// "Authorized"}, a wrong key (or another region's) 401 {"message":
// "Unauthorized"}; a product the key's user lacks answers 403 {"message":
// "Forbidden"}; InsightVM v4 lists are POST searches with a JSON filter and
// ?size= up to 500, answering {"data":[...],"metadata":{...},"links":[...]};
// InsightIDR investigations are a GET; a rate limit answers 429 {"message":
// "Too Many Requests"}. Each region is its own fake with its own key
// (Server.ClientSecret). Set exported fields before the code under test
// runs.
type Rapid7 struct {
	*Server
	// Products are the products the key's user may use (vm, idr).
	Products map[string]bool
	// RateLimited makes every call answer 429.
	RateLimited bool
}

// NewRapid7 starts a fake Insight region whose key reaches InsightVM and
// InsightIDR.
func NewRapid7(t Cleaner) *Rapid7 {
	f := &Rapid7{Products: map[string]bool{"vm": true, "idr": true}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /validate", f.api("", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"message": "Authorized"})
	}))
	mux.HandleFunc("POST /vm/v4/integration/assets", f.api("vm", f.search))
	mux.HandleFunc("POST /vm/v4/integration/vulnerabilities", f.api("vm", f.search))
	mux.HandleFunc("GET /idr/v2/investigations", f.api("idr", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"data": []map[string]any{{"rrn": "rrn:investigation:" + hexString(12)}},
			"metadata": map[string]any{"index": 0, "size": 1, "total_data": 1}})
	}))
	f.Server = newServer(t, "rapid7", mux)
	f.ClientSecret = hexString(8) + "-" + hexString(4) + "-" + hexString(4) + "-" + hexString(4) + "-" + hexString(12)
	return f
}

// api checks the rate limit, the key and (product) the user's access.
func (f *Rapid7) api(product string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case f.RateLimited:
			writeJSON(w, 429, map[string]any{"message": "Too Many Requests"})
		case !f.secretOK(r.Header.Get("X-Api-Key")):
			writeJSON(w, 401, map[string]any{"message": "Unauthorized"})
		case product != "" && !f.Products[product]:
			writeJSON(w, 403, map[string]any{"message": "Forbidden"})
		default:
			h(w, r)
		}
	}
}

// search is a v4 POST search: a JSON filter in the body.
func (f *Rapid7) search(w http.ResponseWriter, r *http.Request) {
	var filter map[string]any
	if b, _ := io.ReadAll(r.Body); json.Unmarshal(b, &filter) != nil {
		writeJSON(w, 400, map[string]any{"message": "The request body is not valid JSON."})
		return
	}
	writeJSON(w, 200, map[string]any{"data": []map[string]any{{"id": hexString(32)}},
		"metadata": map[string]any{"cursor": hexString(16)}, "links": []any{}})
}
