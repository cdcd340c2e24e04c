package web_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// requestLine returns the request log line of path, or "".
func requestLine(logs, path string) string {
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "msg=request ") && strings.Contains(l, " path="+path+" ") {
			return l
		}
	}
	return ""
}

// TestRequestLog_StatusSent: the request log shows the status the client got,
// for answers rendered by the error handler too: a 404 and a 400 at INFO, and
// a 5xx (the database gone) at ERROR.
func TestRequestLog_StatusSent(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	deps, m := mockDeps(logs)
	m.apiKeys.AuthenticateAPIKeyFn = func(context.Context, string) (*linkhub.APIKey, error) {
		return &linkhub.APIKey{ID: "k1", Name: "host"}, nil
	}
	m.apiKeys.RecordAPIKeyUseFn = func(string, time.Time) {}
	m.connectSessions.OpenHubSessionFn = func(context.Context, string) (string, *linkhub.ConnectSession, error) {
		return "", nil, errors.New("connect: connection refused") // the database is gone
	}
	srv := mustServer(t, web.Config{}, deps)
	get := func(path string) int {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("/no-such-page"); got != http.StatusNotFound {
		t.Fatalf("GET /no-such-page: got %d, want 404", got)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/connect_sessions", strings.NewReader("{not json"))
	req.Header.Set("Authorization", "Bearer lh_test")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad JSON: got %d, want 400", resp.StatusCode)
	}
	status5xx := get("/connect?token=lh_cs_whatever")
	if status5xx < 500 {
		t.Fatalf("GET /connect without a database: got %d, want 5xx", status5xx)
	}
	out := logs.String()
	for _, tt := range []struct{ path, status, level string }{
		{"/no-such-page", "404", "INFO"},
		{"/api/v1/connect_sessions", "400", "INFO"},
		{"/connect", strconv.Itoa(status5xx), "ERROR"},
	} {
		l := requestLine(out, tt.path)
		if !strings.Contains(l, " status="+tt.status+" ") || !strings.HasPrefix(l, "time=") || !strings.Contains(l, " level="+tt.level+" ") {
			t.Errorf("request log of %s: got %q, want status=%s at level=%s", tt.path, l, tt.status, tt.level)
		}
	}
}
