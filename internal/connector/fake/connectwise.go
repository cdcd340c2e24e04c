package fake

import (
	"net/http"
	"strings"
)

// ConnectWise is a fake ConnectWise PSA (Manage) site. Built from the vendor
// catalog's facts: GET /login/companyinfo/{company} answers without
// credentials with the company's Codebase; the API lives under
// /{Codebase}apis/3.0; every API call wants HTTP Basic
// "company+publickey:privatekey" and a registered clientId header, and
// answers 401 ConnectWiseApi / UserNotAuthenticated otherwise;
// /system/info answers the version. An unknown company (404 on
// companyinfo) and a role without Inquire rights (403) are assumptions.
// The public key is Server.ClientID and the private key
// Server.ClientSecret. Set exported fields before the code under test runs.
type ConnectWise struct {
	*Server
	// Company is the company id the site knows.
	Company string
	// Codebase is the API root's version folder, with its trailing slash.
	Codebase string
	// Integration is the registered clientId the site accepts.
	Integration string
	// Inquire lists the API areas (companies, configurations, tickets) the
	// API member's security role may read.
	Inquire map[string]bool
	// RateLimited makes every API call answer 429.
	RateLimited bool
}

// NewConnectWise starts a fake cloud site of company "acme" whose API
// member may read everything.
func NewConnectWise(t Cleaner) *ConnectWise {
	f := &ConnectWise{Company: "acme", Codebase: "v4_6_release/", Integration: "0f5c3e4a-1b2c-4d5e-8f90-a1b2c3d4e5f6",
		Inquire: map[string]bool{"companies": true, "configurations": true, "tickets": true}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/companyinfo/{company}", f.companyInfo)
	mux.HandleFunc("GET /{codebase}/apis/3.0/system/info", f.api("", f.systemInfo))
	mux.HandleFunc("GET /{codebase}/apis/3.0/company/companies", f.api("companies", f.list))
	mux.HandleFunc("GET /{codebase}/apis/3.0/company/configurations", f.api("configurations", f.list))
	mux.HandleFunc("GET /{codebase}/apis/3.0/service/tickets", f.api("tickets", f.list))
	f.Server = newServer(t, randomAlnum(16), mux)
	f.ClientSecret = randomAlnum(16)
	return f
}

func cwError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"code": "ConnectWiseApi", "message": "An exception has been thrown.",
		"errors": []map[string]string{{"code": code, "message": msg, "resource": "", "field": ""}}})
}

func (f *ConnectWise) companyInfo(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.PathValue("company"), f.Company) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, 200, map[string]any{"CompanyName": "Acme IT", "Codebase": f.Codebase, "VersionCode": "v2025.1",
		"VersionNumber": "v4.6.99999", "CompanyID": f.Company, "IsCloud": true, "SiteUrl": "na.myconnectwise.net"})
}

// api checks the codebase, the clientId, the Basic credentials and the
// role's right to area.
func (f *ConnectWise) api(area string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("codebase")+"/" != f.Codebase {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if f.RateLimited {
			w.Header().Set("Retry-After", "3")
			cwError(w, 429, "TooManyRequests", "Too many requests.")
			return
		}
		user, pass, ok := r.BasicAuth()
		if r.Header.Get("clientId") != f.Integration || !ok || !strings.EqualFold(user, f.Company+"+"+f.ClientID) || !f.secretOK(pass) {
			cwError(w, 401, "UserNotAuthenticated", "Authentication failed.")
			return
		}
		if area != "" && !f.Inquire[area] {
			cwError(w, 403, "Unauthorized", "You do not have permission to inquire on this resource.")
			return
		}
		h(w, r)
	}
}

func (f *ConnectWise) systemInfo(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"version": "v2025.1.99999", "isCloud": true, "serverTimeZone": "Eastern Standard Time", "cloudRegion": "NA"})
}

func (f *ConnectWise) list(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Link", "<"+f.URL+r.URL.Path+"?page=2&pageSize=1>; rel=\"next\"")
	writeJSON(w, 200, []map[string]any{{"id": 1, "name": "Globex"}})
}

func randomAlnum(n int) string {
	s := strings.NewReplacer("-", "", "_", "").Replace(randomString(2 * n))
	for len(s) < n {
		s += "7"
	}
	return s[:n]
}
