package fake

// JumpCloud facts, for whoever writes a connector definition for it (the
// fake below follows them; the definition must be written from these, not
// from the code). C = JumpCloud's own documentation or SDK, P = third party,
// U = not found, the fake's choice.
//
// Hosts and versions
//   - C: one API host, https://console.jumpcloud.com; the v1 API lives under
//     /api, the v2 API under /api/v2 (jcapi-python READMEs: "All URIs are
//     relative to https://console.jumpcloud.com/api/v2").
//   - P: organisations in JumpCloud's EU region use
//     https://console.eu.jumpcloud.com instead; there is no discovery call,
//     the admin knows the console they sign in to. A key sent to the other
//     region's host answers 401 (connector guides of Iru and others pair
//     "401" with "switch the US/EU host"; the fake runs one region).
//
// The key
//   - C: every call carries the header "x-api-key: <key>", no scheme, no
//     token exchange (jcapi READMEs: curl -H "x-api-key: [YOUR_API_KEY_HERE]").
//   - C: the key belongs to one administrator and can do what that admin's
//     role can (roles: Read Only, Help Desk, Manager, Administrator,
//     Administrator with Billing); it is found in the Admin Portal under the
//     admin's name at the top right, "My API Key" / "API Settings".
//   - C: resetting the key revokes the old one at once; keys may be given an
//     expiry date (JumpCloud "Best Practices: JumpCloud API").
//   - P: the key is shown once, when it is generated; API access must be
//     turned on for the organisation (by a Billing Admin) before any key
//     works. U: with it off, calls answer 401 like a bad key (the fake:
//     Server.SetSecretRevoked).
//   - P: keys are 40 characters (the JumpCloud PowerShell module checks the
//     length 40). U: the exact alphabet; the fake issues 40 lowercase hex.
//   - U: a missing, wrong, reset or expired key answers 401 with
//     {"message":"Unauthorized"}; the fake answers that for all four.
//
// Organisations (multi-tenant admins, MSPs)
//   - C: an admin of several organisations sends "x-org-id: <org id>" to say
//     which one a call is about; single-organisation admins leave it out
//     (jcapi x_org_id parameter "optional"; Workato's JumpCloud connector:
//     "only required if there are multiple organisations").
//   - P: org ids are 24 hex digits (MongoDB object ids, as in the PowerShell
//     module's examples); the id is shown in the Admin Portal's Settings
//     under the organisation's contact information.
//   - P: GET /api/organizations lists the admin's organisations as
//     {"totalCount":N,"results":[{"_id","displayName","logoUrl"}]}.
//   - U: an x-org-id the key's admin does not manage answers 401
//     {"message":"Unauthorized"}, the same as a bad key, so a hint for a 401
//     must name both the key and the organisation id when one was given.
//   - U: a multi-tenant admin's key without x-org-id on an organisation's
//     data answers 400 {"message":"x-org-id header is required"}.
//
// Calls (all GET, JSON; Accept and Content-Type application/json)
//   - C: GET /api/systemusers?limit=1 is a cheap check of key and org:
//     {"totalCount":N,"results":[{"_id","username","email","firstname",
//     "lastname","activated","suspended","state"}]}.
//   - C: GET /api/systems answers the same envelope with
//     {"_id","displayName","hostname","os","version","active","lastContact"}.
//   - C: v1 lists page with limit (default 10, at most 100) and skip, sort
//     and filter; "sort=_id" keeps pages stable (Best Practices).
//   - C: GET /api/v2/usergroups answers a bare JSON array of
//     {"id","name","type":"user_group"}, paged by limit and skip;
//     P: the total count is in the header x-total-count.
//   - U: a role without access to a resource answers 403
//     {"message":"Forbidden"}.
//   - U: a limit above 100 answers 400 {"message":"limit must be at most 100"}.
//
// Failures
//   - C: the API answers 429 when a client sends too many requests and 5xx
//     (500, 502, 503, 504) in outages (Best Practices lists these codes and
//     asks for retries with back-off). U: the limits and a Retry-After header
//     are not published; the fake's 429 carries Retry-After: 60 and
//     {"message":"Too Many Requests"}.
//   - C: a blocked source IP answers 403 "Your IP has been blocked due to
//     suspected abuse" (JumpCloud support article of that title).
//   - Outage (Server.SetDown: 503) and timeout (Server.SetSlow(-1): no
//     answer) are the shared switches of every fake.

import (
	"net/http"
	"slices"
	"strconv"
)

// JumpCloud is a fake JumpCloud console API (v1 and v2) reached with an
// x-api-key header, answering as the facts above say. The key is
// Server.ClientSecret. Set exported fields before the code under test runs.
type JumpCloud struct {
	*Server
	// Orgs are the organisations the key's admin manages; the first is the
	// admin's own.
	Orgs []string
	// MultiTenant makes the key a multi-tenant admin's: calls on an
	// organisation's data then need x-org-id.
	MultiTenant bool
	// Denied lists the resources (systemusers, systems, usergroups) the
	// key's role may not read; they answer 403.
	Denied map[string]bool
	// RateLimited makes every call answer 429.
	RateLimited bool
	// Users is how many system users each organisation has.
	Users int
}

// NewJumpCloud starts a fake JumpCloud whose key belongs to a single
// organisation's Read Only admin.
func NewJumpCloud(t Cleaner) *JumpCloud {
	f := &JumpCloud{Orgs: []string{hexString(24), hexString(24)}, Denied: map[string]bool{}, Users: 3}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/organizations", f.api("", false, f.organizations))
	mux.HandleFunc("GET /api/systemusers", f.api("systemusers", true, f.systemUsers))
	mux.HandleFunc("GET /api/systems", f.api("systems", true, f.systems))
	mux.HandleFunc("GET /api/v2/usergroups", f.api("usergroups", true, f.userGroups))
	f.Server = newServer(t, "jumpcloud", mux)
	f.ClientSecret = hexString(40)
	return f
}

func jumpCloudError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg})
}

// api checks the rate limit, the key, the organisation (for org data) and
// the role's access to resource, in the order JumpCloud is assumed to.
func (f *JumpCloud) api(resource string, orgData bool, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if f.RateLimited {
			w.Header().Set("Retry-After", "60")
			jumpCloudError(w, http.StatusTooManyRequests, "Too Many Requests")
			return
		}
		if !f.secretOK(r.Header.Get("x-api-key")) {
			jumpCloudError(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		org := r.Header.Get("x-org-id")
		switch {
		case org != "" && !slices.Contains(f.Orgs, org):
			jumpCloudError(w, http.StatusUnauthorized, "Unauthorized")
			return
		case org == "" && orgData && f.MultiTenant:
			jumpCloudError(w, http.StatusBadRequest, "x-org-id header is required")
			return
		case f.Denied[resource]:
			jumpCloudError(w, http.StatusForbidden, "Forbidden")
			return
		}
		if l := r.URL.Query().Get("limit"); l != "" {
			if n, err := strconv.Atoi(l); err != nil || n < 0 || n > 100 {
				jumpCloudError(w, http.StatusBadRequest, "limit must be at most 100")
				return
			}
		}
		h(w, r)
	}
}

// jumpCloudPage returns how many of total items a v1 or v2 list answers with.
func jumpCloudPage(r *http.Request, total int) int {
	n := 10
	if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil {
		n = l
	}
	skip, _ := strconv.Atoi(r.URL.Query().Get("skip"))
	return max(0, min(n, total-skip))
}

func (f *JumpCloud) organizations(w http.ResponseWriter, r *http.Request) {
	results := []any{}
	for i, id := range f.Orgs {
		results = append(results, map[string]any{"_id": id, "displayName": "Org " + strconv.Itoa(i+1), "logoUrl": ""})
	}
	writeJSON(w, 200, map[string]any{"totalCount": len(f.Orgs), "results": results})
}

func (f *JumpCloud) systemUsers(w http.ResponseWriter, r *http.Request) {
	results := []any{}
	for range jumpCloudPage(r, f.Users) {
		name := "user" + hexString(6)
		results = append(results, map[string]any{"_id": hexString(24), "username": name, "email": name + "@acme.example",
			"firstname": "Ada", "lastname": "Lovelace", "activated": true, "suspended": false, "state": "ACTIVATED"})
	}
	writeJSON(w, 200, map[string]any{"totalCount": f.Users, "results": results})
}

func (f *JumpCloud) systems(w http.ResponseWriter, r *http.Request) {
	results := []any{}
	for range jumpCloudPage(r, 2) {
		results = append(results, map[string]any{"_id": hexString(24), "displayName": "MacBook-" + hexString(4),
			"hostname": "mbp-" + hexString(4), "os": "Mac OS X", "version": "14.4", "active": true,
			"lastContact": "2026-11-30T12:00:00.000Z"})
	}
	writeJSON(w, 200, map[string]any{"totalCount": 2, "results": results})
}

func (f *JumpCloud) userGroups(w http.ResponseWriter, r *http.Request) {
	groups := []any{}
	for range jumpCloudPage(r, 1) {
		groups = append(groups, map[string]any{"id": hexString(24), "name": "All Staff", "type": "user_group"})
	}
	w.Header().Set("x-total-count", "1")
	writeJSON(w, 200, groups)
}
