package fake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Microsoft Graph application permissions.
const (
	GraphUserRead    = "User.Read.All"
	GraphDirRead     = "Directory.Read.All"
	GraphDevicesRead = "DeviceManagementManagedDevices.Read.All"
	GraphGroupRead   = "GroupMember.Read.All"
)

// graphClouds are the national clouds: the token host and the Graph
// resource (the .default scope's root) of each.
var graphClouds = map[string]string{
	"global":    "https://graph.microsoft.com",
	"usgov":     "https://graph.microsoft.us",
	"usgov-dod": "https://dod-graph.microsoft.us",
	"china":     "https://microsoftgraph.chinacloudapi.cn",
}

// Graph is a fake Microsoft Graph with Entra ID's token endpoint, one app
// registration of one tenant that lives in one national cloud. Built from
// the vendor catalog's facts: POST /{tenant}/oauth2/v2.0/token takes a
// client-credentials form (or HTTP Basic) with the cloud's scope
// <graph root>/.default and answers 200 {token_type, expires_in 3599,
// access_token}; the token is a JWT whose roles claim lists the consented
// application permissions, and has no roles claim when none is consented;
// refusals carry Entra's error_codes (a wrong secret 401 invalid_client
// 7000215, an expired one 7000222, an app unknown in the tenant 400
// unauthorized_client 700016, an unknown tenant 400 invalid_request 90002,
// a wrong scope 400 invalid_scope 70011). Graph answers lists as
// {"@odata.context", "value": [...]}, refuses a token without the role a
// call needs with 403 Authorization_RequestDenied (directory) or Forbidden
// (Intune), a bad token with 401 InvalidAuthenticationToken, and throttles
// with 429 and Retry-After. Set exported fields before the code under
// test runs.
type Graph struct {
	// Home is the cloud the tenant lives in; Logins and APIs are each
	// started cloud's token host and Graph host.
	Home         string
	Logins, APIs map[string]*Server
	// TenantID and Domain both name the tenant.
	TenantID, Domain string
	// Roles are the app's consented application permissions, put in the
	// token's roles claim.
	Roles []string
	// Users is how many users the tenant has.
	Users int
	// SecretExpired makes the token endpoint refuse the secret as expired.
	SecretExpired bool
	// Throttled makes every Graph call answer 429.
	Throttled bool

	mu     sync.Mutex
	issued map[string][]string // token -> roles
	expiry tokens
}

// NewGraph starts a fake Graph whose tenant lives in the first of clouds
// (global when none is named), with a token and Graph host for each cloud
// named, and an app that may read users, devices and groups.
func NewGraph(t Cleaner, clouds ...string) *Graph {
	if len(clouds) == 0 {
		clouds = []string{"global"}
	}
	f := &Graph{Home: clouds[0], TenantID: guid(), Domain: "contoso.onmicrosoft.com", Users: 42,
		Roles: []string{GraphUserRead, GraphDevicesRead, GraphGroupRead}, issued: map[string][]string{},
		Logins: map[string]*Server{}, APIs: map[string]*Server{}}
	clientID, secret := guid(), randomWord(34)+"~Q"
	for _, cloud := range clouds {
		login := http.NewServeMux()
		login.HandleFunc("/{tenant}/oauth2/v2.0/token", f.token(cloud))
		s := newServer(t, clientID, login, "/"+f.TenantID+"/oauth2/v2.0/token", "/"+f.Domain+"/oauth2/v2.0/token")
		s.ClientSecret = secret
		f.Logins[cloud] = s
		api := http.NewServeMux()
		api.HandleFunc("GET /v1.0/users", f.api(cloud, []string{GraphUserRead, GraphDirRead}, "Authorization_RequestDenied", f.users))
		api.HandleFunc("GET /v1.0/groups", f.api(cloud, []string{GraphGroupRead, "Group.Read.All", GraphDirRead}, "Authorization_RequestDenied", f.list("groups")))
		api.HandleFunc("GET /v1.0/deviceManagement/managedDevices", f.api(cloud, []string{GraphDevicesRead, "DeviceManagementManagedDevices.ReadWrite.All"}, "Forbidden", f.list("deviceManagement/managedDevices")))
		f.APIs[cloud] = newServer(t, "", api)
	}
	return f
}

// Login returns the home cloud's token host; API its Graph host.
func (f *Graph) Login() *Server { return f.Logins[f.Home] }

// API returns the home cloud's Graph host.
func (f *Graph) API() *Server { return f.APIs[f.Home] }

// HostOverrides returns the LINKHUB_CONNECTOR_MSGRAPH_HOSTS overrides that
// point each started cloud's login and Graph hosts at the fake.
func (f *Graph) HostOverrides() map[string]string {
	out := map[string]string{}
	for cloud, s := range f.Logins {
		out["login."+cloud] = s.URL
		out["graph."+cloud] = f.APIs[cloud].URL
	}
	return out
}

func (f *Graph) token(cloud string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		login := f.Logins[cloud]
		id, sec, scope, ok := tokenForm(r)
		if !ok {
			entraError(w, 400, "unsupported_grant_type", 70003, "AADSTS70003: The app requested an unsupported grant type.")
			return
		}
		if u, p, basic := r.BasicAuth(); basic {
			id, sec = u, p
		}
		// A tenant exists in its own cloud only.
		if t := r.PathValue("tenant"); cloud != f.Home || t != f.TenantID && t != f.Domain {
			entraError(w, 400, "invalid_request", 90002, "AADSTS90002: Tenant '"+t+"' not found.")
			return
		}
		switch {
		case id != login.ClientID:
			entraError(w, 400, "unauthorized_client", 700016, "AADSTS700016: Application with identifier '"+id+"' was not found in the directory.")
		case f.SecretExpired:
			entraError(w, 401, "invalid_client", 7000222, "AADSTS7000222: The provided client secret keys for app '"+id+"' are expired.")
		case !login.secretOK(sec):
			entraError(w, 401, "invalid_client", 7000215, "AADSTS7000215: Invalid client secret provided.")
		case scope != graphClouds[cloud]+"/.default":
			entraError(w, 400, "invalid_scope", 70011, "AADSTS70011: The provided value for the input parameter 'scope' is not valid.")
		default:
			life := login.expiresIn.Load() - 1 // Entra's 3599
			tok := f.jwt(cloud, id)
			f.expiry.issue(tok, time.Duration(life)*time.Second)
			writeJSON(w, 200, map[string]any{"token_type": "Bearer", "expires_in": life, "ext_expires_in": life, "access_token": tok})
		}
	}
}

// jwt issues a token for the cloud's Graph whose roles claim holds the
// consented permissions, and none when there are none.
func (f *Graph) jwt(cloud, appID string) string {
	enc := base64.RawURLEncoding
	claims := map[string]any{"aud": graphClouds[cloud], "appid": appID, "tid": f.TenantID,
		"iat": time.Now().Unix(), "jti": randomString(16)}
	roles := slices.Clone(f.Roles)
	if len(roles) > 0 {
		claims["roles"] = roles
	}
	head, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	body, _ := json.Marshal(claims)
	tok := enc.EncodeToString(head) + "." + enc.EncodeToString(body) + "." + randomString(43)
	f.mu.Lock()
	f.issued[tok] = roles
	f.mu.Unlock()
	return tok
}

// entraError answers as Entra ID's token endpoint refuses (Defender's too).
func entraError(w http.ResponseWriter, status int, code string, num int, text string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": text + "\r\nTrace ID: " + guid(),
		"error_codes": []int{num}, "timestamp": time.Now().UTC().Format("2006-01-02 15:04:05Z"),
		"trace_id": guid(), "correlation_id": guid()})
}

func graphError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg,
		"innerError": map[string]any{"request-id": guid(), "date": time.Now().UTC().Format(time.RFC3339)}}})
}

// api checks throttling, the token (issued for this cloud) and its roles.
func (f *Graph) api(cloud string, anyOf []string, deniedCode string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		roles, known := f.issued[bearer(r)]
		f.mu.Unlock()
		switch {
		case f.Throttled:
			w.Header().Set("Retry-After", "7")
			graphError(w, 429, "TooManyRequests", "Too many requests.")
		case !known || !f.expiry.valid(bearer(r)) || cloud != f.Home:
			graphError(w, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
		case !slices.ContainsFunc(anyOf, func(p string) bool { return slices.Contains(roles, p) }):
			if deniedCode == "Forbidden" { // Intune's message is JSON inside a string
				graphError(w, 403, "Forbidden", `{"_version": 3, "Message": "Application is not authorized to perform this operation. Application must have one of the following scopes: `+
					strings.Join(anyOf, ", ")+` - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000"}`)
				return
			}
			graphError(w, 403, deniedCode, "Insufficient privileges to complete the operation.")
		default:
			h(w, r)
		}
	}
}

func (f *Graph) users(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{"@odata.context": graphClouds[f.Home] + "/v1.0/$metadata#users(id)", "value": []map[string]any{{"id": guid()}}}
	q := r.URL.Query()
	if q.Get("$count") == "true" {
		if r.Header.Get("ConsistencyLevel") != "eventual" {
			graphError(w, 400, "Request_BadRequest", "$count is not currently supported.")
			return
		}
		out["@odata.count"] = f.Users
	}
	if n, _ := strconv.Atoi(q.Get("$top")); n > 0 && n < f.Users {
		out["@odata.nextLink"] = graphClouds[f.Home] + "/v1.0/users?$top=" + q.Get("$top") + "&$skiptoken=" + randomString(20)
	}
	writeJSON(w, 200, out)
}

func (f *Graph) list(entity string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"@odata.context": graphClouds[f.Home] + "/v1.0/$metadata#" + entity, "value": []map[string]any{{"id": guid()}}})
	}
}
