package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// TestHubConnect_Outcomes: the link post renders each outcome of the
// linking service with its status and page, and hands the service what the
// user typed (secrets apart) with the request's submission id and address.
// No database: the services are mocks.
func TestHubConnect_Outcomes(t *testing.T) {
	t.Parallel()
	jamf, _ := connector.NewRegistry(connector.Config{}).Get("jamf")
	target := &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true}, Connector: jamf}
	account := &linkhub.Account{ID: "a1", ProfileID: "p1", ConnectorID: "jamf", OriginOwnerID: "org-1", CreatedAt: time.Now()}
	passed := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed}}}
	failed := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusFailed,
		Reason: linkhub.ReasonBadCredentials, Hint: "Jamf Pro refused the client secret."}}}
	for _, tc := range []struct {
		name       string
		out        *linking.Outcome
		err        error
		wantStatus int
		wantTestID string
	}{
		{"Linked", &linking.Outcome{Kind: linking.Linked, Target: target, Account: account, Report: passed}, nil, http.StatusOK, "success"},
		{"Invalid", &linking.Outcome{Kind: linking.Invalid, Target: target, FieldErrors: map[string]string{"client_id": "Client ID is required."}},
			nil, http.StatusOK, "hub-form"},
		{"Limited", &linking.Outcome{Kind: linking.Limited, Target: target}, nil, http.StatusTooManyRequests, "hub-form"},
		{"Failed", &linking.Outcome{Kind: linking.Failed, Target: target, Report: failed}, nil, http.StatusOK, "hub-form"},
		{"Choose", &linking.Outcome{Kind: linking.Choose, Target: target, AttemptID: "at-1",
			Choices: []linkhub.Choice{{ID: "t1", Name: "Tenant one"}}}, nil, http.StatusOK, "choices"},
		{"Duplicate", &linking.Outcome{Kind: linking.Duplicate, Target: target, Account: account, AttemptID: "at-1",
			Identity: "https://acme.jamfcloud.com", Choices: []linkhub.Choice{{ID: linking.ChoiceReplace}, {ID: linking.ChoiceAnother}}},
			nil, http.StatusOK, "choices"},
		{"ErrLinkUsed", nil, linking.ErrLinkUsed, http.StatusGone, ""},
		{"ErrFormOutdated", nil, linking.ErrFormOutdated, http.StatusBadRequest, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			deps, m := mockDeps(&syncBuffer{})
			m.connectSessions.FindHubSessionFn = func(_ context.Context, handle string) (*linkhub.ConnectSession, error) {
				return &linkhub.ConnectSession{ID: "cs-1", OriginOwnerID: "org-1", OriginOwnerName: "Org 1", MaxLinks: 1,
					ExpiresAt: time.Now().Add(time.Hour)}, nil
			}
			m.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
				s := linkhub.DefaultSettings()
				return &s, nil
			}
			m.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
				if id != "p1" {
					return nil, linking.ErrNotAllowed
				}
				return target, nil
			}
			var got linking.Submission
			m.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
				got = sub
				return tc.out, tc.err
			}
			srv := mustServer(t, web.Config{BaseURL: "http://linkhub.test"}, deps)
			form := url.Values{"url": {"https://acme.jamfcloud.com"}, "client_id": {"cid"}, "client_secret": {"s3cret-value"},
				"submission": {"sub-1"}}
			resp, err := http.PostForm(srv.URL+"/hub/h1/profiles/p1/connect", form)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("got %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			doc, err := goquery.NewDocumentFromReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantTestID != "" && doc.Find(`[data-testid="`+tc.wantTestID+`"]`).Length() == 0 {
				t.Errorf("no %s on the page", tc.wantTestID)
			}
			if html, _ := doc.Html(); strings.Contains(html, "s3cret-value") {
				t.Error("the page shows the secret")
			}
			if got.ID != "sub-1" || got.Handle != "h1" || got.Session.ID != "cs-1" || got.Form.Values["client_id"] != "cid" ||
				got.Form.Secrets["client_secret"].Reveal() != "s3cret-value" || got.IP == "" {
				t.Errorf("the service got %+v", got)
			}
			if _, leaked := got.Form.Values["client_secret"]; leaked {
				t.Error("the secret was read into the plain values")
			}
		})
	}
}

// TestHubConnect_NotAllowed: a profile the session may not use is a 404
// that says so, and the service is asked nothing more.
func TestHubConnect_NotAllowed(t *testing.T) {
	t.Parallel()
	deps, m := mockDeps(&syncBuffer{})
	m.connectSessions.FindHubSessionFn = func(context.Context, string) (*linkhub.ConnectSession, error) {
		return &linkhub.ConnectSession{ID: "cs-1", MaxLinks: 1, ExpiresAt: time.Now().Add(time.Hour)}, nil
	}
	m.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		return &s, nil
	}
	m.linking.TargetFn = func(context.Context, *linkhub.ConnectSession, string) (*linking.Target, error) {
		return nil, linking.ErrNotAllowed
	}
	srv := mustServer(t, web.Config{}, deps)
	resp, err := http.PostForm(srv.URL+"/hub/h1/profiles/other/connect", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(resp.Body)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(doc.Text(), "not part of this connection link") {
		t.Errorf("got %d %q, want 404 saying the service is not part of the link", resp.StatusCode, doc.Find("main").Text())
	}
}
