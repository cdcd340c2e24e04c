package engine_test

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestEngine_ProbeEmpty checks that a probe status listed in probe_empty
// (Defender's 404 for "no machines yet") passes the permission stage, and
// that without it the same answer fails.
func TestEngine_ProbeEmpty(t *testing.T) {
	b, err := os.ReadFile("testdata/acme.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const old = "path: /v1/devices, permission: devices.read}"
	if !strings.Contains(string(b), old) {
		t.Fatalf("%q not in acme.yaml", old)
	}
	login := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"access_token":"tok-1","expires_in":600}`))
	})
	api := tlsServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	cfg := fake.Config(5*time.Second, login, api)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"acme": {"login": login.URL, "api.us": api.URL}}}
	in := linkhub.TestInput{Credentials: creds(map[string]string{"tenant": "t", "region": "us", "client_id": "c"},
		map[string]string{"client_secret": "s"}), Actions: []string{"list_devices"}}
	for _, tt := range []struct {
		name, text string
		want       linkhub.StageStatus
	}{
		{"Listed", strings.Replace(string(b), old, old[:len(old)-1]+", probe_empty: [404]}", 1), linkhub.StatusPassed},
		{"NotListed", string(b), linkhub.StatusFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := definition.Parse("acme.yaml", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			r := engine.New(d, cfg).Test(context.Background(), in)
			if s := stage(r, linkhub.StagePermissions); s.Status != tt.want {
				t.Fatalf("got permissions %+v, want %s", s, tt.want)
			}
		})
	}
}
