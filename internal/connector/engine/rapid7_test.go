package engine_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/proxy"
)

// MustRapid7 starts two fake Insight regions, us2 and eu, each with a key of
// its own, and the rapid7 definition's connector pointed at them.
func MustRapid7(t *testing.T, timeout time.Duration) (*engine.Connector, *fake.Rapid7, *fake.Rapid7) {
	t.Helper()
	us2, eu := fake.NewRapid7(t), fake.NewRapid7(t)
	return MustConnector(t, "rapid7", timeout, map[string]string{"api.us2": us2.URL, "api.eu": eu.URL},
		us2.Server.Server, eu.Server.Server), us2, eu
}

func rapid7Input(region, key string, actions ...string) linkhub.TestInput {
	return linkhub.TestInput{Credentials: creds(map[string]string{"region": region},
		map[string]string{"api_key": key}), Actions: actions}
}

func TestRapid7_Test(t *testing.T) {
	ctx := context.Background()
	vendorFailures(t, func(d time.Duration) (*engine.Connector, *fake.Server) {
		c, f, _ := MustRapid7(t, d)
		return c, f.Server
	}, func(s *fake.Server) linkhub.TestInput {
		return rapid7Input("us2", s.ClientSecret)
	}, "not like the Rapid7 Insight platform")
	t.Run("OK", func(t *testing.T) {
		c, f, eu := MustRapid7(t, 5*time.Second)
		r := c.Test(ctx, rapid7Input("us2", f.ClientSecret, "search_assets", "list_investigations"))
		if !r.OK() {
			t.Fatalf("got failed report %+v", r.Stages)
		}
		if got := r.Metadata["rapid7_region"]; got != "us2" {
			t.Fatalf("got region %q, want us2 stored", got)
		}
		if s := stage(r, linkhub.StageToken); s.Status != linkhub.StatusSkipped {
			t.Fatalf("got token stage %+v, want skipped: the key goes with every call", s)
		}
		paths := []string{}
		for _, req := range f.Requests() {
			paths = append(paths, req.Path)
		}
		if strings.Join(paths, " ") != "/validate /vm/v4/integration/assets /idr/v2/investigations" || len(f.Sightings("X-Api-Key: "+f.ClientSecret)) != 3 {
			t.Fatalf("got requests %v, want /validate and a probe per action, each with the key", paths)
		}
		if len(eu.Requests()) != 0 {
			t.Fatal("the test reached another region")
		}
		mustNotLeak(t, r, f.ClientSecret)
	})
	t.Run("WrongKey", func(t *testing.T) {
		c, f, _ := MustRapid7(t, 5*time.Second)
		wrong := "01234567-89ab-cdef-0123-456789abcdef"
		r := c.Test(ctx, rapid7Input("us2", wrong))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "refused the API key in the us2 region", wrong); s.HTTPStatus != 401 {
			t.Fatalf("got status %d, want 401", s.HTTPStatus)
		}
		if len(f.Requests()) != 1 {
			t.Fatalf("got %d requests, want the one /validate", len(f.Requests()))
		}
	})
	t.Run("DeletedKey", func(t *testing.T) {
		c, f, _ := MustRapid7(t, 5*time.Second)
		f.SetSecretRevoked(true)
		r := c.Test(ctx, rapid7Input("us2", f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "Check the key", f.ClientSecret)
	})
	t.Run("WrongRegion", func(t *testing.T) {
		c, f, eu := MustRapid7(t, 5*time.Second)
		r := c.Test(ctx, rapid7Input("eu", f.ClientSecret))
		mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "in the eu region", f.ClientSecret)
		if len(eu.Requests()) != 1 || len(f.Requests()) != 0 {
			t.Fatalf("got %d requests in eu and %d in us2, want the one in the region picked", len(eu.Requests()), len(f.Requests()))
		}
	})
	t.Run("RegionNotOffered", func(t *testing.T) {
		c, f, _ := MustRapid7(t, 5*time.Second)
		r := c.Test(ctx, rapid7Input("us3", f.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing", f.ClientSecret)
		if r.FieldErrors["region"] == "" {
			t.Fatalf("got field errors %v, want the region refused: this deployment lists us2 and eu only", r.FieldErrors)
		}
	})
	t.Run("NotAKey", func(t *testing.T) {
		c, f, _ := MustRapid7(t, 5*time.Second)
		r := c.Test(ctx, rapid7Input("us2", "X-Api-Key: "+f.ClientSecret))
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing", f.ClientSecret)
		if !strings.Contains(r.FieldErrors["api_key"], "looks like") || len(f.Requests()) != 0 {
			t.Fatalf("got field errors %v after %d requests, want the key's message and none", r.FieldErrors, len(f.Requests()))
		}
	})
	t.Run("MissingProduct", func(t *testing.T) {
		c, f, _ := MustRapid7(t, 5*time.Second)
		f.Products["vm"] = false
		r := c.Test(ctx, rapid7Input("us2", f.ClientSecret, "search_assets", "search_vulnerabilities", "list_investigations"))
		s := mustFail(t, r, linkhub.StagePermissions, linkhub.ReasonPermissionMissing, "read-only role", f.ClientSecret)
		if s.HTTPStatus != 403 || !strings.Contains(s.Hint, "Search InsightVM vulnerabilities (needs InsightVM access)") || strings.Contains(s.Hint, "investigations") {
			t.Fatalf("got %d %q, want 403 naming the two InsightVM actions only", s.HTTPStatus, s.Hint)
		}
	})
	t.Run("RateLimited", func(t *testing.T) {
		c, f, _ := MustRapid7(t, 5*time.Second)
		f.RateLimited = true
		r := c.Test(ctx, rapid7Input("us2", f.ClientSecret))
		if s := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonVendorUnavailable, "Try again in a minute", f.ClientSecret); s.HTTPStatus != 429 {
			t.Fatalf("got status %d, want 429", s.HTTPStatus)
		}
	})
}

// TestRapid7_TokenAndAction checks that the token API hands out the
// X-Api-Key header for the region, and that the proxy's way of sending it
// reaches an action.
func TestRapid7_TokenAndAction(t *testing.T) {
	c, f, _ := MustRapid7(t, 5*time.Second)
	tok, err := c.Token(context.Background(), rapid7Input("us2", f.ClientSecret).Credentials, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BaseURL != f.URL || tok.Headers["X-Api-Key"] != f.ClientSecret {
		t.Fatalf("got base %s and %d headers, want the us2 region and the X-Api-Key header", tok.BaseURL, len(tok.Headers))
	}
	cfg := fake.Config(5*time.Second, f.Server.Server)
	if got := call(t, cfg, tok, "/idr/v2/investigations?size=1"); got != 200 {
		t.Fatalf("action list_investigations: got %d, want 200", got)
	}
	// The InsightVM search is a POST: the action's params go in its body.
	i := slices.IndexFunc(c.Spec().Actions, func(a linkhub.Action) bool { return a.ID == "search_assets" })
	ar, err := proxy.ActionRequest(c.Spec().Actions[i], map[string]any{"asset": "os.family = 'Windows'"})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(context.Background(), ar.Method, tok.BaseURL+ar.Path, bytes.NewReader(ar.Body))
	req.Header = ar.Header
	req.Header.Set("X-Api-Key", tok.Headers["X-Api-Key"])
	resp, err := kit.NewClient(cfg).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || ar.Method != http.MethodPost {
		t.Fatalf("action search_assets: got %s %d, want POST 200", ar.Method, resp.StatusCode)
	}
}
