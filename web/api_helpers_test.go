package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// apiClient calls the host API of a hub env with its API key and keeps every
// answer (except those of the token endpoint) for the check that no secret
// ever appears in one.
type apiClient struct {
	*hubEnv
	t      *testing.T
	bodies []string
}

func newAPIClient(t *testing.T) *apiClient {
	t.Helper()
	a := &apiClient{hubEnv: MustHubEnv(t, web.HubLimits{}), t: t}
	t.Cleanup(func() { a.assertNoSecrets() })
	return a
}

// do sends a request; a non-empty body goes as JSON. header adds headers.
func (a *apiClient) do(method, path, body string, header ...string) (*http.Response, []byte) {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+a.apiKey)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	if !strings.HasSuffix(req.URL.Path, "/token") {
		a.bodies = append(a.bodies, string(b))
	}
	return resp, b
}

// json sends a request and decodes the JSON answer into a map.
func (a *apiClient) json(method, path, body string) (int, map[string]any) {
	a.t.Helper()
	resp, b := a.do(method, path, body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		a.t.Fatalf("%s %s: got %d %q, want JSON", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, out
}

// assertNoSecrets fails when any answer held a vendor client secret, an
// access token the vendors issued, or a mask of a stored secret.
func (a *apiClient) assertNoSecrets() {
	a.t.Helper()
	forbidden := []string{a.jamf.ClientSecret, a.sophos.ClientSecret, secret.New(a.jamf.ClientSecret).Mask(),
		secret.New(a.sophos.ClientSecret).Mask()}
	forbidden = append(forbidden, bearerTokens(a.jamf.Requests())...)
	forbidden = append(forbidden, bearerTokens(a.sophos.Requests())...)
	for _, b := range a.bodies {
		for _, s := range forbidden {
			if s != "" && strings.Contains(b, s) {
				a.t.Errorf("an API answer holds a secret (%.6s...): %.300s", s, b)
			}
		}
	}
}

// bearerTokens returns the access tokens the requests carried.
func bearerTokens(reqs []fake.Request) []string {
	var out []string
	for _, r := range reqs {
		for line := range strings.SplitSeq(r.Raw, "\n") {
			if tok, ok := strings.CutPrefix(strings.TrimSpace(line), "Authorization: Bearer "); ok {
				out = append(out, tok)
			}
		}
	}
	return out
}

// jamfAccount stores a Jamf account of owner under p with the fake's
// credentials, its client secret being sec.
func (a *apiClient) jamfAccount(p *linkhub.Profile, owner, sec string) *linkhub.Account {
	a.t.Helper()
	acc := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: owner, OriginOwnerName: "Owner " + owner, Label: "Macs of " + owner,
		Values: map[string]string{"url": a.jamf.URL, "client_id": a.jamf.ClientID}}
	if err := a.accounts.CreateAccount(context.Background(), acc, map[string]secret.Value{"client_secret": secret.New(sec)}); err != nil {
		a.t.Fatal(err)
	}
	return acc
}
