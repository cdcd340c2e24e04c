package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// TestHub_DatabaseOutOfResources: PostgreSQL out of disk, memory or other
// resources (SQLSTATE class 53, here the driver's error as the services
// wrap it) answers the hub user with the "temporarily unavailable" page and
// the API with the 503 JSON of an outage, not a 500, and the log names the
// cause. That the services' errors keep the SQLSTATE from a real server's
// refusal is linking's (TestService_Submit_DatabaseOutOfResources). No
// database.
func TestHub_DatabaseOutOfResources(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ state, cause string }{
		{"53100", "disk is full"},
		{"53200", "out of memory"},
		{"53000", "lacks resources"},
	} {
		t.Run(tc.state, func(t *testing.T) {
			t.Parallel()
			dbErr := func(what string) error {
				return fmt.Errorf("%s: %w", what, &pgconn.PgError{Severity: "ERROR", Code: tc.state,
					Message: "could not extend file: No space left on device"})
			}
			e := hubbJamfEnv(t, func(linking.Submission) (*linking.Outcome, error) { return nil, dbErr("link account") })
			e.withAPIKey()
			e.linking.CreateSessionFn = func(context.Context, linkhub.Actor, linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
				return nil, "", dbErr("create connect session")
			}

			resp, doc := e.post("/hub/h1/profiles/p1/connect", hubbJamfForm("s3cret-value"))
			if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(doc.Text(), "Temporarily unavailable") {
				t.Errorf("hub link: got %d %q, want 503 and the temporarily unavailable page", resp.StatusCode, doc.Find("main").Text())
			}
			if strings.Contains(doc.Text(), "No space left") || strings.Contains(doc.Text(), tc.state) {
				t.Errorf("hub link: the page shows the database's error: %q", doc.Text())
			}

			status, out := e.api(http.MethodPost, "/api/v1/connect_sessions", `{"origin_owner_id":"o","origin_owner_name":"O"}`)
			apiErr := apiError(out)
			msg, _ := apiErr["message"].(string)
			if status != http.StatusServiceUnavailable || apiErr["code"] != linkhub.EUNAVAILABLE || !strings.Contains(msg, "Try again") ||
				strings.Contains(msg, "No space left") {
				t.Errorf("API: got %d %v, want 503 with the unavailable JSON error", status, out)
			}

			logs := e.logs.String()
			if strings.Count(logs, "database unavailable") != 2 || !strings.Contains(logs, tc.cause) {
				t.Errorf("log: want a line naming the cause %q for each request:\n%s", tc.cause, logs)
			}
		})
	}
}

// TestHub_RetryOfSubmissionFindsItsResult: the form carries a fresh random
// submission id per render, and the link post hands it to the linking
// service; the retry of a submission that linked (the answer lost to a cut
// connection or a restart), answered with the stored outcome, shows the
// success screen for that account and tells the embedding page of it as
// the first time. A malformed id, refused by the service, is a 400 saying
// the form is out of date. Finding the stored outcome without testing or
// linking again is linking's (TestService_Submit/OK,
// TestService_Submit_RetryTestsNothing), refusing the id too
// (TestService_Submit/ErrFormOutdated). No database.
func TestHub_RetryOfSubmissionFindsItsResult(t *testing.T) {
	t.Parallel()
	const origin = "https://app.example.test"
	report := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed},
		{Name: linkhub.StageVerify, Status: linkhub.StatusPassed}}}
	account := &linkhub.Account{ID: "a1", ProfileID: "p1", ConnectorID: "jamf", OriginOwnerID: "org-1", CreatedAt: time.Now(),
		Values: map[string]string{"url": "https://acme.jamfcloud.com"}}
	var ids []string
	e := hubbJamfEnv(t, func(sub linking.Submission) (*linking.Outcome, error) {
		ids = append(ids, sub.ID)
		switch {
		case strings.ContainsAny(sub.ID, `"<> `):
			return nil, linking.ErrFormOutdated
		case len(ids) == 1:
			return &linking.Outcome{Kind: linking.Linked, Target: sub.Target, Account: account, Report: report}, nil
		}
		stored := linkhub.NewAttemptReport(report)
		return &linking.Outcome{Kind: linking.Linked, Target: sub.Target, Account: account, Stored: &stored}, nil
	})
	cs := mockSession()
	cs.EmbedOrigin = origin
	e.withHubSession(cs)
	e.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		s := linkhub.DefaultSettings()
		s.EmbedOrigins = []string{origin}
		return &s, nil
	}

	_, form := e.get("/hub/h1/profiles/p1")
	submission := form.Find(`[data-testid="hub-form"] input[name="submission"]`).AttrOr("value", "")
	if len(submission) < 16 {
		t.Fatalf("form: got submission id %q, want a random one", submission)
	}
	if _, again := e.get("/hub/h1/profiles/p1"); again.Find(`input[name="submission"]`).AttrOr("value", "") == submission {
		t.Fatal("two renders of the form share a submission id")
	}
	fields := hubbJamfForm("s3cret-value")
	fields.Set("submission", submission)
	for _, try := range []string{"first submit", "retry"} {
		resp, doc := e.post("/hub/h1/profiles/p1/connect", fields)
		if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
			t.Fatalf("%s: got %d %q, want the success screen", try, resp.StatusCode, doc.Find("main").Text())
		}
		if msg := doc.Find(`[data-testid="success"]`).AttrOr("data-linkhub-message", ""); !strings.Contains(msg, `"id":"a1"`) {
			t.Errorf("%s: the message to the embedding page %q does not name account a1", try, msg)
		}
	}
	if len(ids) != 2 || ids[0] != submission || ids[1] != submission {
		t.Errorf("the service got submissions %q, want %q twice", ids, submission)
	}

	fields.Set("submission", `x"><script>`)
	resp, bad := e.post("/hub/h1/profiles/p1/connect", fields)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Text(), "out of date") {
		t.Errorf("malformed submission id: got %d %q, want 400 saying the form is out of date", resp.StatusCode, bad.Find("main").Text())
	}
}
