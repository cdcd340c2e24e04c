package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

func TestConnectSessionAPI_Create(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	jamfProfile := env.MustProfile(t, "jamf", "Jamf")
	off := env.MustProfile(t, "sophos", "Sophos off")
	disabled := false
	if _, err := env.profiles.UpdateProfile(context.Background(), linkhub.SystemActor, off.ID, linkhub.ProfileUpdate{Enabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	other := &linkhub.Account{ProfileID: jamfProfile.ID, OriginOwnerID: "owner-2", OriginOwnerName: "Owner Two"}
	if err := env.accounts.CreateAccount(context.Background(), other, nil); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		status, out := env.createSession(t, map[string]any{
			"origin_owner_id": " owner-1 ", "origin_owner_name": "Owner One", "profile_ids": []string{jamfProfile.ID},
			"expires_in": 600, "embed_origin": embedOrigin, "return_url": embedOrigin + "/integrations?done=1",
			"metadata": map[string]any{"plan": "pro"}, "label": "Main Jamf",
		})
		if status != http.StatusCreated {
			t.Fatalf("got %d %v, want 201", status, out)
		}
		tok, _ := out["token"].(string)
		if len(tok) != 43 || out["url"] != "http://linkhub.test/connect?token="+tok {
			t.Errorf("got token %q url %v, want 43 base64url characters in the URL", tok, out["url"])
		}
		exp, err := time.Parse(time.RFC3339Nano, out["expires_at"].(string))
		if err != nil || exp.Before(time.Now().Add(590*time.Second)) || exp.After(time.Now().Add(610*time.Second)) {
			t.Errorf("got expires_at %v, want about 600 s from now", out["expires_at"])
		}
	})

	long := strings.Repeat("x", 201)
	base := func(kv ...any) map[string]any {
		m := map[string]any{"origin_owner_id": "owner-1", "origin_owner_name": "Owner One"}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(m, kv[i].(string))
			} else {
				m[kv[i].(string)] = kv[i+1]
			}
		}
		return m
	}
	for name, tt := range map[string]struct {
		body  map[string]any
		field string
	}{
		"ErrOwnerIDRequired":      {base("origin_owner_id", "  "), "origin_owner_id"},
		"ErrOwnerIDMissing":       {base("origin_owner_id", nil), "origin_owner_id"},
		"ErrOwnerNameRequired":    {base("origin_owner_name", nil), "origin_owner_name"},
		"ErrOwnerNameTooLong":     {base("origin_owner_name", long), "origin_owner_name"},
		"ErrUsernameTooLong":      {base("origin_username", long), "origin_username"},
		"ErrLabelTooLong":         {base("label", long), "label"},
		"ErrProfileUnknown":       {base("profile_ids", []string{"8f9c1d1e-0000-4000-8000-000000000000"}), "profile_ids"},
		"ErrProfileNotUUID":       {base("profile_ids", []string{"nope"}), "profile_ids"},
		"ErrProfileDisabled":      {base("profile_ids", []string{off.ID}), "profile_ids"},
		"ErrConnectorUnknown":     {base("connector", "acme"), "connector"},
		"ErrAccountUnknown":       {base("account_id", "8f9c1d1e-0000-4000-8000-000000000000"), "account_id"},
		"ErrAccountOtherOwner":    {base("account_id", other.ID), "account_id"},
		"ErrExpiresTooShort":      {base("expires_in", 59), "expires_in"},
		"ErrExpiresTooLong":       {base("expires_in", 2592001), "expires_in"},
		"ErrExpiresNotNumber":     {base("expires_in", "600"), "expires_in"},
		"ErrMaxLinksZero":         {base("max_links", 0), "max_links"},
		"ErrMaxLinksTooMany":      {base("max_links", 101), "max_links"},
		"ErrMaxLinksNotNumber":    {base("max_links", "2"), "max_links"},
		"ErrMaxLinksRelink":       {map[string]any{"origin_owner_id": "owner-2", "origin_owner_name": "O", "account_id": other.ID, "max_links": 2}, "max_links"},
		"ErrEmbedOriginNotListed": {base("embed_origin", "https://evil.example"), "embed_origin"},
		"ErrReturnURLOtherOrigin": {base("return_url", "https://evil.example/x"), "return_url"},
		"ErrMetadataNotObject":    {base("metadata", []int{1}), "metadata"},
		"ErrMetadataTooLarge":     {base("metadata", map[string]string{"a": strings.Repeat("y", 5000)}), "metadata"},
		"ErrUnknownField":         {base("colour", "blue"), "colour"},
		// JSON's \u0000, which PostgreSQL refuses in text and jsonb.
		"ErrOwnerIDNUL":       {base("origin_owner_id", "a\x00b"), "origin_owner_id"},
		"ErrOwnerNameNUL":     {base("origin_owner_name", "\x00"), "origin_owner_name"},
		"ErrLabelNUL":         {base("label", "l\x00"), "label"},
		"ErrMetadataNULValue": {base("metadata", map[string]any{"k": []any{1, map[string]string{"n": "\x00"}}}), "metadata"},
		"ErrMetadataNULKey":   {base("metadata", map[string]string{"k\x00": "v"}), "metadata"},
	} {
		t.Run(name, func(t *testing.T) {
			status, out := env.createSession(t, tt.body)
			e, _ := out["error"].(map[string]any)
			if status < 400 || status >= 500 || e == nil || e["field"] != tt.field || e["message"] == "" {
				t.Errorf("got %d %v, want 4xx naming field %s", status, out, tt.field)
			}
		})
	}

	t.Run("ErrWrongContentType", func(t *testing.T) {
		resp, err := env.api(t, "text/plain", `{}`)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("got %d, want 415", resp.StatusCode)
		}
	})
	t.Run("ErrBadJSON", func(t *testing.T) {
		for _, body := range []string{`{"origin_owner_id":`, `[1]`, `{"origin_owner_id":"a"} {}`, ``} {
			resp, err := env.api(t, "application/json", body)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("body %q: got %d, want 400", body, resp.StatusCode)
			}
		}
	})
}

func TestConnectSessionAPI_DefaultLifetime(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	st := linkhub.DefaultSettings()
	st.SessionLifetime = 10 * time.Minute
	if _, err := env.settings.UpdateSettings(context.Background(), linkhub.SystemActor, st); err != nil {
		t.Fatal(err)
	}
	status, out := env.createSession(t, map[string]any{"origin_owner_id": "o", "origin_owner_name": "O"})
	exp, err := time.Parse(time.RFC3339Nano, fmt.Sprint(out["expires_at"]))
	if status != http.StatusCreated || err != nil || exp.Before(time.Now().Add(590*time.Second)) || exp.After(time.Now().Add(610*time.Second)) {
		t.Errorf("got %d expires_at %v, want the settings' 10 minutes", status, out["expires_at"])
	}
}

func TestConnectSessionAPI_RequiresAPIKey(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{})
	for name, auth := range map[string]string{"None": "", "Wrong": "Bearer lh_nope_nope"} {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/api/v1/connect_sessions",
				strings.NewReader(`{"origin_owner_id":"o","origin_owner_name":"O"}`))
			req.Header.Set("Content-Type", "application/json")
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("got %d, want 401", resp.StatusCode)
			}
		})
	}
	tok := env.MustToken(t, nil)
	var keyID string
	if err := env.db.Pool.QueryRow(context.Background(), `SELECT coalesce(created_by_key::text, '') FROM connect_sessions`).Scan(&keyID); err != nil || keyID == "" {
		t.Errorf("got created_by_key %q (%v), want the API key's id", keyID, err)
	}
	_ = tok
	var n int
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'connect_session.created' AND actor_kind = 'api_key' AND actor_id = $1`, keyID).Scan(&n)
	if n != 1 {
		t.Errorf("got %d audit entries for the session, want 1 by the API key", n)
	}
}
