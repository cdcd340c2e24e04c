package engine_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// builtin returns the built-in definition with id.
func builtin(t *testing.T, id string) *definition.Definition {
	t.Helper()
	for _, d := range connector.Builtins() {
		if d.ID == id {
			return d
		}
	}
	t.Fatalf("no built-in definition %q", id)
	return nil
}

// MustConnector returns the connector of definition id with its hosts
// pointed at servers by overrides.
func MustConnector(t *testing.T, id string, timeout time.Duration, overrides map[string]string, servers ...*httptest.Server) *engine.Connector {
	t.Helper()
	cfg := fake.Config(timeout, servers...)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{id: overrides}}
	return engine.New(builtin(t, id), cfg)
}

func creds(values map[string]string, secrets map[string]string) linkhub.Credentials {
	c := linkhub.Credentials{Values: values, Secrets: map[string]secret.Value{}}
	for k, v := range secrets {
		c.Secrets[k] = secret.New(v)
	}
	return c
}

func stage(r linkhub.Report, n linkhub.StageName) linkhub.Stage {
	for _, s := range r.Stages {
		if s.Name == n {
			return s
		}
	}
	return linkhub.Stage{}
}

// mustFail checks that stage n failed with reason, a hint holding hintPart,
// and that no secret shows anywhere in the report.
func mustFail(t *testing.T, r linkhub.Report, n linkhub.StageName, reason, hintPart string, secrets ...string) linkhub.Stage {
	t.Helper()
	s := stage(r, n)
	if s.Status != linkhub.StatusFailed || s.Reason != reason || !strings.Contains(s.Hint, hintPart) {
		t.Fatalf("stage %s: got %s/%s (%q), want failed/%s with a hint holding %q; stages %+v", n, s.Status, s.Reason, s.Hint, reason, hintPart, r.Stages)
	}
	for _, st := range r.Stages {
		if st.Name != n && st.Status == linkhub.StatusFailed {
			t.Fatalf("stage %s failed too: %+v", st.Name, st)
		}
	}
	mustNotLeak(t, r, secrets...)
	return s
}

func mustNotLeak(t *testing.T, r linkhub.Report, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		for _, st := range r.Stages {
			if strings.Contains(st.Hint+st.Snippet, sec) {
				t.Fatalf("stage %s shows a secret: %+v", st.Name, st)
			}
		}
		for k, v := range r.Metadata {
			if strings.Contains(v, sec) {
				t.Fatalf("metadata %s holds a secret", k)
			}
		}
	}
}

// call sends GET base+path with tok's headers (bearer unless the token says
// otherwise), as the proxy does.
func call(t *testing.T, cfg kit.Config, tok linkhub.Token, path string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, tok.BaseURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken.Reveal())
	for k, v := range tok.Headers {
		req.Header.Set(k, v)
	}
	resp, err := kit.NewClient(cfg).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
