package web_test

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// benchAccount is a hub env with one linked Jamf account.
func benchAccount(b *testing.B) (*hubEnv, string) {
	e := MustHubEnv(b, web.HubLimits{})
	p := e.MustProfile(b, "jamf", "Jamf", "list_departments")
	a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "o", Values: map[string]string{"url": e.jamf.URL, "client_id": e.jamf.ClientID}}
	if err := e.accounts.CreateAccount(context.Background(), a, map[string]secret.Value{"client_secret": secret.New(e.jamf.ClientSecret)}); err != nil {
		b.Fatal(err)
	}
	return e, a.ID
}

// benchCall sends method path b.N times with the API key and wants 200.
func benchCall(b *testing.B, e *hubEnv, method, path string) {
	client := &http.Client{}
	for b.Loop() {
		req, _ := http.NewRequest(method, e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.apiKey)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s %s: got %d", method, path, resp.StatusCode)
		}
	}
}

// BenchmarkAPI_TokenCached is POST /api/v1/accounts/{id}/token served from
// the cache: API key check, account read, cache hit.
func BenchmarkAPI_TokenCached(b *testing.B) {
	e, id := benchAccount(b)
	benchCall(b, e, http.MethodPost, "/api/v1/accounts/"+id+"/token")
	if n := e.jamf.TokenRequests(); n != 1 {
		b.Errorf("upstream token requests: got %d, want 1", n)
	}
}

// BenchmarkAPI_Proxy is a GET through the proxy to the fake Jamf Pro on
// loopback (TLS), with a cached token.
func BenchmarkAPI_Proxy(b *testing.B) {
	e, id := benchAccount(b)
	benchCall(b, e, http.MethodGet, "/api/v1/accounts/"+id+"/proxy/api/v1/departments")
}

// BenchmarkAPI_Action is the same call as an enabled action.
func BenchmarkAPI_Action(b *testing.B) {
	e, id := benchAccount(b)
	benchCall(b, e, http.MethodPost, "/api/v1/accounts/"+id+"/actions/list_departments")
}

// BenchmarkAPI_ListAccounts lists one owner's 10 accounts out of 20,000.
func BenchmarkAPI_ListAccounts(b *testing.B) {
	e := MustHubEnv(b, web.HubLimits{})
	p := e.MustProfile(b, "jamf", "Jamf", "list_departments")
	if _, err := e.db.Pool.Exec(context.Background(), `INSERT INTO accounts (profile_id, connector_id, origin_owner_id, origin_owner_name, field_values, created_at)
		SELECT $1, 'jamf', 'owner-' || (i % 2000), 'Owner', '{"url": "https://x.jamfcloud.com", "client_id": "c"}', now() - make_interval(secs => i)
		FROM generate_series(1, 20000) AS i`, p.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := e.db.Pool.Exec(context.Background(), `ANALYZE accounts`); err != nil {
		b.Fatal(err)
	}
	benchCall(b, e, http.MethodGet, "/api/v1/accounts?origin_owner_id=owner-7&limit=50")
}
