package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// tenantPathDef is testdata/acme.yaml with its token paths under the
// tenant, as Microsoft's /{tenant}/oauth2/v2.0/token is.
func tenantPathDef(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/acme.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const old = "paths: [/oauth/v2/token, /oauth/token]"
	if !strings.Contains(string(b), old) {
		t.Fatalf("%q not in acme.yaml", old)
	}
	return []byte(strings.Replace(string(b), old, `paths: ["`+path+`"]`, 1))
}

// TestEngine_TokenPathFromField checks that {field} in a token path is
// filled from the form, escaped for a path, and that a secret may not be.
func TestEngine_TokenPathFromField(t *testing.T) {
	const tenant = "t 1/x"
	var got atomic.Value // the handler runs on the server's goroutine
	login := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.URL.EscapedPath())
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-1", "expires_in": 600})
	})
	api := tlsServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	b := tenantPathDef(t, "/{tenant}/oauth2/v2.0/token")
	d, err := definition.Parse("acme.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	cfg := fake.Config(5*time.Second, login, api)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"acme": {"login": login.URL, "api.us": api.URL}}}
	r := engine.New(d, cfg).Test(context.Background(), linkhub.TestInput{Credentials: creds(
		map[string]string{"tenant": tenant, "region": "us", "client_id": "c"}, map[string]string{"client_secret": "s"})})
	if !r.OK() || got.Load() != "/t%201%2Fx/oauth2/v2.0/token" {
		t.Fatalf("got token path %v (report %+v), want the tenant escaped into it", got.Load(), r.Stages)
	}

	b = tenantPathDef(t, "/{client_secret}/token")
	var ps definition.Problems
	if _, err := definition.Parse("acme.yaml", b); !errors.As(err, &ps) || !strings.Contains(ps[0].Message, "secrets never go into addresses") {
		t.Fatalf("a secret in a token path: got %v, want it refused", err)
	}
}
