package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestEngine_PagedChoices runs testdata/pages.yaml: a list read page by page
// up to the answer's total, its items offered as choices with a fixed one
// after, the permission probe routed as if the first choice were picked,
// and a site host the vendor named but the definition does not allow
// refused before anything is stored or called.
func TestEngine_PagedChoices(t *testing.T) {
	var pages, probes atomic.Int32
	var foreign atomic.Bool
	var url string
	s := tlsServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sites":
			n := pages.Add(1)
			host := url
			if foreign.Load() {
				host = "https://evil.example"
			}
			fmt.Fprintf(w, `{"pages":2,"sites":[{"id":"s%d","name":"Site %d","host":%q}]}`, n, n, host)
		case "/devices":
			probes.Add(1)
			if r.Header.Get("X-Site") != "s1" || r.URL.RawQuery != "size=1" {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			_, _ = w.Write([]byte(`[]`))
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	})
	url = s.URL
	cfg := fake.Config(5*time.Second, s)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"pageco": {"api": s.URL}}}
	c := engine.Connect(mustParse(t, "testdata/pages.yaml"), cfg)
	in := linkhub.TestInput{Credentials: creds(nil, map[string]string{"api_key": "key-1"}), Actions: []string{"list_devices"}}

	r := c.Test(context.Background(), in)
	if !r.OK() {
		t.Fatalf("got failed report %+v", r.Stages)
	}
	if got := pages.Load(); got != 2 {
		t.Fatalf("got %d page requests, want 2 (the answer's total)", got)
	}
	var ids []string
	for _, ch := range r.Choices {
		ids = append(ids, ch.ID+"="+ch.Name+"/"+ch.Metadata["site_host"])
	}
	if got, want := strings.Join(ids, ","), "s1=Site 1/"+s.URL+",s2=Site 2/"+s.URL+",all=All 2 sites/"; got != want {
		t.Fatalf("got choices %s, want %s", got, want)
	}
	if got := stage(r, linkhub.StageVerify).Hint; got != "2 sites." {
		t.Fatalf("got verify hint %q, want the count", got)
	}
	if got := stage(r, linkhub.StagePermissions).Status; got != linkhub.StatusPassed || probes.Load() != 1 {
		t.Fatalf("got permissions %s after %d probes, want passed after one in the first site", got, probes.Load())
	}
	router := c.(linkhub.Router)
	if rt, err := router.Route(r.Choices[1].Metadata, "list_devices", "/devices"); err != nil || rt.BaseURL != s.URL || rt.Headers["X-Site"] != "s2" {
		t.Fatalf("got %+v, %v, want the second site's host and header", rt, err)
	}
	if _, err := router.Route(map[string]string{"site_host": "https://evil.example", "site_id": "s1"}, "", "/devices"); linkhub.ErrorCode(err) != linkhub.EINVALID {
		t.Fatalf("got %v, want EINVALID for a host the definition does not allow", err)
	}

	foreign.Store(true)
	probes.Store(0)
	r = c.Test(context.Background(), in)
	s2 := mustFail(t, r, linkhub.StageVerify, linkhub.ReasonUnexpectedResponse, "A site without a host.")
	if len(r.Choices) != 0 || probes.Load() != 0 || s2.HTTPStatus != 200 {
		t.Fatalf("got %d choices, %d probes, status %d; want none, none, 200", len(r.Choices), probes.Load(), s2.HTTPStatus)
	}
}
