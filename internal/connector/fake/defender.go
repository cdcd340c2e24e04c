package fake

import (
	"net/http"
	"slices"
	"time"
)

// Defender for Endpoint application permissions (WindowsDefenderATP).
const (
	MDEMachineRead = "Machine.Read.All"
	MDEAlertRead   = "Alert.Read.All"
	MDEVulnRead    = "Vulnerability.Read.All"
)

// Defender is a fake Microsoft Defender for Endpoint: Entra ID's token
// endpoint (Login) and the API (API), one app registration of one tenant.
// Built from the vendor catalog's facts: POST /{tenant}/oauth2/v2.0/token
// takes a client-credentials form with scope
// https://api.securitycenter.microsoft.com/.default and answers 200 with
// expires_in 3599; refusals carry Entra's error_codes (a wrong secret 401
// invalid_client 7000215, an expired one 7000222, an app unknown in the
// tenant 400 unauthorized_client 700016, an unknown tenant 400
// invalid_request 90002, a wrong scope 400 invalid_scope 70011); the API
// wraps errors in {"error":{code,message,target}}: 401 Unauthorized, 403
// Forbidden naming the permissions needed, 403 DisabledFeature, 429 with
// Retry-After; GET /api/machines answers 404 ResourceNotFound when no
// machine was seen lately. Set exported fields before the code under test
// runs.
type Defender struct {
	// Login is login.microsoftonline.com; API is the Defender API, every
	// region's host.
	Login, API *Server
	// TenantID and Domain both name the tenant.
	TenantID, Domain string
	// Permissions are the app's consented application permissions.
	Permissions []string
	// Machines is how many machines the tenant has seen lately; 0 makes the
	// machine list answer 404.
	Machines int
	// SecretExpired makes the token endpoint refuse the secret as expired.
	SecretExpired bool
	// Disabled answers 403 DisabledFeature, as a tenant without a licence.
	Disabled bool
	// RateLimited makes every API call answer 429.
	RateLimited bool

	issued tokens
}

// defenderRegions are the region ids of the geo hosts.
var defenderRegions = []string{"global", "us", "eu", "uk", "au", "swa", "ina"}

// NewDefender starts a fake Defender whose app may read machines, alerts
// and vulnerabilities.
func NewDefender(t Cleaner) *Defender {
	f := &Defender{TenantID: guid(), Domain: "contoso.onmicrosoft.com",
		Permissions: []string{MDEMachineRead, MDEAlertRead, MDEVulnRead}, Machines: 3}
	login := http.NewServeMux()
	login.HandleFunc("/{tenant}/oauth2/v2.0/token", f.token)
	f.Login = newServer(t, guid(), login, "/"+f.TenantID+"/oauth2/v2.0/token", "/"+f.Domain+"/oauth2/v2.0/token")
	f.Login.ClientSecret = randomWord(34) + "~Q"
	api := http.NewServeMux()
	api.HandleFunc("GET /api/machines", f.api(MDEMachineRead, f.machines))
	api.HandleFunc("GET /api/alerts", f.api(MDEAlertRead, f.list))
	api.HandleFunc("GET /api/machines/SoftwareVulnerabilitiesByMachine", f.api(MDEVulnRead, f.list))
	f.API = newServer(t, "", api)
	return f
}

// HostOverrides returns the LINKHUB_CONNECTOR_DEFENDER_HOSTS overrides that
// point the login host and every region at the fake.
func (f *Defender) HostOverrides() map[string]string {
	out := map[string]string{"login": f.Login.URL}
	for _, r := range defenderRegions {
		out["api."+r] = f.API.URL
	}
	return out
}

func (f *Defender) token(w http.ResponseWriter, r *http.Request) {
	id, sec, scope, ok := tokenForm(r)
	if !ok {
		entraError(w, 400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.")
		return
	}
	if u, p, basic := r.BasicAuth(); basic {
		id, sec = u, p
	}
	if t := r.PathValue("tenant"); t != f.TenantID && t != f.Domain {
		entraError(w, 400, "invalid_request", 90002, "AADSTS90002: Tenant '"+t+"' not found.")
		return
	}
	switch {
	case id != f.Login.ClientID:
		entraError(w, 400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"+id+"' was not found in the directory.")
	case f.SecretExpired:
		entraError(w, 401, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app '"+id+"' are expired.")
	case !f.Login.secretOK(sec):
		entraError(w, 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.")
	case scope != "https://api.securitycenter.microsoft.com/.default" && scope != "https://securitycenter.onmicrosoft.com/windowsatpservice/.default":
		entraError(w, 400, "invalid_scope", 70011, "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
	default:
		life := f.Login.expiresIn.Load() - 1 // Entra's 3599
		tok := newJWT(id)
		f.issued.issue(tok, time.Duration(life)*time.Second)
		writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": life, "ext_expires_in": 0, "access_token": tok})
	}
}

func (f *Defender) apiError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg, "target": guid()}})
}

// api checks the rate limit, the token, the licence and the permission.
func (f *Defender) api(permission string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case f.RateLimited:
			w.Header().Set("Retry-After", "20")
			f.apiError(w, 429, "TooManyRequests", "Too many requests.")
		case !f.issued.valid(bearer(r)):
			f.apiError(w, 401, "Unauthorized", "Authorization header is missing or invalid.")
		case f.Disabled:
			f.apiError(w, 403, "DisabledFeature", "The feature is disabled for this tenant.")
		case !slices.Contains(f.Permissions, permission):
			f.apiError(w, 403, "Forbidden", "The application does not have any of the required application permissions ("+
				permission+") to access the resource.")
		default:
			h(w, r)
		}
	}
}

func (f *Defender) machines(w http.ResponseWriter, r *http.Request) {
	if f.Machines == 0 { // Defender's way of saying "none seen lately"
		f.apiError(w, 404, "ResourceNotFound", "Machines were not found.")
		return
	}
	writeJSON(w, 200, map[string]any{"@odata.context": "https://api.security.microsoft.com/api/$metadata#Machines",
		"value": []map[string]any{{"id": lowerHex(40), "computerDnsName": "mymachine1.contoso.com", "healthStatus": "Active", "osPlatform": "Windows10"}}})
}

func (f *Defender) list(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"@odata.context": "https://api.security.microsoft.com/api/$metadata#Alerts", "value": []any{}})
}
