package engine_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

func mustParse(t *testing.T, file string) *definition.Definition {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := definition.Parse(file, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func tlsServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	s := httptest.NewTLSServer(h)
	t.Cleanup(s.Close)
	return s
}

// TestEngine_ClientCredentialsFeatures runs testdata/acme.yaml: the client
// authenticates by Basic (the secret never in the body), the first token
// path answers 404 and the second is tried, scope and an extra parameter
// are sent, the region comes from a JSON field of the token answer, the
// path and header substitutions are escaped, and 404 means "fine, empty".
func TestEngine_ClientCredentialsFeatures(t *testing.T) {
	const id, sec, tenant = "acme-client", "s3cret:with&odd=chars", "t 1"
	var mu sync.Mutex
	var tokenPaths []string
	login := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokenPaths = append(tokenPaths, r.URL.Path)
		mu.Unlock()
		if r.URL.Path != "/oauth/token" {
			http.NotFound(w, r)
			return
		}
		u, p, ok := r.BasicAuth()
		_ = r.ParseForm()
		f := r.PostForm
		if !ok || u != id || p != "s3cret%3Awith%26odd%3Dchars" || f.Get("client_secret") != "" || f.Get("client_id") != "" ||
			f.Get("grant_type") != "client_credentials" || f.Get("scope") != "read.all" || f.Get("audience") != tenant {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "tok-1", "expires_in": 600, "home": map[string]string{"region": "eu"}})
	})
	var euHits, usHits atomic.Int64
	eu := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		euHits.Add(1)
		if r.URL.EscapedPath() != "/v1/t%201/devices" || r.URL.RawQuery != "name=t+1" || r.Header.Get("X-Tenant") != tenant ||
			r.Header.Get("Authorization") != "Bearer tok-1" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNotFound) // Acme's way of saying "no devices yet"
	})
	us := tlsServer(t, func(w http.ResponseWriter, r *http.Request) { usHits.Add(1) })
	cfg := fake.Config(5*time.Second, login, eu, us)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"acme": {"login": login.URL, "api.eu": eu.URL, "api.us": us.URL}}}
	c := engine.New(mustParse(t, "testdata/acme.yaml"), cfg)

	in := linkhub.TestInput{Credentials: creds(map[string]string{"tenant": tenant, "region": "auto", "client_id": id},
		map[string]string{"client_secret": sec})}
	r := c.Test(context.Background(), in)
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	mu.Lock()
	paths := append([]string(nil), tokenPaths...)
	mu.Unlock()
	if len(paths) != 2 || paths[0] != "/oauth/v2/token" {
		t.Fatalf("got token paths %v, want /oauth/v2/token then /oauth/token", paths)
	}
	if r.Metadata["acme_region"] != "eu" || r.Values["region"] != "eu" || euHits.Load() != 1 || usHits.Load() != 0 {
		t.Fatalf("got metadata %v values %v, eu %d us %d calls; want the discovered eu region used", r.Metadata, r.Values, euHits.Load(), usHits.Load())
	}
	if h := stage(r, linkhub.StageVerify).Hint; h != "Acme Cloud accepted the credentials; there is nothing to list yet." {
		t.Fatalf("got verify hint %q, want the empty answer explained", h)
	}
	tok, err := c.Token(context.Background(), in.Credentials, r.Metadata)
	if err != nil || tok.AccessToken.Reveal() != "tok-1" || tok.BaseURL != eu.URL {
		t.Fatalf("got token %v at %s (%v), want tok-1 at the eu host", tok.AccessToken, tok.BaseURL, err)
	}

	t.Run("HintOverride", func(t *testing.T) {
		down := tlsServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
		cfg := fake.Config(5*time.Second, down)
		cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"acme": {"login": down.URL, "api.us": down.URL}}}
		r := engine.New(mustParse(t, "testdata/acme.yaml"), cfg).Test(context.Background(), in)
		mustFail(t, r, linkhub.StageToken, linkhub.ReasonVendorUnavailable, "Acme is down; see status.acme.example.", sec)
	})
	t.Run("RegionNotHere", func(t *testing.T) {
		cfg := fake.Config(5*time.Second, login)
		cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"acme": {"login": login.URL, "api.us": us.URL}}}
		in := in
		in.Values = map[string]string{"tenant": tenant, "region": "eu", "client_id": id}
		r := engine.New(mustParse(t, "testdata/acme.yaml"), cfg).Test(context.Background(), in)
		mustFail(t, r, linkhub.StageValidate, linkhub.ReasonInvalidInput, "fields need fixing")
		if r.FieldErrors["region"] != "This region is not available here. Pick another one." {
			t.Fatalf("got field errors %v", r.FieldErrors)
		}
	})
}

// TestEngine_Basic runs testdata/basic.yaml: HTTP Basic on every call, and
// metadata computed by a CEL expression.
func TestEngine_Basic(t *testing.T) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("key-1:secret-1"))
	srv := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != want {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"name": "Co", "seats": 5})
	})
	cfg := fake.Config(5*time.Second, srv)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"basicco": {"api": srv.URL}}}
	c := engine.New(mustParse(t, "testdata/basic.yaml"), cfg)
	good := creds(map[string]string{"key_id": "key-1"}, map[string]string{"key_secret": "secret-1"})
	r := c.Test(context.Background(), linkhub.TestInput{Credentials: good})
	if !r.OK() || r.Metadata["account_name"] != "Co (5 seats)" {
		t.Fatalf("got %+v with metadata %v, want passed and the computed account name", r.Stages, r.Metadata)
	}
	tok, err := c.Token(context.Background(), good, r.Metadata)
	if err != nil || tok.Headers["Authorization"] != want || tok.BaseURL != srv.URL {
		t.Fatalf("got token headers %d at %s (%v), want the Basic header", len(tok.Headers), tok.BaseURL, err)
	}
	bad := creds(map[string]string{"key_id": "key-1"}, map[string]string{"key_secret": "wrong-1"})
	r = c.Test(context.Background(), linkhub.TestInput{Credentials: bad})
	mustFail(t, r, linkhub.StageVerify, linkhub.ReasonBadCredentials, "BasicCo", "wrong-1")
}

// TestEngine_HeaderFromFields runs testdata/apikeys.yaml: an X-ApiKeys
// header built from two fields, one of them secret.
func TestEngine_HeaderFromFields(t *testing.T) {
	const want = "accessKey=ak-1; secretKey=sk-1"
	srv := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-ApiKeys") != want || r.Header.Get("Authorization") != "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(`{"user":"svc"}`))
	})
	cfg := fake.Config(5*time.Second, srv)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"keyco": {"api": srv.URL}}}
	c := engine.New(mustParse(t, "testdata/apikeys.yaml"), cfg)
	good := creds(map[string]string{"access_key": "ak-1"}, map[string]string{"secret_key": "sk-1"})
	if r := c.Test(context.Background(), linkhub.TestInput{Credentials: good}); !r.OK() {
		t.Fatalf("got %+v, want passed", r.Stages)
	}
	tok, err := c.Token(context.Background(), good, nil)
	if err != nil || tok.Headers["X-ApiKeys"] != want || tok.AccessToken.Reveal() != want {
		t.Fatalf("got headers %v (%v), want the X-ApiKeys header", len(tok.Headers), err)
	}
	bad := creds(map[string]string{"access_key": "ak-1"}, map[string]string{"secret_key": "sk-2"})
	mustFail(t, c.Test(context.Background(), linkhub.TestInput{Credentials: bad}), linkhub.StageVerify, linkhub.ReasonBadCredentials, "KeyCo", "sk-2")
}

// TestEngine_ComposedBasic runs testdata/composed.yaml: the Basic user name
// built from two fields, a header of the definition on every call and in
// the token API's answer, and a host whose path holds a discovered API
// root, slashes kept and anything else escaped.
func TestEngine_ComposedBasic(t *testing.T) {
	wantAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("acme+key-1:secret-1"))
	var root atomic.Value
	root.Store("v4_6_release/")
	srv := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("clientId") != "int-7":
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/login/info/acme":
			_ = json.NewEncoder(w).Encode(map[string]string{"Root": root.Load().(string)})
		case r.Header.Get("Authorization") != wantAuth:
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.EscapedPath() == "/v4_6_release/apis/1.0/system/info", r.URL.EscapedPath() == "/x%3Fy/apis/1.0/system/info":
			_, _ = w.Write([]byte(`{}`))
		default:
			http.NotFound(w, r)
		}
	})
	cfg := fake.Config(5*time.Second, srv)
	c := engine.New(mustParse(t, "testdata/composed.yaml"), cfg)
	good := creds(map[string]string{"integration_id": "int-7", "site": srv.URL, "company": "acme", "key_id": "key-1"},
		map[string]string{"key_secret": "secret-1"})
	r := c.Test(context.Background(), linkhub.TestInput{Credentials: good})
	if !r.OK() || r.Metadata["root"] != "v4_6_release/" {
		t.Fatalf("got %+v with metadata %v, want passed and the root stored", r.Stages, r.Metadata)
	}
	tok, err := c.Token(context.Background(), good, r.Metadata)
	if err != nil || tok.Headers["Authorization"] != wantAuth || tok.Headers["clientId"] != "int-7" || tok.BaseURL != srv.URL+"/v4_6_release/apis/1.0" {
		t.Fatalf("got %d headers at %s (%v), want Basic and clientId at the discovered root", len(tok.Headers), tok.BaseURL, err)
	}
	root.Store("x?y/")
	if r := c.Test(context.Background(), linkhub.TestInput{Credentials: good}); !r.OK() {
		t.Fatalf("got %+v, want a root with '?' kept in the path", r.Stages)
	}
	bad := creds(map[string]string{"integration_id": "other", "site": srv.URL, "company": "acme", "key_id": "key-1"},
		map[string]string{"key_secret": "secret-1"})
	mustFail(t, c.Test(context.Background(), linkhub.TestInput{Credentials: bad}), linkhub.StageVerify, linkhub.ReasonBadCredentials, "ComposedCo", "secret-1")

	b, err := os.ReadFile("testdata/composed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	leaky := strings.Replace(string(b), `clientId: "{integration_id}"`, `clientId: "{key_secret}"`, 1)
	if _, err := definition.Parse("leaky.yaml", []byte(leaky)); err == nil || !strings.Contains(err.Error(), "secrets never go into addresses or headers") {
		t.Fatalf("got %v, want a secret in a header refused", err)
	}
}
