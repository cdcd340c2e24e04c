package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/proxy"
	"github.com/linkhub/linkhub/internal/secret"
)

// TestAPI_Token: POST /api/v1/accounts/:id/token answers the token
// service's token for the account (expiry in UTC, the headers to send, never
// cached by the client), its refusals as themselves, and the vendor's
// rejection of the account's credentials as a 409 saying to relink rather
// than a 401 about the caller's key. Caching, account states and vendor
// calls are the token service's (internal/tokens TestService_Token,
// TestService_TokenRefusals).
func TestAPI_Token(t *testing.T) {
	t.Parallel()
	expiry := time.Date(2030, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
	newEnv := func(t *testing.T, tok linkhub.Token, err error) (*mockEnv, *[]string) {
		t.Helper()
		e := apiMockEnv(t)
		var asked []string
		var mu sync.Mutex
		e.tokens.TokenFn = func(_ context.Context, id string) (linkhub.Token, error) {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, id)
			return tok, err
		}
		return e, &asked
	}
	t.Run("Shape", func(t *testing.T) {
		t.Parallel()
		e, asked := newEnv(t, linkhub.Token{AccessToken: secret.New("ey-access-1"), Expiry: expiry, BaseURL: "https://acme.jamfcloud.com"}, nil)
		resp, body := apiSend(e, http.MethodPost, "/api/v1/accounts/"+apiAccountID+"/token", "")
		var tok map[string]any
		if err := json.Unmarshal(body, &tok); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK || tok["access_token"] != "ey-access-1" || tok["token_type"] != "Bearer" ||
			tok["expires_at"] != "2030-01-02T03:04:05Z" || tok["base_url"] != "https://acme.jamfcloud.com" ||
			!reflect.DeepEqual(tok["headers"], map[string]any{}) || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("token: got %d %v (Cache-Control %q)", resp.StatusCode, tok, resp.Header.Get("Cache-Control"))
		}
		if len(*asked) != 1 || (*asked)[0] != apiAccountID {
			t.Errorf("the service was asked for %v, want the account", *asked)
		}
	})
	t.Run("Headers", func(t *testing.T) {
		t.Parallel()
		e, _ := newEnv(t, linkhub.Token{AccessToken: secret.New("ey-access-2"), Expiry: expiry, BaseURL: "https://api-eu01.central.sophos.com",
			Headers: map[string]string{"X-Tenant-ID": "t-1"}}, nil)
		status, out := e.api(http.MethodPost, "/api/v1/accounts/"+apiAccountID+"/token", "")
		if h, _ := out["headers"].(map[string]any); status != http.StatusOK || h["X-Tenant-ID"] != "t-1" ||
			out["base_url"] != "https://api-eu01.central.sophos.com" {
			t.Errorf("sophos token: got %d %v", status, out)
		}
	})
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		says   []string
	}{
		{"ErrDisabled", linkhub.Errorf(linkhub.EFORBIDDEN, "This account is disabled. Enable it in the admin console first."),
			http.StatusForbidden, linkhub.EFORBIDDEN, []string{"disabled"}},
		{"ErrNeedsRelink", linkhub.Errorf(linkhub.EFORBIDDEN, "The vendor rejected this account's credentials. Send the user a relink link."),
			http.StatusForbidden, linkhub.EFORBIDDEN, []string{"relink"}},
		{"ErrNotFound", linkhub.Errorf(linkhub.ENOTFOUND, "There is no such account."), http.StatusNotFound, linkhub.ENOTFOUND, nil},
		{"ErrVendorRejects", linkhub.Errorf(linkhub.EUNAUTHORIZED, "Jamf Pro rejected the client secret. "),
			http.StatusConflict, linkhub.ECONFLICT, []string{"Jamf Pro rejected the client secret. The account", "relink"}},
		{"ErrVendorUnreachable", linkhub.Errorf(linkhub.EUNAVAILABLE, "Cannot reach 127.0.0.1:1. Try again later."),
			http.StatusServiceUnavailable, linkhub.EUNAVAILABLE, []string{"127.0.0.1:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := newEnv(t, linkhub.Token{}, tc.err)
			er := apiWantError(t, e, http.MethodPost, "/api/v1/accounts/"+apiAccountID+"/token", "", tc.status, tc.code, "")
			for _, s := range tc.says {
				if msg, _ := er["message"].(string); !strings.Contains(msg, s) {
					t.Errorf("got %q, want it to say %q", msg, s)
				}
			}
		})
	}
	t.Run("ErrNoSuchID", func(t *testing.T) {
		t.Parallel()
		e, asked := newEnv(t, linkhub.Token{}, nil)
		apiWantError(t, e, http.MethodPost, "/api/v1/accounts/nope/token", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
		if len(*asked) != 0 {
			t.Errorf("the service was asked for %v, want nothing for an id that is not a UUID", *asked)
		}
	})
}

// apiProxyEnv is the mock env with apiMockAccount and a vendor that records
// each request it is handed and answers with answer.
func apiProxyEnv(t *testing.T, answer func(linkhub.VendorRequest) (*linkhub.VendorResponse, error)) (*mockEnv, func() []linkhub.VendorRequest) {
	t.Helper()
	e := apiMockEnv(t)
	apiFindAccount(e, apiMockAccount())
	var got recorder[linkhub.VendorRequest]
	e.vendor.ForwardFn = func(_ context.Context, a *linkhub.Account, r linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
		if a.ID != apiAccountID || a.Values["url"] != "https://acme.jamfcloud.com" {
			t.Errorf("forwarded for account %+v, want the one found", a)
		}
		got.add(r)
		return answer(r)
	}
	return e, got.all
}

// apiVendorJSON is a vendor's JSON answer with status.
func apiVendorJSON(status int, body string) (*linkhub.VendorResponse, error) {
	return &linkhub.VendorResponse{Status: status, Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"},
		"Etag": {`"v1"`}}, Body: []byte(body)}, nil
}

// TestAPI_Proxy: /api/v1/accounts/:id/proxy/* hands the vendor the found
// account and the caller's method, escaped path below proxy/, query,
// headers and body, and passes the vendor's status, headers and body back as
// they are, its 404 included. Its errors are API errors: a refused account
// 403, a rejection of the account's credentials 409, an unknown account 404
// without a vendor call, a body over the limit 413 before any. What is
// dropped, injected and pinned is the forwarder's (internal/proxy
// TestForwarder_Forward, TestForwarder_Pinned, TestForwarder_Limits).
func TestAPI_Proxy(t *testing.T) {
	t.Parallel()
	base := "/api/v1/accounts/" + apiAccountID + "/proxy"

	t.Run("Forwards", func(t *testing.T) {
		t.Parallel()
		e, got := apiProxyEnv(t, func(linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
			return apiVendorJSON(http.StatusOK, `{"totalCount":1,"results":[{"general":{"name":"Mac-01"}}]}`)
		})
		resp, body := apiSend(e, http.MethodGet, base+"/api/v1/computers-inventory?page=0&page-size=5", "", "Accept-Language", "de")
		if resp.StatusCode != http.StatusOK || string(body) != `{"totalCount":1,"results":[{"general":{"name":"Mac-01"}}]}` ||
			resp.Header.Get("Content-Type") != "application/json;charset=UTF-8" || resp.Header.Get("Etag") != `"v1"` {
			t.Fatalf("proxy: got %d %v %s", resp.StatusCode, resp.Header, body)
		}
		reqs := got()
		if len(reqs) != 1 {
			t.Fatalf("the vendor got %d requests, want 1", len(reqs))
		}
		r := reqs[0]
		if r.Method != http.MethodGet || r.Path != "/api/v1/computers-inventory" || r.RawQuery != "page=0&page-size=5" ||
			r.Header.Get("Accept-Language") != "de" || len(r.Body) != 0 || r.Route != nil {
			t.Errorf("the vendor got %+v", r)
		}
	})
	t.Run("Methods", func(t *testing.T) {
		t.Parallel()
		e, got := apiProxyEnv(t, func(r linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
			return apiVendorJSON(http.StatusCreated, `{"method":"`+r.Method+`"}`)
		})
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
			resp, body := apiSend(e, m, base+"/api/v1/departments/1", `{"name":"Sales"}`)
			if resp.StatusCode != http.StatusCreated || string(body) != `{"method":"`+m+`"}` {
				t.Errorf("%s: got %d %s, want the vendor's 201", m, resp.StatusCode, body)
			}
		}
		for i, r := range got() {
			if r.Path != "/api/v1/departments/1" || string(r.Body) != `{"name":"Sales"}` || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("request %d: the vendor got %s %s %q", i, r.Method, r.Path, r.Body)
			}
		}
	})
	t.Run("VendorStatusPassedBack", func(t *testing.T) {
		t.Parallel()
		e, _ := apiProxyEnv(t, func(linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
			return &linkhub.VendorResponse{Status: http.StatusNotFound, Header: http.Header{}, Body: []byte("no such thing")}, nil
		})
		resp, body := apiSend(e, http.MethodPost, base+"/api/v1/no-such-thing", `{"a":1}`)
		if resp.StatusCode != http.StatusNotFound || string(body) != "no such thing" ||
			resp.Header.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("got %d %q (%s), want the vendor's own 404 as octet-stream", resp.StatusCode, body, resp.Header.Get("Content-Type"))
		}
	})
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"ErrDisabled", linkhub.Errorf(linkhub.EFORBIDDEN, "This account is disabled. Enable it in the admin console first."),
			http.StatusForbidden, linkhub.EFORBIDDEN},
		{"ErrVendorRejects", linkhub.Errorf(linkhub.EUNAUTHORIZED, "Jamf Pro rejected the client secret."), http.StatusConflict, linkhub.ECONFLICT},
		{"ErrTooLargeAnswer", linkhub.Errorf(linkhub.EVENDOR, "The vendor's answer is larger than 10 MiB."), http.StatusBadGateway, linkhub.EVENDOR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, _ := apiProxyEnv(t, func(linkhub.VendorRequest) (*linkhub.VendorResponse, error) { return nil, tc.err })
			apiWantError(t, e, http.MethodGet, base+"/api/v1/departments", "", tc.status, tc.code, "")
		})
	}
	t.Run("ErrNotForwarded", func(t *testing.T) {
		t.Parallel()
		e, got := apiProxyEnv(t, func(linkhub.VendorRequest) (*linkhub.VendorResponse, error) { return apiVendorJSON(200, `{}`) })
		apiWantError(t, e, http.MethodPost, base+"/api/v1/departments", `"`+strings.Repeat("x", 2<<20)+`"`,
			http.StatusRequestEntityTooLarge, "too_large", "")
		apiWantError(t, e, http.MethodGet, "/api/v1/accounts/00000000-0000-4000-8000-000000000000/proxy/x", "",
			http.StatusNotFound, linkhub.ENOTFOUND, "")
		apiWantError(t, e, http.MethodGet, "/api/v1/accounts/nope/proxy/x", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
		if reqs := got(); len(reqs) != 0 {
			t.Errorf("the vendor got %+v, want nothing", reqs)
		}
	})
}

// TestAPI_ProxyPinned: every trick for leaving the vendor's host reaches
// the forwarder exactly as the client sent it on the wire, undecoded, so
// that its check sees every encoded character; the forwarder's refusal is
// a 400 naming the path. That the tricks never leave the vendor's host is
// the forwarder's (internal/proxy TestForwarder_Pinned).
func TestAPI_ProxyPinned(t *testing.T) {
	t.Parallel()
	e, got := apiProxyEnv(t, func(r linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
		if _, err := proxy.CleanPath(r.Path); err != nil {
			return nil, err
		}
		return apiVendorJSON(http.StatusOK, `{}`)
	})
	base := "/api/v1/accounts/" + apiAccountID + "/proxy"
	const host = "127.0.0.1:9"
	tails := []string{
		"//" + host + "/x", "/https://" + host + "/x", "/http:%2F%2F" + host, "/%2F%2F" + host, "/@" + host + "/x",
		"/x@" + host, "/%40" + host, "/../../" + host, "/a/../../x", "/..%2F..%2F" + host, "/%2e%2e/%2e%2e/x",
		"/%252e%252e/x", `/\\` + host, "/%5C%5C" + host, "/./x", "/a//b",
	}
	var sent []string
	for _, tail := range tails {
		req, _ := http.NewRequest(http.MethodGet, e.URL+base+tail, nil)
		sent = append(sent, strings.TrimPrefix(req.URL.EscapedPath(), base))
		req.Header.Set("Authorization", "Bearer "+mockAPIKey)
		resp, body := e.send(req)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"field":"path"`) {
			t.Errorf("%s: got %d %s, want 400 about the path", tail, resp.StatusCode, body)
		}
	}
	reqs := got()
	if len(reqs) != len(tails) {
		t.Fatalf("the forwarder got %d requests, want %d", len(reqs), len(tails))
	}
	for i, r := range reqs {
		if r.Path != sent[i] {
			t.Errorf("%s: the forwarder got path %q, want %q as sent", tails[i], r.Path, sent[i])
		}
	}
}

// TestAPI_Actions: POST /api/v1/accounts/:id/actions/:action runs only an
// action of the account's connector that the account's profile enables:
// the JSON params (or none) go to the vendor's ActionRequest, its request
// to Forward, and the vendor's JSON answer comes back. A disabled action is
// a 403 naming the profile and the fix, an unknown one a 404, a bad body or
// bad params a 400 naming the field; a non-JSON answer is a 502. How params
// become a request is the proxy's (internal/proxy TestActionRequest).
func TestAPI_Actions(t *testing.T) {
	t.Parallel()
	e, got := apiProxyEnv(t, func(r linkhub.VendorRequest) (*linkhub.VendorResponse, error) {
		if r.RawQuery == "page=9" {
			return &linkhub.VendorResponse{Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html>")}, nil
		}
		return apiVendorJSON(http.StatusOK, `{"totalCount":1}`)
	})
	var profileIDs []string
	e.profiles.FindProfileByIDFn = func(_ context.Context, id string) (*linkhub.Profile, error) {
		profileIDs = append(profileIDs, id)
		return &linkhub.Profile{ID: id, ConnectorID: "jamf", Name: "Fleet profile", Enabled: true, Actions: []string{"list_computers"}}, nil
	}
	var acts []string
	var params []map[string]any
	e.vendor.ActionRequestFn = func(act linkhub.Action, p map[string]any) (linkhub.VendorRequest, error) {
		acts, params = append(acts, act.ID+" "+act.Method+" "+act.Path), append(params, p)
		return proxy.ActionRequest(act, p)
	}
	base := "/api/v1/accounts/" + apiAccountID + "/actions/"

	status, out := e.api(http.MethodPost, base+"list_computers", `{"params":{"page":1,"section":["GENERAL","HARDWARE"]}}`)
	if status != http.StatusOK || out["totalCount"] != 1.0 {
		t.Fatalf("enabled action: got %d %v", status, out)
	}
	if len(acts) != 1 || acts[0] != "list_computers GET /api/v1/computers-inventory" ||
		!reflect.DeepEqual(params[0], map[string]any{"page": 1.0, "section": []any{"GENERAL", "HARDWARE"}}) || profileIDs[0] != apiProfileID {
		t.Errorf("ActionRequest got %v with %v (profile %v), want the connector's list_computers and the params", acts, params, profileIDs)
	}
	if reqs := got(); len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/api/v1/computers-inventory" ||
		reqs[0].RawQuery != "page=1&section=GENERAL&section=HARDWARE" {
		t.Errorf("the vendor got %+v, want ActionRequest's request", reqs)
	}
	if resp, body := apiSend(e, http.MethodPost, base+"list_computers", ""); resp.StatusCode != http.StatusOK || params[1] != nil {
		t.Errorf("without a body: got %d %s, params %v", resp.StatusCode, body, params[1])
	}
	er := apiWantError(t, e, http.MethodPost, base+"list_departments", "", http.StatusForbidden, linkhub.EFORBIDDEN, "")
	if msg, _ := er["message"].(string); !strings.Contains(msg, "Fleet profile") || !strings.Contains(msg, "admin must enable") {
		t.Errorf("not enabled: got %q, want it to name the profile and the fix", msg)
	}
	apiWantError(t, e, http.MethodPost, base+"launch_rockets", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
	apiWantError(t, e, http.MethodPost, base+"list_computers", `{"params":{"page":{"n":1}}}`, http.StatusBadRequest, linkhub.EINVALID, "params.page")
	apiWantError(t, e, http.MethodPost, base+"list_computers", `{"parms":{}}`, http.StatusBadRequest, linkhub.EINVALID, "parms")
	apiWantError(t, e, http.MethodPost, base+"list_computers", `[1]`, http.StatusBadRequest, linkhub.EINVALID, "")
	apiWantError(t, e, http.MethodPost, "/api/v1/accounts/00000000-0000-4000-8000-000000000000/actions/list_computers", "",
		http.StatusNotFound, linkhub.ENOTFOUND, "")
	apiWantError(t, e, http.MethodGet, base+"list_computers", "", http.StatusNotFound, linkhub.ENOTFOUND, "") // echo: no GET route here
	if n := len(got()); n != 2 {
		t.Errorf("the vendor got %d requests, want only the 2 of the runnable calls", n)
	}
	er = apiWantError(t, e, http.MethodPost, base+"list_computers", `{"params":{"page":9}}`, http.StatusBadGateway, linkhub.EVENDOR, "")
	if msg, _ := er["message"].(string); !strings.Contains(msg, "without JSON") {
		t.Errorf("an HTML answer: got %q, want it to say the vendor answered without JSON", msg)
	}
}

// TestAPI_WholeServer is the host API's one whole-server test, on
// PostgreSQL with a fake Jamf Pro: the services as cmd/linkhub wires them
// must work together, which no mock test shows. A stored account's token
// from the token endpoint is the one the proxy and the actions then use
// (the token service and the forwarder share one cache: one upstream token
// request), the vendor sees it and never the caller's API key, and no answer
// but the token endpoint's holds a secret (apiClient checks at cleanup).
func TestAPI_WholeServer(t *testing.T) {
	t.Parallel()
	a := newAPIClient(t)
	p := a.MustProfile(t, "jamf", "Jamf", "list_computers")
	acc := a.jamfAccount(p, "owner-1", a.jamf.ClientSecret)
	base := "/api/v1/accounts/" + acc.ID

	resp, body := a.do(http.MethodPost, base+"/token", "")
	var tok struct {
		AccessToken string `json:"access_token"`
		BaseURL     string `json:"base_url"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || resp.StatusCode != http.StatusOK || tok.AccessToken == "" || tok.BaseURL != a.jamf.URL {
		t.Fatalf("token: got %d %s", resp.StatusCode, body)
	}
	if resp, body := a.do(http.MethodGet, base+"/proxy/api/v1/departments", ""); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Sales") {
		t.Errorf("proxy: got %d %s, want the vendor's departments", resp.StatusCode, body)
	}
	if status, out := a.json(http.MethodPost, base+"/actions/list_computers", `{"params":{"page":0}}`); status != http.StatusOK || out["totalCount"] != 1.0 {
		t.Errorf("action: got %d %v, want the vendor's computers", status, out)
	}
	if n := a.jamf.TokenRequests(); n != 1 {
		t.Errorf("upstream token requests: got %d, want 1 shared by the token endpoint, the proxy and the action", n)
	}
	if seen := a.jamf.Sightings("Authorization: Bearer " + tok.AccessToken); len(seen) != 2 {
		t.Errorf("the vendor saw the handed-out token on %d calls, want 2", len(seen))
	}
	if seen := a.jamf.Sightings(a.apiKey); len(seen) != 0 {
		t.Errorf("the API key reached the vendor: %v", seen)
	}
}
