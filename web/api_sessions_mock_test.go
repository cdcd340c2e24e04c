package web_test

import (
	"context"
	"net/http"
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
	e := newMockEnv(t, web.Config{BaseURL: "https://linkhub.example"})
	e.withAPIKey()
	expires := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	var gotActor linkhub.Actor
	var gotReq linking.SessionRequest
	e.linking.CreateSessionFn = func(_ context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
		gotActor, gotReq = actor, req
		if req.OriginOwnerID == "" {
			return nil, "", linkhub.FieldError("origin_owner_id", "origin_owner_id is required.")
		}
		return &linkhub.ConnectSession{ExpiresAt: expires}, "tok en", nil
	}
	post := func(body string) (int, map[string]any) {
		t.Helper()
		return e.api(http.MethodPost, "/api/v1/connect_sessions", body)
	}

	status, out := post(`{"origin_owner_id":"o","origin_owner_name":"O","max_links":2,"metadata":{"plan":"gold"}}`)
	if status != http.StatusCreated || out["url"] != "https://linkhub.example/connect?token=tok+en" ||
		out["expires_at"] != "2030-01-02T03:04:05Z" {
		t.Errorf("got %d %v", status, out)
	}
	if gotActor.Kind != "api_key" || gotActor.ID != "key-1" || gotReq.OriginOwnerName != "O" || *gotReq.MaxLinks != 2 ||
		string(gotReq.Metadata) != `{"plan":"gold"}` {
		t.Errorf("the service got %+v from %+v", gotReq, gotActor)
	}

	status, out = post(`{"origin_owner_name":"O"}`)
	if er := apiError(out); status != http.StatusBadRequest || er["field"] != "origin_owner_id" {
		t.Errorf("rule error: got %d %v, want 400 naming origin_owner_id", status, out)
	}
	status, _ = post(`{"origin_owner_id":"o","surprise":1}`)
	if status != http.StatusBadRequest {
		t.Errorf("unknown field: got %d, want 400", status)
	}
}
