package web_test

// The fuzz targets send each input through the whole server on the mock env:
// no database, so thousands of runs a second per worker and nothing left
// behind when a worker is killed. The services' own rules for these inputs
// are fuzzed and tested where they live: FuzzCreateSession and
// TestService_CreateSession (internal/linking), TestProfileService_Create
// and TestProfileService_ConnectorRules (internal/postgres).

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// miscSend sends body to path with contentType on env, with its cookies
// and the API key, and returns the status and the body; it reports rather
// than stops, as a fuzz function's t must.
func miscSend(t *testing.T, env *mockEnv, path, contentType, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, env.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+mockAPIKey)
	resp, err := env.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// FuzzConnectSessionJSON posts any body to the connect-session API: no
// answer is a 500; a body the API refuses is a 4xx with a JSON error that
// has a message (415, 413, or 400 for anything that is not one JSON object
// of the documented fields and types) and never reaches the service; a body
// it accepts reaches the linking service exactly as decoded, from the API
// key, and is answered 201 with the session's token.
func FuzzConnectSessionJSON(f *testing.F) {
	for _, s := range []string{
		`{"origin_owner_id":"o","origin_owner_name":"O"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","profile_ids":["8f9c1d1e-0000-4000-8000-00000000000a"],"expires_in":600}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","embed_origin":"` + embedOrigin + `","return_url":"` + embedOrigin + `/x"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","connector":"jamf","metadata":{"a":[1,{"b":null}]},"label":"L"}`,
		`{"origin_owner_id":"o","origin_owner_name":"O","account_id":"x","return_url":"//evil.example"}`,
		`{"origin_owner_id":1}`, `{"expires_in":1e400}`, `{"profile_ids":[null]}`, `[]`, `null`, `{"a":1}{}`, "",
	} {
		f.Add(s)
	}
	env := newMockEnv(f, web.Config{})
	env.withAPIKey()
	var got recorder[linking.SessionRequest]
	env.linking.CreateSessionFn = func(_ context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
		if actor.Kind != "api_key" || actor.ID != "key-1" {
			return nil, "", linkhub.Errorf(linkhub.EINTERNAL, "actor %+v", actor)
		}
		got.add(req)
		return &linkhub.ConnectSession{ExpiresAt: time.Now().Add(time.Hour)}, "tok-fuzz", nil
	}
	f.Fuzz(func(t *testing.T, body string) {
		status, raw := miscSend(t, env, "/api/v1/connect_sessions", "application/json", body)
		calls := got.take()
		if status >= 500 {
			t.Fatalf("%q: got %d %s", body, status, raw)
		}
		if len(calls) == 0 {
			var out struct {
				Error struct{ Code, Message string }
			}
			if status < 400 || json.Unmarshal(raw, &out) != nil || out.Error.Code == "" || out.Error.Message == "" {
				t.Fatalf("%q: got %d %s without the service, want a 4xx with a JSON error message", body, status, raw)
			}
			return
		}
		var out struct{ Token string }
		if status != http.StatusCreated || len(calls) != 1 || json.Unmarshal(raw, &out) != nil || out.Token != "tok-fuzz" {
			t.Fatalf("%q: got %d %s after %d service calls, want 201 with the token", body, status, raw, len(calls))
		}
		var doc web.ConnectSessionRequest // the body as the API decodes it
		if err := json.Unmarshal([]byte(body), &doc); err != nil {
			t.Fatalf("%q: accepted a body that is not the documented object (%v)", body, err)
		}
		want := linking.SessionRequest{OriginOwnerID: doc.OriginOwnerID, OriginOwnerName: doc.OriginOwnerName,
			OriginUsername: doc.OriginUsername, ProfileIDs: doc.ProfileIDs, Connector: doc.Connector, AccountID: doc.AccountID,
			ExpiresIn: doc.ExpiresIn, MaxLinks: doc.MaxLinks, EmbedOrigin: doc.EmbedOrigin, ReturnURL: doc.ReturnURL,
			Metadata: doc.Metadata, Label: doc.Label, Locale: doc.Locale}
		if !reflect.DeepEqual(calls[0], want) {
			t.Fatalf("%q: the service got %+v, want %+v", body, calls[0], want)
		}
	})
}

// miscProfileCall is one CreateProfile call.
type miscProfileCall struct {
	profile *linkhub.Profile
	secrets map[string]secret.Value
	actor   linkhub.Actor
}

// FuzzProfileForm posts any form body to the admin's new-profile form and
// to the hub's link form of one connector: the one its connector field
// names, else one picked by the body's hash (every connector in turn would
// make each run too slow for the fuzzer; the seeds name each connector
// once). No answer is a 500; the
// profile service gets the connector's own fields and actions only, as
// typed (trimmed; a UUID lower-cased), secrets apart and never a blank
// one, from the signed-in admin; the linking service gets the hub form's
// fields as typed, secrets apart; and neither page sent back shows a
// secret in its input.
func FuzzProfileForm(f *testing.F) {
	for _, s := range []string{
		"name=J&actions=list_computers&is_default=on",
		"name=S&field.tenant_type=partner&field.client_secret=s3cret&actions=x&actions=y",
		"name=%20&field.url=%zz&&&==", "name=" + strings.Repeat("n", 101), "a=1&a=2&a=3", "\x00\xff",
		"url=https%3A%2F%2Facme.jamfcloud.com&client_id=cid&client_secret=s3cret",
	} {
		f.Add(s)
	}
	reg := connector.NewRegistry(connector.Config{})
	all := reg.All()
	for _, conn := range all { // each connector's form, filled in
		spec := conn.Spec()
		v := url.Values{"connector": {spec.ID}, "name": {spec.Name}}
		for _, fd := range spec.Fields {
			v.Set("field."+fd.ID, " "+fd.ID+"-value ")
			v.Set(fd.ID, fd.ID+"-value")
		}
		for _, a := range spec.Actions {
			v.Add("actions", a.ID)
		}
		f.Add(v.Encode())
	}
	env := newMockEnv(f, web.Config{HubLimits: web.HubLimits{PerSession: 1 << 30, PerIP: 1 << 30}})
	env.signIn()
	env.withHubSession(nil)
	targets := map[string]*linking.Target{}
	for _, conn := range all {
		id := conn.Spec().ID
		targets["p-"+id] = &linking.Target{Profile: &linkhub.Profile{ID: "p-" + id, ConnectorID: id, Name: id, Enabled: true}, Connector: conn}
	}
	env.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
		if t, ok := targets[id]; ok {
			return t, nil
		}
		return nil, linking.ErrNotAllowed
	}
	var created recorder[miscProfileCall]
	env.profiles.CreateProfileFn = func(_ context.Context, actor linkhub.Actor, p *linkhub.Profile, secrets map[string]secret.Value) error {
		created.add(miscProfileCall{p, secrets, actor})
		conn, _ := reg.Get(p.ConnectorID)
		if pp := linkhub.CheckProfile(conn.Spec(), p); pp != nil { // as the profile service answers
			return pp
		}
		p.ID = "8f9c1d1e-0000-4000-8000-000000000031"
		return nil
	}
	var submitted recorder[linking.Submission]
	env.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		submitted.add(sub)
		errs := map[string]string{} // every field at fault: the form comes back with what was typed
		for _, fd := range sub.Target.FormFields() {
			errs[fd.ID] = fd.Label + " is not right."
		}
		return &linking.Outcome{Kind: linking.Invalid, Target: sub.Target, FieldErrors: errs}, nil
	}
	f.Fuzz(func(t *testing.T, body string) {
		// The hub and the admin's form both read the pairs that parse.
		form, _ := url.ParseQuery(body)
		adminForm := form
		conn, ok := reg.Get(form.Get("connector"))
		if !ok {
			h := fnv.New32a()
			_, _ = h.Write([]byte(body))
			conn = all[h.Sum32()%uint32(len(all))]
		}
		spec := conn.Spec()
		status, raw := miscSend(t, env, "/admin/profiles", "application/x-www-form-urlencoded", "connector="+spec.ID+"&"+body)
		calls := created.take()
		if status >= 500 || len(calls) != 1 {
			t.Fatalf("%s %q: got %d after %d profile service calls, want an answer of the service's", spec.ID, body, status, len(calls))
		}
		miscCheckProfile(t, spec, body, adminForm, calls[0])
		if status != http.StatusSeeOther {
			miscNoSecretShown(t, spec.ID+" admin form", body, raw, spec.Fields, "field.")
		}

		target := targets["p-"+spec.ID]
		status, raw = miscSend(t, env, "/hub/h1/profiles/p-"+spec.ID+"/connect", "application/x-www-form-urlencoded", body)
		subs := submitted.take()
		if status >= 500 || len(subs) != 1 {
			t.Fatalf("%s %q: hub got %d after %d submissions, want the service's answer", spec.ID, body, status, len(subs))
		}
		fields := target.FormFields()
		if len(subs[0].Form.Values)+len(subs[0].Form.Secrets) != len(fields) {
			t.Fatalf("%s %q: hub read %v and %d secrets, want the form's %d fields", spec.ID, body, subs[0].Form.Values, len(subs[0].Form.Secrets), len(fields))
		}
		for _, fd := range fields {
			v, inValues := subs[0].Form.Values[fd.ID]
			s, inSecrets := subs[0].Form.Secrets[fd.ID]
			switch {
			case fd.Secret && (inValues || !inSecrets || s.Reveal() != form.Get(fd.ID)):
				t.Fatalf("%s %q: hub secret %s read as %q in values %v", spec.ID, body, fd.ID, s.Reveal(), inValues)
			case !fd.Secret && (inSecrets || v != form.Get(fd.ID)):
				t.Fatalf("%s %q: hub field %s read as %q, want %q", spec.ID, body, fd.ID, v, form.Get(fd.ID))
			}
		}
		miscNoSecretShown(t, spec.ID+" hub form", body, raw, fields, "")
	})
}

// miscCheckProfile checks the profile the admin's form handed the service
// against the form as parsed.
func miscCheckProfile(t *testing.T, spec linkhub.ConnectorSpec, body string, form url.Values, call miscProfileCall) {
	t.Helper()
	p := call.profile
	if call.actor.ID != mockAdminID || p.ConnectorID != spec.ID || p.Name != strings.TrimSpace(form.Get("name")) {
		t.Fatalf("%s %q: the service got %s's profile %q from %+v", spec.ID, body, p.ConnectorID, p.Name, call.actor)
	}
	for _, fd := range spec.Fields {
		typed := strings.TrimSpace(form.Get("field." + fd.ID))
		if fd.Kind == linkhub.KindUUID && !fd.Secret {
			typed = strings.ToLower(typed)
		}
		v, inValues := p.Values[fd.ID]
		s, inSecrets := call.secrets[fd.ID]
		switch {
		case fd.Secret && (inValues || inSecrets != (typed != "") || inSecrets && s.Reveal() != typed):
			t.Fatalf("%s %q: secret %s reached the service as %q (in values %v)", spec.ID, body, fd.ID, s.Reveal(), inValues)
		case !fd.Secret && (inSecrets || inValues != (typed != "") || v != typed):
			t.Fatalf("%s %q: field %s reached the service as %q, want %q", spec.ID, body, fd.ID, v, typed)
		}
	}
	if n := len(p.Values) + len(call.secrets); n > len(spec.Fields) {
		t.Fatalf("%s %q: %d values and secrets for %d fields", spec.ID, body, n, len(spec.Fields))
	}
	var want []string
	for _, a := range spec.Actions {
		if slices.Contains(form["actions"], a.ID) {
			want = append(want, a.ID)
		}
	}
	if !slices.Equal(p.Actions, want) {
		t.Fatalf("%s %q: got actions %v, want the connector's among those ticked, %v", spec.ID, body, p.Actions, want)
	}
}

// miscNoSecretShown fails if a page's input for a secret field (named
// prefix+id) carries a value.
func miscNoSecretShown(t *testing.T, what, body string, page []byte, fields []linkhub.Field, prefix string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range fields {
		if !fd.Secret {
			continue
		}
		if v := doc.Find(`input[name="`+prefix+fd.ID+`"]`).AttrOr("value", ""); v != "" {
			t.Fatalf("%s %q: the page shows secret %s as %q", what, body, fd.ID, v)
		}
	}
}
