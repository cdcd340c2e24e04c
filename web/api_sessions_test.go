package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// apiSessionsEnv is the mock env whose linking service records each
// session request and answers it with a session for owner-1 expiring at
// 2030-01-02 03:04:05 UTC; the count is of the service's calls.
func apiSessionsEnv(t *testing.T) (*mockEnv, *atomic.Int32, func() (linkhub.Actor, linking.SessionRequest)) {
	t.Helper()
	e := apiMockEnv(t)
	var calls atomic.Int32
	var gotActor linkhub.Actor
	var gotReq linking.SessionRequest
	e.linking.CreateSessionFn = func(_ context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
		calls.Add(1)
		gotActor, gotReq = actor, req
		if strings.ContainsRune(req.OriginOwnerID, 0) {
			return nil, "", linkhub.FieldError("origin_owner_id", "origin_owner_id may not hold a NUL character.")
		}
		cs := mockSession()
		cs.ExpiresAt = time.Date(2030, 1, 2, 4, 4, 5, 0, time.FixedZone("CET", 3600))
		return cs, "tK8-x_Zq0aVv1Rr2Ss3Tt4Uu5Ww6Yy7Zz8Aa9Bb0Cc_", nil
	}
	return e, &calls, func() (linkhub.Actor, linking.SessionRequest) { return gotActor, gotReq }
}

// TestConnectSessionAPI_Create: POST /api/v1/connect_sessions decodes every
// field of the JSON body into the linking service's request, as the API
// key, and answers 201 with the service's token, the hub URL holding it and
// the expiry in UTC. A body that is not one JSON object of known fields of
// the right types, or not JSON, is refused before the service is asked:
// 400 naming the field, 415 for another content type. The session rules are
// the service's (internal/linking TestService_CreateSession,
// TestService_CreateSession_HostRules).
func TestConnectSessionAPI_Create(t *testing.T) {
	t.Parallel()
	t.Run("OK", func(t *testing.T) {
		t.Parallel()
		e, _, got := apiSessionsEnv(t)
		status, out := e.api(http.MethodPost, "/api/v1/connect_sessions", `{"origin_owner_id":" owner-1 ",
			"origin_owner_name":"Owner One","origin_username":"jane","profile_ids":["`+apiProfileID+`"],"connector":"jamf",
			"account_id":"`+apiAccountID+`","expires_in":600,"max_links":2,"embed_origin":"https://app.example.test",
			"return_url":"https://app.example.test/integrations?done=1","metadata":{"plan":"pro"},"label":"Main Jamf","locale":"de"}`)
		const tok = "tK8-x_Zq0aVv1Rr2Ss3Tt4Uu5Ww6Yy7Zz8Aa9Bb0Cc_"
		if status != http.StatusCreated || out["token"] != tok || out["url"] != "http://linkhub.test/connect?token="+tok ||
			out["expires_at"] != "2030-01-02T03:04:05Z" {
			t.Errorf("got %d %v, want 201 with the token, its hub URL and the expiry in UTC", status, out)
		}
		actor, req := got()
		expires, links := 600, 2
		want := linking.SessionRequest{OriginOwnerID: " owner-1 ", OriginOwnerName: "Owner One", OriginUsername: "jane",
			ProfileIDs: []string{apiProfileID}, Connector: "jamf", AccountID: apiAccountID, ExpiresIn: &expires, MaxLinks: &links,
			EmbedOrigin: "https://app.example.test", ReturnURL: "https://app.example.test/integrations?done=1",
			Metadata: json.RawMessage(`{"plan":"pro"}`), Label: "Main Jamf", Locale: "de"}
		if actor != apiKeyActor || !reflect.DeepEqual(req, want) {
			t.Errorf("the service got %+v as %+v, want %+v as the API key", req, actor, want)
		}
	})
	t.Run("ErrRuleOfTheService", func(t *testing.T) {
		t.Parallel()
		e, _, got := apiSessionsEnv(t)
		// JSON's \u0000 reaches the service as sent, which refuses it.
		status, out := e.api(http.MethodPost, "/api/v1/connect_sessions", `{"origin_owner_id":"a\u0000b","origin_owner_name":"O"}`)
		er := apiError(out)
		if _, req := got(); status != http.StatusBadRequest || er["code"] != linkhub.EINVALID || er["field"] != "origin_owner_id" ||
			er["message"] != "origin_owner_id may not hold a NUL character." || req.OriginOwnerID != "a\x00b" {
			t.Errorf("got %d %v from owner %q, want the service's 400 naming origin_owner_id", status, out, req.OriginOwnerID)
		}
	})
	t.Run("ErrDecode", func(t *testing.T) {
		t.Parallel()
		e, calls, _ := apiSessionsEnv(t)
		for body, field := range map[string]string{
			`{"origin_owner_id":"o","origin_owner_name":"O","expires_in":"600"}`: "expires_in",
			`{"origin_owner_id":"o","origin_owner_name":"O","max_links":"2"}`:    "max_links",
			`{"origin_owner_id":"o","origin_owner_name":"O","profile_ids":"p"}`:  "profile_ids",
			`{"origin_owner_id":"o","origin_owner_name":"O","colour":"blue"}`:    "colour",
			`{"origin_owner_id":"o","origin_owner_name":"O","max_links":1.5}`:    "max_links",
		} {
			apiWantError(t, e, http.MethodPost, "/api/v1/connect_sessions", body, http.StatusBadRequest, linkhub.EINVALID, field)
		}
		for _, body := range []string{`{"origin_owner_id":`, `[1]`, `{"origin_owner_id":"a"} {}`, `null`} {
			apiWantError(t, e, http.MethodPost, "/api/v1/connect_sessions", body, http.StatusBadRequest, linkhub.EINVALID, "")
		}
		// No body at all is no JSON object either.
		if resp, body := apiSend(e, http.MethodPost, "/api/v1/connect_sessions", "", "Content-Type", "application/json"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("empty body: got %d %s, want 400", resp.StatusCode, body)
		}
		resp, body := apiSend(e, http.MethodPost, "/api/v1/connect_sessions", `{}`, "Content-Type", "text/plain")
		if resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(string(body), `"code":"unsupported_media_type"`) {
			t.Errorf("text/plain: got %d %s, want a JSON 415", resp.StatusCode, body)
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("the service was asked %d times, want 0", n)
		}
	})
}

// TestConnectSessionAPI_RequiresAPIKey: without a valid API key the answer
// is a JSON 401 with a Bearer challenge, and the linking service is not
// asked; with one, the key's use is noted. That the session records the
// key that created it is the service's (internal/linking
// TestService_CreateSession_HostRules).
func TestConnectSessionAPI_RequiresAPIKey(t *testing.T) {
	t.Parallel()
	e, calls, _ := apiSessionsEnv(t)
	var used []string
	e.apiKeys.RecordAPIKeyUseFn = func(id string, _ time.Time) { used = append(used, id) }
	for name, auth := range map[string]string{"None": "", "Wrong": "Bearer lh_nope_nope", "NotBearer": "Basic " + mockAPIKey,
		"Empty": "Bearer  "} {
		resp, body := apiSend(e, http.MethodPost, "/api/v1/connect_sessions", `{"origin_owner_id":"o","origin_owner_name":"O"}`,
			"Authorization", auth)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), `"code":"unauthorized"`) ||
			resp.Header.Get("WWW-Authenticate") != `Bearer realm="linkhub"` {
			t.Errorf("%s: got %d %s, want a JSON 401 with a Bearer challenge", name, resp.StatusCode, body)
		}
	}
	if n := calls.Load(); n != 0 || len(used) != 0 {
		t.Errorf("without a valid key: the service was asked %d times, key uses %v, want none", n, used)
	}
	if status, _ := e.api(http.MethodPost, "/api/v1/connect_sessions", `{"origin_owner_id":"o","origin_owner_name":"O"}`); status != http.StatusCreated ||
		calls.Load() != 1 || len(used) != 1 || used[0] != "key-1" {
		t.Errorf("with the key: got %d, %d calls, uses %v, want 201 and the use of key-1 noted", status, calls.Load(), used)
	}
}
