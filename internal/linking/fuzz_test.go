package linking_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/mock"
)

const fuzzOrigin = "https://app.example.test"

// fuzzProfile is the one enabled profile the fuzzed service knows.
const fuzzProfile = "8f9c1d1e-0000-4000-8000-00000000000a"

// FuzzCreateSession holds the connect-session rules to their promises on any
// request the API could decode: either EINVALID with a message naming the
// field at fault, or a session with its owner present and bounded, expiry in
// range, embed origin and return_url on the allowed origins, and no account
// that does not exist. The services it reads are mocks (no database, so the
// fuzzer runs fast); TestService_CreateSession checks the same rules on
// PostgreSQL. The input is the API's JSON body; one that does not decode is
// the web layer's to refuse (web's FuzzConnectSessionJSON).
func FuzzCreateSession(f *testing.F) {
	for _, s := range []string{
		`{"origin_owner_id":"o","origin_owner_name":"O"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","profile_ids":["` + fuzzProfile + `"],"expires_in":600}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","embed_origin":"` + fuzzOrigin + `","return_url":"` + fuzzOrigin + `/x"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","connector":"jamf","metadata":{"a":[1,{"b":null}]},"label":"L"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","account_id":"x","return_url":"//evil.example"}`,
		`{"origin_owner_id":" ","origin_owner_name":"O","max_links":0,"locale":"pt-br"}`,
	} {
		f.Add(s)
	}
	profiles := &mock.ProfileService{FindProfileByIDFn: func(_ context.Context, id string) (*linkhub.Profile, error) {
		if id == fuzzProfile {
			return &linkhub.Profile{ID: id, ConnectorID: "jamf", Enabled: true}, nil
		}
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
	}}
	accounts := &mock.AccountService{FindAccountByIDFn: func(context.Context, string) (*linkhub.Account, error) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
	}}
	settings := &mock.SettingsService{FindSettingsFn: func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		s.EmbedOrigins, s.SessionLifetime = []string{fuzzOrigin}, time.Hour
		return &s, nil
	}}
	sessions := &mock.ConnectSessionService{CreateConnectSessionFn: func(context.Context, linkhub.Actor, *linkhub.ConnectSession) (string, error) {
		return "token", nil
	}}
	svc := linking.New(linking.Services{Profiles: profiles, Accounts: accounts, Settings: settings,
		ConnectSessions: sessions, Connectors: connector.NewRegistry(connector.Config{})})
	f.Fuzz(func(t *testing.T, body string) {
		var doc struct {
			OriginOwnerID   string          `json:"origin_owner_id"`
			OriginOwnerName string          `json:"origin_owner_name"`
			OriginUsername  string          `json:"origin_username"`
			ProfileIDs      []string        `json:"profile_ids"`
			Connector       string          `json:"connector"`
			AccountID       string          `json:"account_id"`
			ExpiresIn       *int            `json:"expires_in"`
			MaxLinks        *int            `json:"max_links"`
			EmbedOrigin     string          `json:"embed_origin"`
			ReturnURL       string          `json:"return_url"`
			Metadata        json.RawMessage `json:"metadata"`
			Label           string          `json:"label"`
			Locale          string          `json:"locale"`
		}
		if json.Unmarshal([]byte(body), &doc) != nil {
			return
		}
		cs, tok, err := svc.CreateSession(context.Background(), linkhub.SystemActor, linking.SessionRequest{
			OriginOwnerID: doc.OriginOwnerID, OriginOwnerName: doc.OriginOwnerName, OriginUsername: doc.OriginUsername,
			ProfileIDs: doc.ProfileIDs, Connector: doc.Connector, AccountID: doc.AccountID, ExpiresIn: doc.ExpiresIn,
			MaxLinks: doc.MaxLinks, EmbedOrigin: doc.EmbedOrigin, ReturnURL: doc.ReturnURL, Metadata: doc.Metadata,
			Label: doc.Label, Locale: doc.Locale})
		if err != nil {
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorMessage(err) == "" || linkhub.ErrorField(err) == "" {
				t.Fatalf("%q: got %v, want EINVALID with a message, naming a field", body, err)
			}
			return
		}
		switch {
		case tok != "token":
			t.Fatalf("%q: got token %q, want the stored session's", body, tok)
		case cs.OriginOwnerID == "" || cs.OriginOwnerName == "" || len(cs.OriginOwnerID) > linkhub.MaxOwnerFieldLen:
			t.Fatalf("%q: accepted owner %q/%q", body, cs.OriginOwnerID, cs.OriginOwnerName)
		case time.Until(cs.ExpiresAt) < linkhub.MinSessionExpiry-time.Minute || time.Until(cs.ExpiresAt) > linkhub.MaxSessionExpiry:
			t.Fatalf("%q: accepted expiry %v", body, cs.ExpiresAt)
		case cs.MaxLinks < 1 || cs.MaxLinks > linkhub.MaxSessionLinks:
			t.Fatalf("%q: accepted max_links %d", body, cs.MaxLinks)
		case cs.EmbedOrigin != "" && cs.EmbedOrigin != fuzzOrigin:
			t.Fatalf("%q: accepted embed origin %q", body, cs.EmbedOrigin)
		case cs.AccountID != "":
			t.Fatalf("%q: accepted an account that does not exist", body)
		}
		if cs.ReturnURL != "" {
			u, err := url.Parse(cs.ReturnURL)
			if err != nil || u.Scheme+"://"+u.Host != fuzzOrigin || u.User != nil {
				t.Fatalf("%q: accepted return_url %q", body, cs.ReturnURL)
			}
		}
	})
}
