package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// TestConnectSessionAPI_Shape: the endpoint hands the decoded request and
// the API key as actor to the linking service, and answers its session as
// 201 with the hub URL, or its rule error as a 400 naming the field. The
// rules themselves are the service's (internal/linking). No database.
func TestConnectSessionAPI_Shape(t *testing.T) {
	t.Parallel()
	deps, m := mockDeps(&syncBuffer{})
	m.apiKeys.AuthenticateAPIKeyFn = func(_ context.Context, key string) (*linkhub.APIKey, error) {
		if key != "lh_test" {
			return nil, linkhub.Errorf(linkhub.EUNAUTHORIZED, "Unknown API key.")
		}
		return &linkhub.APIKey{ID: "k1", Name: "host"}, nil
	}
	m.apiKeys.RecordAPIKeyUseFn = func(string, time.Time) {}
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	var gotActor linkhub.Actor
	var gotReq linking.SessionRequest
	m.linking.CreateSessionFn = func(_ context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
		gotActor, gotReq = actor, req
		if req.OriginOwnerID == "" {
			return nil, "", linkhub.FieldError("origin_owner_id", "origin_owner_id is required.")
		}
		return &linkhub.ConnectSession{ExpiresAt: expires}, "tok en", nil
	}
	srv := mustServer(t, web.Config{BaseURL: "https://linkhub.example"}, deps)
	post := func(body string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/connect_sessions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer lh_test")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp, out
	}

	resp, out := post(`{"origin_owner_id":"o","origin_owner_name":"O","max_links":2,"metadata":{"plan":"gold"}}`)
	if resp.StatusCode != http.StatusCreated || out["url"] != "https://linkhub.example/connect?token=tok+en" ||
		out["expires_at"] != "2030-01-02T03:04:05Z" {
		t.Errorf("got %d %v", resp.StatusCode, out)
	}
	if gotActor.Kind != "api_key" || gotActor.ID != "k1" || gotReq.OriginOwnerName != "O" || *gotReq.MaxLinks != 2 ||
		string(gotReq.Metadata) != `{"plan":"gold"}` {
		t.Errorf("the service got %+v from %+v", gotReq, gotActor)
	}

	resp, out = post(`{"origin_owner_name":"O"}`)
	if e, _ := out["error"].(map[string]any); resp.StatusCode != http.StatusBadRequest || e["field"] != "origin_owner_id" {
		t.Errorf("rule error: got %d %v, want 400 naming origin_owner_id", resp.StatusCode, out)
	}
	resp, _ = post(`{"origin_owner_id":"o","surprise":1}`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown field: got %d, want 400", resp.StatusCode)
	}
}
