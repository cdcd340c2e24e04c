package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/web"
)

// BenchmarkHub_Link is one whole link submission through the server: hub
// session lookup, a Jamf Pro test at the fake on loopback TLS (token,
// version, permissions), sealing the secret, storing the account and
// recording the attempt. Opening the hub sessions is not timed.
func BenchmarkHub_Link(b *testing.B) {
	e := MustHubEnv(b, web.HubLimits{PerSession: 1 << 20, PerIP: 1 << 20})
	p := e.MustProfile(b, "jamf", "Jamf Pro")
	hubs := make([]string, b.N)
	for i := range hubs {
		hubs[i] = e.MustOpen(b, e.MustToken(b, nil))
	}
	form := e.jamfForm(e.jamf.ClientSecret).Encode()
	client := &http.Client{}
	b.ResetTimer()
	for _, hub := range hubs {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+hub+"/profiles/"+p.ID+"/connect", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `data-testid="success"`) {
			b.Fatalf("got %d %.300s", resp.StatusCode, body)
		}
	}
}
