package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// hubaOrigin is the one origin hubaEmbedding's settings allow to embed the
// hub.
const hubaOrigin = "https://app.example.test"

// What the Jamf Pro form of the hub tests holds: the address as a user
// pastes it (untidy), a client id, and secrets a page or log must not show.
const (
	hubaJamfURL    = "https://acme.jamfcloud.com"
	hubaClientID   = "b7c4e2a0-1d3f-4c5e-9a8b-7f6e5d4c3b2a"
	hubaSecret     = "jamf-client-secret-3f9a7c"
	hubaBadSecret  = "wrong-secret-value-8d2e"
	hubaSubmission = "sub-1"
)

// hubaConnectors are the connectors the mock env's server has (data, no
// network): a mock Target hands out the real Jamf Pro and Sophos specs.
var hubaConnectors = connector.NewRegistry(connector.Config{})

// hubaProfile is an enabled profile of connectorID.
func hubaProfile(id, connectorID, name string) *linkhub.Profile {
	return &linkhub.Profile{ID: id, ConnectorID: connectorID, Name: name, Enabled: true}
}

// hubaOffer makes profiles the ones the hub session may use, as the linking
// service answers: Profiles lists them, Target finds one of them (with
// account, the relinked one, when not nil) and refuses any other with
// ErrNotAllowed.
func (e *mockEnv) hubaOffer(account *linkhub.Account, profiles ...*linkhub.Profile) {
	e.linking.ProfilesFn = func(context.Context, *linkhub.ConnectSession) ([]*linkhub.Profile, error) {
		return profiles, nil
	}
	e.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
		for _, p := range profiles {
			if p.ID == id {
				conn, ok := hubaConnectors.Get(p.ConnectorID)
				if !ok {
					e.t.Fatalf("no connector %s", p.ConnectorID)
				}
				return &linking.Target{Profile: p, Connector: conn, Account: account, CanGoBack: len(profiles) > 1}, nil
			}
		}
		return nil, linking.ErrNotAllowed
	}
}

// hubaEmbedding makes hubaOrigin the one origin the settings allow to embed
// the hub.
func (e *mockEnv) hubaEmbedding() {
	e.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		s.EmbedOrigins = []string{hubaOrigin}
		return &s, nil
	}
}

// hubaSubmit makes answer the linking service's answer to a submission, and
// records each.
func (e *mockEnv) hubaSubmit(answer func(ctx context.Context, sub linking.Submission) (*linking.Outcome, error)) *recorder[linking.Submission] {
	s := &recorder[linking.Submission]{}
	e.linking.SubmitFn = func(ctx context.Context, sub linking.Submission) (*linking.Outcome, error) {
		s.add(sub)
		return answer(ctx, sub)
	}
	return s
}

// hubaJamfForm is the Jamf Pro form as a user fills it in, with secret.
func hubaJamfForm(secret string) url.Values {
	return url.Values{"url": {" " + hubaJamfURL + "/index.html "}, "client_id": {hubaClientID},
		"client_secret": {secret}, "submission": {hubaSubmission}}
}

// hubaFormOf follows the hub's one-profile redirect to the form and returns
// the form's action and page.
func (e *mockEnv) hubaFormOf(hub string) (string, *goquery.Document) {
	e.t.Helper()
	resp, _ := e.get(hub)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("hub with one profile: got %d, want 303 to the form", resp.StatusCode)
	}
	resp, doc := e.get(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("form: got %d, want 200", resp.StatusCode)
	}
	action, ok := doc.Find(`[data-testid="hub-form"]`).Attr("action")
	if !ok {
		e.t.Fatal("no hub form")
	}
	return action, doc
}

// hubaJamfReport is a Jamf Pro test's report: every stage passed, or the
// ones before failed passed and failed as given.
func hubaJamfReport(failed *linkhub.Stage) linkhub.Report {
	var r linkhub.Report
	for _, name := range []linkhub.StageName{linkhub.StageValidate, linkhub.StageAddress, linkhub.StageToken,
		linkhub.StageVerify, linkhub.StagePermissions} {
		if failed != nil && failed.Name == name {
			r.Stages = append(r.Stages, *failed)
			return r
		}
		r.Stages = append(r.Stages, linkhub.Stage{Name: name, Status: linkhub.StatusPassed, Duration: 40 * time.Millisecond})
	}
	r.Values = map[string]string{"url": hubaJamfURL, "client_id": hubaClientID}
	r.Metadata = map[string]string{"jamf_version": "11.4.0-t1712345678"}
	return r
}

// hubaTokenRefused is the stage a Jamf Pro that refuses the secret fails.
func hubaTokenRefused() *linkhub.Stage {
	return &linkhub.Stage{Name: linkhub.StageToken, Status: linkhub.StatusFailed, HTTPStatus: http.StatusUnauthorized,
		Reason: linkhub.ReasonBadCredentials, Hint: "Jamf Pro refused the client ID or secret. Check both and try again."}
}

// hubaAccount is the account a Jamf Pro link of mockSession stores.
func hubaAccount(p *linkhub.Profile) *linkhub.Account {
	return &linkhub.Account{ID: "acc-1", ProfileID: p.ID, ConnectorID: p.ConnectorID, OriginOwnerID: "org-1",
		OriginOwnerName: "Org 1", Status: linkhub.AccountActive, CredentialVersion: 1,
		Values:   map[string]string{"url": hubaJamfURL, "client_id": hubaClientID},
		Metadata: map[string]string{"jamf_version": "11.4.0-t1712345678"}, CreatedAt: time.Now()}
}

// hubaCheckSubmission fails the test unless sub is the post of form for
// profile p in hub session handle of cs: the values as typed, the secret
// wrapped and apart from them, and the client's address.
func hubaCheckSubmission(t *testing.T, sub linking.Submission, cs *linkhub.ConnectSession, handle string, p *linkhub.Profile, form url.Values) {
	t.Helper()
	if sub.Session != cs || sub.Handle != handle || sub.Target == nil || sub.Target.Profile.ID != p.ID ||
		sub.ID != form.Get("submission") || sub.IP == "" || sub.Allow == nil {
		t.Errorf("the service got session %v handle %q target %+v id %q ip %q, want %s's post from %s for %s",
			sub.Session, sub.Handle, sub.Target, sub.ID, sub.IP, cs.ID, handle, p.ID)
	}
	for k, v := range form {
		if k == "submission" {
			continue
		}
		if k == "client_secret" {
			if got := sub.Form.Secrets[k].Reveal(); got != v[0] {
				t.Errorf("secret %s: got %q, want %q", k, got, v[0])
			}
			if _, leaked := sub.Form.Values[k]; leaked {
				t.Errorf("the secret %s was read into the plain values", k)
			}
		} else if got := sub.Form.Values[k]; got != v[0] {
			t.Errorf("value %s: got %q, want %q as typed", k, got, v[0])
		}
	}
}
