package web_test

import (
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/static"
	"github.com/linkhub/linkhub/web"
)

// getGzip fetches path asking for gzip, as browsers do; setting the header
// keeps Go's transport from unpacking the answer itself.
func getGzip(t *testing.T, env *mockEnv, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, env.URL+path, body)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, err := env.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestStatic_Gzip: a static asset comes gzipped when the browser asks, with
// Vary: Accept-Encoding and its year-long caching, and unpacks to the file;
// a client that does not ask gets it as it is.
func TestStatic_Gzip(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{}) // static files need no service
	for _, name := range []string{"css/app.css", "js/hub.js", "js/linkhub.js"} {
		want, err := fs.ReadFile(static.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		resp := getGzip(t, env, http.MethodGet, static.Path(name), nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%s: got %d, Content-Encoding %q, want 200 gzip", name, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
		if vary := resp.Header.Values("Vary"); !strings.Contains(strings.Join(vary, ","), "Accept-Encoding") {
			t.Errorf("%s: got Vary %q, want Accept-Encoding (caches must key on it)", name, vary)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: got Cache-Control %q, want the year-long immutable caching", name, cc)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: unpacked %d bytes (%v), want the %d bytes of the file", name, len(got), err, len(want))
		}

		req, _ := http.NewRequest(http.MethodGet, env.URL+static.Path(name), nil)
		req.Header.Set("Accept-Encoding", "identity")
		plain, err := env.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ = io.ReadAll(plain.Body)
		plain.Body.Close()
		if plain.Header.Get("Content-Encoding") != "" || string(got) != string(want) {
			t.Errorf("%s without gzip: got Content-Encoding %q and %d bytes, want the file as it is", name, plain.Header.Get("Content-Encoding"), len(got))
		}
	}
}

// TestHub_HTMLNotCompressed: hub pages carry the hub handle (a bearer
// secret) next to input they echo back, so they are never compressed, even
// when the browser asks (BREACH): the form and its re-render after a failed
// test.
func TestHub_HTMLNotCompressed(t *testing.T) {
	t.Parallel()
	env := newMockEnv(t, web.Config{})
	env.withHubSession(nil)
	jamf, _ := connector.NewRegistry(connector.Config{}).Get("jamf")
	target := &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true}, Connector: jamf}
	env.linking.TargetFn = func(context.Context, *linkhub.ConnectSession, string) (*linking.Target, error) { return target, nil }
	env.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Failed, Target: target, Report: linkhub.Report{Stages: []linkhub.Stage{{
			Name: linkhub.StageToken, Status: linkhub.StatusFailed, Reason: linkhub.ReasonBadCredentials}}}}, nil
	}
	form := url.Values{"url": {"https://acme.jamfcloud.com"}, "client_id": {"cid"}, "client_secret": {"wrong-secret-value"},
		"submission": {"sub-1"}}
	for _, r := range []struct {
		method, path string
		form         url.Values
	}{{http.MethodGet, "/hub/h1/profiles/p1", nil}, {http.MethodPost, "/hub/h1/profiles/p1/connect", form}} {
		resp := getGzip(t, env, r.method, r.path, r.form)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "<html") ||
			!strings.Contains(string(b), `data-testid="hub-form"`) {
			t.Fatalf("%s hub form: got %d, want the form page", r.method, resp.StatusCode)
		}
		if ce := resp.Header.Get("Content-Encoding"); ce != "" {
			t.Errorf("%s hub form: got Content-Encoding %q, want none (BREACH)", r.method, ce)
		}
	}
}
