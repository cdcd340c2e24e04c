package linking_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
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

// fuzzSession is one seed of FuzzCreateSession: the request's fields in the
// fuzz target's order.
type fuzzSession struct {
	ownerID, ownerName, username, profileIDs, connector, accountID string
	expiresIn                                                      int
	hasExpires                                                     bool
	maxLinks                                                       int
	hasMaxLinks                                                    bool
	embedOrigin, returnURL, metadata, label, locale                string
}

// FuzzCreateSession holds the connect-session rules to their promises on any
// request: either EINVALID with a message naming the field at fault, or a
// session with its owner present and bounded, expiry in range, embed origin
// and return_url on the allowed origins, and no account that does not exist.
// The services it reads are mocks (no database, so the fuzzer runs fast);
// TestService_CreateSession checks the same rules on PostgreSQL. The input
// is the request's fields themselves (profileIDs comma-separated, expiresIn
// and maxLinks given only when their flag is set): decoding the API's JSON
// body is the web layer's (web's FuzzConnectSessionJSON).
func FuzzCreateSession(f *testing.F) {
	for _, s := range []fuzzSession{
		{}, // what a JSON body of none of the fields decodes to
		{ownerID: "o", ownerName: "O"},
		{ownerID: "o", ownerName: "O", profileIDs: fuzzProfile, expiresIn: 600, hasExpires: true},
		{ownerID: "o", ownerName: "O", embedOrigin: fuzzOrigin, returnURL: fuzzOrigin + "/x"},
		{ownerID: "o", ownerName: "O", connector: "jamf", metadata: `{"a":[1,{"b":null}]}`, label: "L"},
		{ownerID: "o", ownerName: "O", accountID: "x", returnURL: "//evil.example"},
		{ownerID: " ", ownerName: "O", maxLinks: 0, hasMaxLinks: true, locale: "pt-br"},
	} {
		f.Add(s.ownerID, s.ownerName, s.username, s.profileIDs, s.connector, s.accountID, s.expiresIn, s.hasExpires,
			s.maxLinks, s.hasMaxLinks, s.embedOrigin, s.returnURL, s.metadata, s.label, s.locale)
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
	f.Fuzz(func(t *testing.T, ownerID, ownerName, username, profileIDs, connectorID, accountID string,
		expiresIn int, hasExpires bool, maxLinks int, hasMaxLinks bool, embedOrigin, returnURL, metadata, label, locale string) {
		req := linking.SessionRequest{OriginOwnerID: ownerID, OriginOwnerName: ownerName, OriginUsername: username,
			Connector: connectorID, AccountID: accountID, EmbedOrigin: embedOrigin, ReturnURL: returnURL,
			Label: label, Locale: locale}
		if profileIDs != "" {
			req.ProfileIDs = strings.Split(profileIDs, ",")
		}
		if hasExpires {
			req.ExpiresIn = &expiresIn
		}
		if hasMaxLinks {
			req.MaxLinks = &maxLinks
		}
		if metadata != "" {
			req.Metadata = json.RawMessage(metadata)
		}
		in := fmt.Sprintf("%+v", req) // what the failures name
		cs, tok, err := svc.CreateSession(context.Background(), linkhub.SystemActor, req)
		if err != nil {
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorMessage(err) == "" || linkhub.ErrorField(err) == "" {
				t.Fatalf("%q: got %v, want EINVALID with a message, naming a field", in, err)
			}
			return
		}
		switch {
		case tok != "token":
			t.Fatalf("%q: got token %q, want the stored session's", in, tok)
		case cs.OriginOwnerID == "" || cs.OriginOwnerName == "" || len(cs.OriginOwnerID) > linkhub.MaxOwnerFieldLen:
			t.Fatalf("%q: accepted owner %q/%q", in, cs.OriginOwnerID, cs.OriginOwnerName)
		case time.Until(cs.ExpiresAt) < linkhub.MinSessionExpiry-time.Minute || time.Until(cs.ExpiresAt) > linkhub.MaxSessionExpiry:
			t.Fatalf("%q: accepted expiry %v", in, cs.ExpiresAt)
		case cs.MaxLinks < 1 || cs.MaxLinks > linkhub.MaxSessionLinks:
			t.Fatalf("%q: accepted max_links %d", in, cs.MaxLinks)
		case cs.EmbedOrigin != "" && cs.EmbedOrigin != fuzzOrigin:
			t.Fatalf("%q: accepted embed origin %q", in, cs.EmbedOrigin)
		case cs.AccountID != "":
			t.Fatalf("%q: accepted an account that does not exist", in)
		}
		if cs.ReturnURL != "" {
			u, err := url.Parse(cs.ReturnURL)
			if err != nil || u.Scheme+"://"+u.Host != fuzzOrigin || u.User != nil {
				t.Fatalf("%q: accepted return_url %q", in, cs.ReturnURL)
			}
		}
	})
}
