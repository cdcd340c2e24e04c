package engine_test

import (
	"context"
	"errors"
	"io"
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

// TestEngine_ProbeBody runs testdata/postprobe.yaml: an action whose probe
// is a POST search with a JSON body, sent with the key, and a refusal of
// that search reported as the missing permission.
func TestEngine_ProbeBody(t *testing.T) {
	allowed := true
	srv := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != "key-1" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/validate" {
			_, _ = w.Write([]byte(`{"message":"Authorized"}`))
			return
		}
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.RawQuery != "size=1" || string(body) != `{"asset":""}` || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		if !allowed {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"message":"Forbidden"}`))
			return
		}
		_, _ = w.Write([]byte(`{"data":[]}`))
	})
	cfg := fake.Config(5*time.Second, srv)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"searchco": {"api": srv.URL}}}
	c := engine.New(mustParse(t, "testdata/postprobe.yaml"), cfg)
	in := linkhub.TestInput{Credentials: creds(nil, map[string]string{"api_key": "key-1"}), Actions: []string{"search_assets"}}
	r := c.Test(context.Background(), in)
	if s := stage(r, linkhub.StagePermissions); s.Status != linkhub.StatusPassed {
		t.Fatalf("got permissions %+v, want passed by the POST search", s)
	}
	allowed = false
	r = c.Test(context.Background(), in)
	mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "Search assets (needs Asset viewer)", "key-1")
}

// TestParse_ProbeBodyNeedsProbe checks that a probe body without its own
// probe path, or one that is not JSON, is refused where it is written.
func TestParse_ProbeBodyNeedsProbe(t *testing.T) {
	b, err := os.ReadFile("testdata/postprobe.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for old, repl := range map[string]string{`probe: "/assets?size=1", `: "", `'{"asset":""}'`: "'asset='"} {
		_, err := definition.Parse("postprobe.yaml", []byte(strings.Replace(string(b), old, repl, 1)))
		var ps definition.Problems
		if !errors.As(err, &ps) || !strings.Contains(ps[0].String(), "actions[0].probe_body: a probe body needs a probe path and must be JSON") {
			t.Errorf("without %s: got %v, want the probe body refused", old, err)
		}
	}
}
