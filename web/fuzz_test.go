package web

// The fuzz targets call the parsers directly: the fuzzer needs thousands of
// runs a second, and fuzz workers are killed at the end, which would leave
// a PostgreSQL per worker behind. The database-backed paths are covered by
// the table tests (TestConnectSessionAPI_Create, TestXSS_EveryField).

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/views"
)

const fuzzOrigin = "https://app.example.test"

// fuzzProfiles knows one enabled profile; fuzzAccounts knows none. Any other
// method panics (the embedded interface is nil), which the fuzzer reports.
type fuzzProfiles struct{ linkhub.ProfileService }

func (fuzzProfiles) FindProfileByID(_ context.Context, id string) (*linkhub.Profile, error) {
	if id == "8f9c1d1e-0000-4000-8000-00000000000a" {
		return &linkhub.Profile{ID: id, ConnectorID: "jamf", Enabled: true}, nil
	}
	return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
}

type fuzzAccounts struct{ linkhub.AccountService }

func (fuzzAccounts) FindAccountByID(context.Context, string) (*linkhub.Account, error) {
	return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Account not found.")
}

// fuzzSettings allows fuzzOrigin; fuzzSessions hands back the session it
// was asked to store.
type fuzzSettings struct{ linkhub.SettingsService }

func (fuzzSettings) FindSettings(context.Context) (*linkhub.Settings, error) {
	s := linkhub.DefaultSettings()
	s.EmbedOrigins, s.SessionLifetime = []string{fuzzOrigin}, time.Hour
	return &s, nil
}

type fuzzSessions struct{ linkhub.ConnectSessionService }

func (fuzzSessions) CreateConnectSession(context.Context, linkhub.Actor, *linkhub.ConnectSession) (string, error) {
	return "token", nil
}

func fuzzContext(body, contentType string) echo.Context {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	return echo.New().NewContext(req, httptest.NewRecorder())
}

// FuzzConnectSessionJSON checks decodeJSON and the connect-session rules on any
// body: either a user error (415/413, or EINVALID with a message, naming a
// field when one is at fault) or a session that keeps every promise of the
// API: owner present and bounded, expiry in range, embed origin and
// return_url on the allowed origins.
func FuzzConnectSessionJSON(f *testing.F) {
	for _, s := range []string{
		`{"origin_owner_id":"o","origin_owner_name":"O"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","profile_ids":["8f9c1d1e-0000-4000-8000-00000000000a"],"expires_in":600}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","embed_origin":"` + fuzzOrigin + `","return_url":"` + fuzzOrigin + `/x"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","connector":"jamf","metadata":{"a":[1,{"b":null}]},"label":"L"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","account_id":"x","return_url":"//evil.example"}`,
		`{"origin_owner_id":1}`, `{"expires_in":1e400}`, `{"profile_ids":[null]}`, `[]`, `null`, `{"a":1}{}`, "",
	} {
		f.Add(s)
	}
	linker := linking.New(linking.Services{Profiles: fuzzProfiles{}, Accounts: fuzzAccounts{}, Settings: fuzzSettings{},
		ConnectSessions: fuzzSessions{}, Connectors: connector.NewRegistry(connector.Config{})})
	f.Fuzz(func(t *testing.T, body string) {
		c := fuzzContext(body, "application/json")
		var req connectSessionRequest
		err := decodeJSON(c.Request(), &req)
		if err == nil {
			var cs *linkhub.ConnectSession
			cs, _, err = linker.CreateSession(c.Request().Context(), linkhub.SystemActor, req.sessionRequest())
			if err == nil {
				checkSession(t, body, cs)
				return
			}
		}
		var he *echo.HTTPError
		if errors.As(err, &he) {
			if he.Code != http.StatusUnsupportedMediaType && he.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("%q: got HTTP error %d", body, he.Code)
			}
			return
		}
		if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorMessage(err) == "" {
			t.Fatalf("%q: got %v, want EINVALID with a message", body, err)
		}
	})
}

func checkSession(t *testing.T, body string, cs *linkhub.ConnectSession) {
	t.Helper()
	switch {
	case cs.OriginOwnerID == "" || cs.OriginOwnerName == "" || len(cs.OriginOwnerID) > linkhub.MaxOwnerFieldLen:
		t.Fatalf("%q: accepted owner %q/%q", body, cs.OriginOwnerID, cs.OriginOwnerName)
	case time.Until(cs.ExpiresAt) < linkhub.MinSessionExpiry-time.Minute || time.Until(cs.ExpiresAt) > linkhub.MaxSessionExpiry:
		t.Fatalf("%q: accepted expiry %v", body, cs.ExpiresAt)
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
}

// FuzzProfileForm checks the form decoding of the admin's profile form and
// the hub's connect form, for every connector, on any form body: neither
// panics; the hub keeps secrets apart from the typed values; and what
// parseProfileForm reads and linkhub.CheckProfile accepts holds only the connector's own fields and
// actions, a bounded name, and no secret in the view it re-renders.
func FuzzProfileForm(f *testing.F) {
	for _, s := range []string{
		"name=J&actions=list_computers&is_default=on",
		"name=S&field.tenant_type=partner&field.client_secret=s3cret&actions=x&actions=y",
		"name=%20&field.url=%zz&&&==", "name=" + strings.Repeat("n", 101), "a=1&a=2&a=3", "\x00\xff",
	} {
		f.Add(s)
	}
	reg := connector.NewRegistry(connector.Config{})
	f.Fuzz(func(t *testing.T, body string) {
		for _, conn := range reg.All() {
			spec := conn.Spec()
			form := readHubForm(fuzzContext(body, "application/x-www-form-urlencoded"), spec.Fields)
			typed, secrets := form.Values, form.Secrets
			for _, fd := range spec.Fields {
				_, inTyped := typed[fd.ID]
				if _, inSecrets := secrets[fd.ID]; inTyped == fd.Secret || inSecrets != fd.Secret {
					t.Fatalf("%s %q: field %s (secret %v) read into the wrong map", spec.ID, body, fd.ID, fd.Secret)
				}
			}
			v := profileForm(spec, nil)
			pp := parseProfileForm(fuzzContext(body, "application/x-www-form-urlencoded"), &v)
			for _, fv := range append(slices.Clone(v.Fields), v.Shared...) {
				if fv.Secret && fv.Value != "" {
					t.Fatalf("%s %q: the view carries secret %s", spec.ID, body, fv.ID)
				}
			}
			// What the profile service would store: the rules accept it.
			p := &linkhub.Profile{ConnectorID: spec.ID, Name: pp.name, Actions: pp.actions, Values: pp.values}
			for id := range pp.secrets {
				p.StoredSecrets = append(p.StoredSecrets, id)
			}
			if linkhub.CheckProfile(spec, p) != nil {
				continue
			}
			if pp.name == "" || len(pp.name) > 100 || pp.name != strings.TrimSpace(pp.name) {
				t.Fatalf("%s %q: accepted name %q", spec.ID, body, pp.name)
			}
			for id := range pp.values {
				if !hasField(v, id, false) {
					t.Fatalf("%s %q: accepted value for unknown or secret field %q", spec.ID, body, id)
				}
			}
			for id := range pp.secrets {
				if !hasField(v, id, true) {
					t.Fatalf("%s %q: accepted secret for unknown field %q", spec.ID, body, id)
				}
			}
			for _, a := range pp.actions {
				if !slices.ContainsFunc(v.Actions, func(av views.ProfileActionView) bool { return av.ID == a }) {
					t.Fatalf("%s %q: accepted unknown action %q", spec.ID, body, a)
				}
			}
		}
	})
}

func hasField(v views.ProfileFormView, id string, secret bool) bool {
	for _, f := range append(slices.Clone(v.Fields), v.Shared...) {
		if f.ID == id && f.Secret == secret {
			return true
		}
	}
	return false
}
