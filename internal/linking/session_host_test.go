package linking_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestService_CreateSession_HostRules: the connect-session rules as a host
// meets them through POST /api/v1/connect_sessions, each refused as
// EINVALID naming its field; a session the rules allow is stored with its
// one-time token, the given lifetime (or the settings'), and as created by
// the API key, whose audit entry names it. (Moved from the web tests, which
// now check only the JSON decoding and the answer.)
func TestService_CreateSession_HostRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := mustEnv(t)
	const origin = "https://app.example.test"
	st := linkhub.DefaultSettings()
	st.EmbedOrigins = []string{origin}
	if _, err := e.settings.UpdateSettings(ctx, linkhub.SystemActor, st); err != nil {
		t.Fatal(err)
	}
	p := e.mustProfile(t, "Jamf")
	off := e.mustProfile(t, "Jamf off")
	disabled := false
	if _, err := e.profiles.UpdateProfile(ctx, linkhub.SystemActor, off.ID, linkhub.ProfileUpdate{Enabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	other := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "owner-2", OriginOwnerName: "Owner Two"}
	if err := e.accounts.CreateAccount(ctx, other, nil); err != nil {
		t.Fatal(err)
	}
	key, _, err := postgres.NewAPIKeyService(e.db).CreateAPIKey(ctx, linkhub.SystemActor, "host")
	if err != nil {
		t.Fatal(err)
	}
	actor := linkhub.Actor{Kind: "api_key", ID: key.ID, Label: key.Name, IP: "192.0.2.9"}

	t.Run("OK", func(t *testing.T) {
		expires := 600
		cs, tok, err := e.svc.CreateSession(ctx, actor, linking.SessionRequest{OriginOwnerID: " owner-1 ", OriginOwnerName: "Owner One",
			ProfileIDs: []string{p.ID}, ExpiresIn: &expires, EmbedOrigin: origin, ReturnURL: origin + "/integrations?done=1",
			Metadata: json.RawMessage(`{"plan":"pro"}`), Label: "Main Jamf"})
		if err != nil {
			t.Fatal(err)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(tok); len(tok) != 43 || err != nil || len(raw) != 32 {
			t.Errorf("got token %q, want 43 base64url characters", tok)
		}
		if d := time.Until(cs.ExpiresAt); d < 590*time.Second || d > 610*time.Second {
			t.Errorf("expires in %v, want about 600 s", d)
		}
		stored, err := e.sessions.FindConnectSessionByToken(ctx, tok)
		if err != nil || stored.CreatedByKey != key.ID || stored.OriginOwnerID != "owner-1" || stored.Label != "Main Jamf" ||
			stored.ReturnURL != origin+"/integrations?done=1" {
			t.Errorf("stored %+v (%v), want it created by the key %s", stored, err, key.ID)
		}
		action := linkhub.ActionConnectSessionCreated
		list, _, err := e.audit.FindAuditEntries(ctx, linkhub.AuditFilter{Action: &action, Limit: 10})
		if err != nil || len(list) != 1 || list[0].Actor.Kind != "api_key" || list[0].Actor.ID != key.ID || list[0].TargetID != cs.ID {
			t.Errorf("got audit entries %+v (%v), want one by the API key for the session", list, err)
		}
	})

	long := strings.Repeat("x", linkhub.MaxOwnerFieldLen+1)
	n := func(i int) *int { return &i }
	base := func(change func(*linking.SessionRequest)) linking.SessionRequest {
		r := linking.SessionRequest{OriginOwnerID: "owner-1", OriginOwnerName: "Owner One"}
		change(&r)
		return r
	}
	for name, tt := range map[string]struct {
		req   linking.SessionRequest
		field string
	}{
		"ErrOwnerIDRequired":      {base(func(r *linking.SessionRequest) { r.OriginOwnerID = "  " }), "origin_owner_id"},
		"ErrOwnerIDMissing":       {base(func(r *linking.SessionRequest) { r.OriginOwnerID = "" }), "origin_owner_id"},
		"ErrOwnerNameRequired":    {base(func(r *linking.SessionRequest) { r.OriginOwnerName = "" }), "origin_owner_name"},
		"ErrOwnerNameTooLong":     {base(func(r *linking.SessionRequest) { r.OriginOwnerName = long }), "origin_owner_name"},
		"ErrUsernameTooLong":      {base(func(r *linking.SessionRequest) { r.OriginUsername = long }), "origin_username"},
		"ErrLabelTooLong":         {base(func(r *linking.SessionRequest) { r.Label = long }), "label"},
		"ErrProfileUnknown":       {base(func(r *linking.SessionRequest) { r.ProfileIDs = []string{"8f9c1d1e-0000-4000-8000-000000000000"} }), "profile_ids"},
		"ErrProfileNotUUID":       {base(func(r *linking.SessionRequest) { r.ProfileIDs = []string{"nope"} }), "profile_ids"},
		"ErrProfileDisabled":      {base(func(r *linking.SessionRequest) { r.ProfileIDs = []string{off.ID} }), "profile_ids"},
		"ErrConnectorUnknown":     {base(func(r *linking.SessionRequest) { r.Connector = "acme" }), "connector"},
		"ErrAccountUnknown":       {base(func(r *linking.SessionRequest) { r.AccountID = "8f9c1d1e-0000-4000-8000-000000000000" }), "account_id"},
		"ErrAccountOtherOwner":    {base(func(r *linking.SessionRequest) { r.AccountID = other.ID }), "account_id"},
		"ErrExpiresTooShort":      {base(func(r *linking.SessionRequest) { r.ExpiresIn = n(59) }), "expires_in"},
		"ErrExpiresTooLong":       {base(func(r *linking.SessionRequest) { r.ExpiresIn = n(2592001) }), "expires_in"},
		"ErrMaxLinksZero":         {base(func(r *linking.SessionRequest) { r.MaxLinks = n(0) }), "max_links"},
		"ErrMaxLinksTooMany":      {base(func(r *linking.SessionRequest) { r.MaxLinks = n(101) }), "max_links"},
		"ErrMaxLinksRelink":       {linking.SessionRequest{OriginOwnerID: "owner-2", OriginOwnerName: "O", AccountID: other.ID, MaxLinks: n(2)}, "max_links"},
		"ErrEmbedOriginNotListed": {base(func(r *linking.SessionRequest) { r.EmbedOrigin = "https://evil.example" }), "embed_origin"},
		"ErrReturnURLOtherOrigin": {base(func(r *linking.SessionRequest) { r.ReturnURL = "https://evil.example/x" }), "return_url"},
		"ErrMetadataNotObject":    {base(func(r *linking.SessionRequest) { r.Metadata = json.RawMessage(`[1]`) }), "metadata"},
		"ErrMetadataTooLarge": {base(func(r *linking.SessionRequest) {
			r.Metadata = json.RawMessage(`{"a":"` + strings.Repeat("y", 5000) + `"}`)
		}), "metadata"},
		// JSON's \u0000, which PostgreSQL refuses in text and jsonb.
		"ErrOwnerIDNUL":       {base(func(r *linking.SessionRequest) { r.OriginOwnerID = "a\x00b" }), "origin_owner_id"},
		"ErrOwnerNameNUL":     {base(func(r *linking.SessionRequest) { r.OriginOwnerName = "\x00" }), "origin_owner_name"},
		"ErrLabelNUL":         {base(func(r *linking.SessionRequest) { r.Label = "l\x00" }), "label"},
		"ErrMetadataNULValue": {base(func(r *linking.SessionRequest) { r.Metadata = json.RawMessage(`{"k":[1,{"n":"\u0000"}]}`) }), "metadata"},
		"ErrMetadataNULKey":   {base(func(r *linking.SessionRequest) { r.Metadata = json.RawMessage(`{"k\u0000":"v"}`) }), "metadata"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := e.svc.CreateSession(ctx, actor, tt.req)
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != tt.field || linkhub.ErrorMessage(err) == "" {
				t.Errorf("got %v, want EINVALID naming %s", err, tt.field)
			}
		})
	}

	t.Run("DefaultLifetime", func(t *testing.T) {
		st.SessionLifetime = 10 * time.Minute
		if _, err := e.settings.UpdateSettings(ctx, linkhub.SystemActor, st); err != nil {
			t.Fatal(err)
		}
		cs, _, err := e.svc.CreateSession(ctx, actor, linking.SessionRequest{OriginOwnerID: "o", OriginOwnerName: "O"})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Until(cs.ExpiresAt); d < 590*time.Second || d > 610*time.Second {
			t.Errorf("got expiry in %v, want the settings' 10 minutes", d)
		}
	})
}
