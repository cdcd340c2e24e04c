package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// hubbJamfTarget is session h1's Jamf Pro profile p1 with the real
// connector.
func hubbJamfTarget() *linking.Target {
	jamf, _ := connector.NewRegistry(connector.Config{}).Get("jamf")
	return &linking.Target{Profile: &linkhub.Profile{ID: "p1", ConnectorID: "jamf", Name: "Jamf", Enabled: true,
		Actions: []string{"list_computers"}}, Connector: jamf}
}

// hubbJamfForm is the Jamf Pro form as a user fills it, with secretValue.
func hubbJamfForm(secretValue string) url.Values {
	return url.Values{"url": {" https://acme.jamfcloud.com/index.html "}, "client_id": {"linkhub-client"},
		"client_secret": {secretValue}}
}

// hubbJamfEnv is the mock env with hub session h1 on the Jamf Pro profile
// p1, whose link post hands the submission to submit; the client secret
// must never show.
func hubbJamfEnv(t *testing.T, submit func(linking.Submission) (*linking.Outcome, error)) *mockEnv {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	e.withHubSession(nil)
	e.hidden = append(e.hidden, "s3cret-value")
	target := hubbJamfTarget()
	e.linking.TargetFn = func(_ context.Context, _ *linkhub.ConnectSession, id string) (*linking.Target, error) {
		if id != "p1" {
			return nil, linking.ErrNotAllowed
		}
		return target, nil
	}
	e.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		if sub.Target != target || sub.Form.Secrets["client_secret"].Reveal() != "s3cret-value" {
			t.Errorf("the service got target %+v and not the secret typed", sub.Target)
		}
		return submit(sub)
	}
	return e
}

// TestHub_VendorTextUnstorable: an account whose vendor answered text
// PostgreSQL cannot hold (a NUL in Jamf Pro's version) is linked with the
// character replaced, and the success screen shows the version so. The
// replacement and its note are linking's
// (TestService_Submit_VendorTextUnstorable), made by the connector
// registry (linkhub.Report.Storable). No database.
func TestHub_VendorTextUnstorable(t *testing.T) {
	t.Parallel()
	const version = "11.7.1\uFFFD-t1718024583"
	e := hubbJamfEnv(t, func(sub linking.Submission) (*linking.Outcome, error) {
		report := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed},
			{Name: linkhub.StageVerify, Status: linkhub.StatusPassed}}, Metadata: map[string]string{"jamf_version": version},
			Notes: []string{"The vendor's answer held characters that cannot be stored (NUL or invalid UTF-8); " +
				"they were replaced with \uFFFD in: metadata jamf_version."}}
		a := &linkhub.Account{ID: "a1", ProfileID: "p1", ConnectorID: "jamf", OriginOwnerID: "org-1", CreatedAt: time.Now(),
			Values: map[string]string{"url": "https://acme.jamfcloud.com"}, Metadata: report.Metadata}
		return &linking.Outcome{Kind: linking.Linked, Target: sub.Target, Account: a, Report: report}, nil
	})
	resp, doc := e.post("/hub/h1/profiles/p1/connect", hubbJamfForm("s3cret-value"))
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("got %d %q, want 200 and the success screen", resp.StatusCode, doc.Find("main").Text())
	}
	if sum := doc.Find(`[data-testid="summary"]`).Text(); !strings.Contains(sum, "Jamf Pro version") || !strings.Contains(sum, version) {
		t.Errorf("got summary %q, want the version with the character replaced", sum)
	}
}
