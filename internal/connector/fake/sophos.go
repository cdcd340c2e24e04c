package fake

import (
	"net/http"
	"slices"
	"time"
)

// Sophos is a fake Sophos Central: the identity service and the global and
// data-region API hosts, all on one server. Set its exported fields before the
// code under test runs.
type Sophos struct {
	*Server
	// ID and IDType are what whoami answers; IDType is tenant, partner or
	// organization.
	ID     string
	IDType string
	// Tenants are listed for a partner or organization.
	Tenants []SophosTenant
	// Denied lists API paths that answer 403 (a missing role).
	Denied []string

	issued tokens
}

// SophosTenant is one tenant under a partner or organization.
type SophosTenant struct {
	ID, Name, DataRegion string
}

// NewSophos starts a fake Sophos Central whose credential is a tenant's.
func NewSophos(t Cleaner) *Sophos {
	f := &Sophos{ID: "0d0b9c5e-3c51-4f4e-9a55-7d1c2f8e4a10", IDType: "tenant"}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v2/oauth2/token", f.token)
	mux.HandleFunc("GET /whoami/v1", f.whoami)
	mux.HandleFunc("GET /partner/v1/tenants", f.tenants("partner", "X-Partner-ID"))
	mux.HandleFunc("GET /organization/v1/tenants", f.tenants("organization", "X-Organization-ID"))
	mux.HandleFunc("GET /endpoint/v1/endpoints", f.endpoints)
	f.Server = newServer(t, "5c4b6a1e-8f2d-4e3a-b1c0-9d8e7f6a5b4c", mux, "/api/v2/oauth2/token")
	return f
}

// AsPartner turns the credential into a partner's with two tenants.
func (f *Sophos) AsPartner() {
	f.IDType, f.ID = "partner", "7a1e2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"
	f.Tenants = []SophosTenant{
		{ID: "11111111-2222-4333-8444-555555555555", Name: "Acme GmbH", DataRegion: "eu01"},
		{ID: "66666666-7777-4888-9999-000000000000", Name: "Globex Inc", DataRegion: "us01"},
	}
}

// AsOrganization turns the credential into an enterprise organization's
// with two tenants.
func (f *Sophos) AsOrganization() {
	f.AsPartner()
	f.IDType, f.ID = "organization", "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a"
}

func (f *Sophos) token(w http.ResponseWriter, r *http.Request) {
	tracking := map[string]any{"trackingId": randomString(8)}
	id, sec, scope, ok := tokenForm(r)
	switch {
	case !ok || scope != "token":
		writeJSON(w, 400, merge(tracking, map[string]any{"errorCode": "oauth.invalid_request", "message": "Bad Request"}))
	case id != f.ClientID:
		writeJSON(w, 401, merge(tracking, map[string]any{"errorCode": "oauth.client_app_does_not_exist", "message": "Unauthorized"}))
	case !f.secretOK(sec):
		writeJSON(w, 401, merge(tracking, map[string]any{"errorCode": "oauth.invalid_client_secret", "message": "Unauthorized"}))
	default:
		life := f.expiresIn.Load()
		tok := newJWT(id)
		f.issued.issue(tok, time.Duration(life)*time.Second)
		writeJSON(w, 200, merge(tracking, map[string]any{"access_token": tok, "errorCode": "success",
			"expires_in": life, "message": "OK", "refresh_token": randomString(32), "token_type": "bearer"}))
	}
}

// authorized answers 401 the way Sophos's API does when the token is bad.
func (f *Sophos) authorized(w http.ResponseWriter, r *http.Request) bool {
	if !f.issued.valid(bearer(r)) {
		writeJSON(w, 401, map[string]any{"error": "Unauthorized", "correlationId": randomString(8), "requestId": randomString(8)})
		return false
	}
	if slices.Contains(f.Denied, r.URL.Path) {
		writeJSON(w, 403, map[string]any{"error": "Forbidden", "correlationId": randomString(8),
			"requestId": randomString(8), "createdAt": time.Now().UTC().Format(time.RFC3339)})
		return false
	}
	return true
}

func (f *Sophos) whoami(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	hosts := map[string]any{"global": f.URL}
	if f.IDType == "tenant" {
		hosts["dataRegion"] = f.URL // the data-region host is this same fake
	}
	writeJSON(w, 200, map[string]any{"id": f.ID, "idType": f.IDType, "apiHosts": hosts})
}

func (f *Sophos) tenants(idType, header string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !f.authorized(w, r) {
			return
		}
		own := map[string]string{"partner": "X-Partner-ID", "organization": "X-Organization-ID"}[f.IDType]
		switch got := r.Header.Get(header); {
		case got == "" && (own == "" || r.Header.Get(own) == ""):
			writeJSON(w, 401, map[string]any{"error": "Unauthorized", "correlationId": randomString(8), "requestId": randomString(8)})
			return
		case got == "": // the credential's own header on the other kind's path
			writeJSON(w, 403, map[string]any{"error": "Forbidden", "correlationId": randomString(8), "requestId": randomString(8)})
			return
		case got != f.ID || f.IDType != idType:
			writeJSON(w, 403, map[string]any{"error": "Forbidden", "correlationId": randomString(8), "requestId": randomString(8)})
			return
		}
		items := []map[string]any{}
		for _, t := range f.Tenants {
			items = append(items, map[string]any{"id": t.ID, "name": t.Name, "dataGeography": t.DataRegion[:2],
				"dataRegion": t.DataRegion, "billingType": "usage", idType: map[string]any{"id": f.ID},
				"apiHost": f.URL})
		}
		writeJSON(w, 200, map[string]any{"items": items, "pages": map[string]any{"current": 1, "size": 50,
			"total": 1, "items": len(items), "maxSize": 100}})
	}
}

func (f *Sophos) endpoints(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(w, r) {
		return
	}
	tenant := r.Header.Get("X-Tenant-ID")
	known := f.IDType == "tenant" && tenant == f.ID
	for _, t := range f.Tenants {
		known = known || t.ID == tenant
	}
	if tenant == "" {
		writeJSON(w, 401, map[string]any{"error": "Unauthorized", "correlationId": randomString(8), "requestId": randomString(8)})
		return
	} else if !known {
		writeJSON(w, 403, map[string]any{"error": "Forbidden", "correlationId": randomString(8), "requestId": randomString(8)})
		return
	}
	writeJSON(w, 200, map[string]any{
		"items": []map[string]any{{"id": "a1b2c3d4-0000-4000-8000-000000000001", "type": "computer",
			"hostname": "LAPTOP-01", "os": map[string]any{"platform": "windows", "name": "Windows 11 Pro"}}},
		"pages": map[string]any{"size": 1, "total": 1, "items": 1, "maxSize": 500},
	})
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
