package proxy_test

import (
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/proxy"
)

func TestCleanPath(t *testing.T) {
	ok := map[string]string{
		"":                          "/",
		"/":                         "/",
		"/api/v1/computers":         "/api/v1/computers",
		"/api/v1/items/":            "/api/v1/items/",
		"/api/v1/a%20b":             "/api/v1/a%20b",
		"/https:/evil.test":         "/https:/evil.test", // a path segment, joined under the base
		"/v2/devices/..hidden/file": "/v2/devices/..hidden/file",
	}
	for in, want := range ok {
		got, err := proxy.CleanPath(in)
		if err != nil || got != want {
			t.Errorf("CleanPath(%q): got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"api/v1", "//evil.test/x", "/a//b", "/../x", "/a/../../x", "/a/./b", "/a/..",
		"/%2e%2e/x", "/%2E%2e/x", "/a%2fb", "/a%2F..%2Fb", "/%252e%252e/x", "/a%5cb", `/a\b`,
		"/user@evil.test/x", "/a%40evil.test", "/a%00b", "/a%0d%0aHost:x", "/a%zz",
	} {
		if _, err := proxy.CleanPath(in); linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "path" {
			t.Errorf("CleanPath(%q): got %v, want EINVALID about path", in, err)
		}
	}
}

func TestActionRequest(t *testing.T) {
	get := linkhub.Action{ID: "get", Method: "GET", Path: "/api/v1/items/{id}/parts"}
	r, err := proxy.ActionRequest(get, map[string]any{"id": "a b?c", "page": 2.0, "tag": []any{"x", "y"}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "GET" || r.Path != "/api/v1/items/a%20b%3Fc/parts" || r.RawQuery != "page=2&tag=x&tag=y" || r.Body != nil {
		t.Errorf("GET: got %s %s ? %s body %q", r.Method, r.Path, r.RawQuery, r.Body)
	}
	post := linkhub.Action{ID: "post", Method: "post", Path: "/api/v1/items/{id}"}
	r, err = proxy.ActionRequest(post, map[string]any{"id": 7.0, "name": "n"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "POST" || r.Path != "/api/v1/items/7" || r.RawQuery != "" || string(r.Body) != `{"name":"n"}` ||
		r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("POST: got %s %s ? %s body %q", r.Method, r.Path, r.RawQuery, r.Body)
	}
	for name, params := range map[string]map[string]any{
		"ErrMissing":   {},
		"ErrDotDot":    {"id": ".."},
		"ErrObject":    {"id": map[string]any{"a": 1.0}},
		"ErrEmpty":     {"id": ""},
		"ErrSlash":     {"id": "a/b"},
		"ErrQueryType": {"id": "1", "filter": map[string]any{}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := proxy.ActionRequest(get, params)
			if linkhub.ErrorCode(err) != linkhub.EINVALID {
				t.Errorf("got %v, want EINVALID", err)
			}
		})
	}
}
