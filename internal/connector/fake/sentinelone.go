package fake

import (
	"net/http"
	"strings"
)

// SentinelOne is a fake SentinelOne management console reached with an API
// token. Built from the vendor catalog's facts: "Authorization: ApiToken
// <token>" on /web/api/v2.1; a wrong, expired or revoked token answers 401
// {"errors":[{"code":4010010,"detail":null,"title":"Authentication
// Failed"}]}; a call outside the token's scope answers 403 with code
// 4030010; /sites answers data as an object ({allSites, sites}) with
// pagination {nextCursor, totalItems}; agents, threats and activities are
// lists in data with the same pagination; a used-up rate limit is 429. The
// token is Server.ClientSecret.
type SentinelOne struct {
	*Server
	// Viewer is whether the token's user may read agents, threats and
	// activities; without it those answer 403 4030010 while /sites works.
	Viewer bool
	// RateLimited makes every call answer 429.
	RateLimited bool
	// Site is the name of the one site the token sees.
	Site string
}

// NewSentinelOne starts a fake console whose token belongs to a viewer.
func NewSentinelOne(t Cleaner) *SentinelOne {
	f := &SentinelOne{Viewer: true, Site: "Default site"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /web/api/v2.1/sites", f.api(false, f.sites))
	mux.HandleFunc("GET /web/api/v2.1/accounts", f.api(false, f.list("acc")))
	for _, p := range []string{"agents", "threats", "activities"} {
		mux.HandleFunc("GET /web/api/v2.1/"+p, f.api(true, f.list(p)))
	}
	f.Server = newServer(t, "sentinelone", mux)
	// Service-user tokens look like long JWT-ish strings.
	f.ClientSecret = "eyJraWQiOiJ1cy1lYXN0LTEtcHJvZC0wIiwiYWxnIjoiRVMyNTYifQ." + randomString(48)
	return f
}

func s1Error(w http.ResponseWriter, status, code int, title string, detail any) {
	writeJSON(w, status, map[string]any{"errors": []any{map[string]any{"code": code, "detail": detail, "title": title}}})
}

// api checks the rate limit, the token and (scoped) the role.
func (f *SentinelOne) api(scoped bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RateLimited {
			s1Error(w, 429, 4290010, "Too Many Requests", nil)
			return
		}
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "ApiToken ")
		if !ok || !f.secretOK(tok) {
			s1Error(w, 401, 4010010, "Authentication Failed", nil)
			return
		}
		if scoped && !f.Viewer {
			s1Error(w, 403, 4030010, "Action is not allowed", "Insufficient permissions")
			return
		}
		h(w, r)
	}
}

func (f *SentinelOne) sites(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{
		"data": map[string]any{
			"allSites": map[string]any{"activeLicenses": 815, "totalLicenses": 25},
			"sites": []any{map[string]any{"id": "883943415317889722", "name": f.Site,
				"accountId": "433241117337583618", "state": "active", "siteType": "Paid"}},
		},
		"pagination": map[string]any{"nextCursor": nil, "totalItems": 1},
	})
}

func (f *SentinelOne) list(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"data": []any{map[string]any{"id": "9" + randomString(17), "kind": kind}},
			"pagination": map[string]any{"nextCursor": randomString(12), "totalItems": 2}})
	}
}
