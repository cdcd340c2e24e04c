package fake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Okta is a fake Okta org reached with an SSWS API token. Built from the
// vendor catalog's facts: "Authorization: SSWS <token>"; a wrong token
// answers 401 E0000011; a token whose admin lacks a privilege answers 403
// E0000006 on the admin lists while /api/v1/users/me still works; every
// answer carries X-Rate-Limit-Limit, -Remaining and -Reset, and a used-up
// limit answers 429. The token is Server.ClientSecret. Set exported fields
// before the code under test runs.
type Okta struct {
	*Server
	// ReadOnlyAdmin is whether the token's user has the Read-Only
	// Administrator role; without it the lists answer 403.
	ReadOnlyAdmin bool
	// RateLimited makes every call answer 429.
	RateLimited bool
	// Login is the token owner's login.
	Login string
}

// NewOkta starts a fake Okta org whose token belongs to a read-only admin.
func NewOkta(t Cleaner) *Okta {
	f := &Okta{ReadOnlyAdmin: true, Login: "svc-linkhub@acme.example"}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/users/me", f.api(false, f.me))
	mux.HandleFunc("GET /api/v1/users", f.api(true, f.list("00u")))
	mux.HandleFunc("GET /api/v1/groups", f.api(true, f.list("00g")))
	mux.HandleFunc("GET /api/v1/logs", f.api(true, f.list("evt")))
	f.Server = newServer(t, "okta", mux)
	f.ClientSecret = "00" + randomString(40)
	return f
}

func (f *Okta) oktaError(w http.ResponseWriter, status int, code, summary string) {
	writeJSON(w, status, map[string]any{"errorCode": code, "errorSummary": summary, "errorLink": code,
		"errorId": "oae" + randomString(19), "errorCauses": []any{}})
}

// api checks the token, the rate limit and (admin) the privilege.
func (f *Okta) api(admin bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		reset := strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10)
		w.Header().Set("X-Rate-Limit-Limit", "600")
		w.Header().Set("X-Rate-Limit-Reset", reset)
		if f.RateLimited {
			w.Header().Set("X-Rate-Limit-Remaining", "0")
			f.oktaError(w, 429, "E0000047", "API call exceeded rate limit due to too many requests.")
			return
		}
		w.Header().Set("X-Rate-Limit-Remaining", "599")
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "SSWS ")
		if !ok || !f.secretOK(tok) {
			f.oktaError(w, 401, "E0000011", "Invalid token provided")
			return
		}
		if admin && !f.ReadOnlyAdmin {
			f.oktaError(w, 403, "E0000006", "You do not have permission to perform the requested action")
			return
		}
		h(w, r)
	}
}

func (f *Okta) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"id": "00u" + randomString(17), "status": "ACTIVE",
		"profile": map[string]any{"login": f.Login, "email": f.Login}})
}

func (f *Okta) list(prefix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "<"+f.URL+r.URL.Path+"?after="+randomString(8)+">; rel=\"next\"")
		writeJSON(w, 200, []map[string]any{{"id": prefix + randomString(17)}})
	}
}
