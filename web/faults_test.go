package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// TestHub_DatabaseOutOfResources: PostgreSQL out of disk, memory or other
// resources (SQLSTATE class 53, raised by the real server from a trigger, as
// a full disk raises it from the insert) answers the hub user with the
// "temporarily unavailable" page and the API with the 503 JSON of an outage,
// not a 500, and the log names the cause.
func TestHub_DatabaseOutOfResources(t *testing.T) {
	for _, tc := range []struct{ state, cause string }{
		{"53100", "disk is full"},
		{"53200", "out of memory"},
		{"53000", "lacks resources"},
	} {
		t.Run(tc.state, func(t *testing.T) {
			env := MustHubEnv(t, web.HubLimits{})
			env.MustProfile(t, "jamf", "Jamf")
			action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
			ctx := context.Background()
			if _, err := env.db.Pool.Exec(ctx, `
				CREATE FUNCTION out_of_resources() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '`+tc.state+`'; END $$;
				CREATE TRIGGER out_of_resources BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION out_of_resources();
				CREATE TRIGGER out_of_resources BEFORE INSERT ON connect_sessions FOR EACH ROW EXECUTE FUNCTION out_of_resources();`); err != nil {
				t.Fatal(err)
			}

			resp, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
			if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(doc.Text(), "Temporarily unavailable") {
				t.Errorf("hub link: got %d %q, want 503 and the temporarily unavailable page", resp.StatusCode, doc.Find("main").Text())
			}
			if strings.Contains(doc.Text(), "No space left") || strings.Contains(doc.Text(), tc.state) {
				t.Errorf("hub link: the page shows the database's error: %q", doc.Text())
			}
			if n := len(env.allAccounts(t)); n != 0 {
				t.Errorf("got %d accounts, want none", n)
			}

			r, err := env.api(t, "application/json", `{"origin_owner_id":"o","origin_owner_name":"O"}`)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			var apiErr struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal(b, &apiErr); err != nil || r.StatusCode != http.StatusServiceUnavailable ||
				apiErr.Error.Code != linkhub.EUNAVAILABLE || !strings.Contains(apiErr.Error.Message, "Try again") {
				t.Errorf("API: got %d %s, want 503 with the unavailable JSON error", r.StatusCode, b)
			}

			logs := env.logs.String()
			if !strings.Contains(logs, "database unavailable") || !strings.Contains(logs, tc.cause) {
				t.Errorf("log: want a line naming the cause %q:\n%s", tc.cause, logs)
			}
		})
	}
}

// TestHub_RetryOfSubmissionFindsItsResult: the form carries a submission
// id; posting the same submission again after it linked (the answer lost
// to a cut connection or a restart) shows the success screen for the
// account stored, and stores no second one. A malformed id is refused.
func TestHub_RetryOfSubmissionFindsItsResult(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	hub := env.MustOpen(t, env.MustToken(t, map[string]any{"embed_origin": embedOrigin}))
	action, form := env.formOf(t, hub)
	submission, _ := form.Find(`[data-testid="hub-form"] input[name="submission"]`).Attr("value")
	if len(submission) < 16 {
		t.Fatalf("form: got submission id %q, want a random one", submission)
	}
	if _, again := env.formOf(t, hub); again.Find(`input[name="submission"]`).AttrOr("value", "") == submission {
		t.Fatal("two renders of the form share a submission id")
	}
	fields := env.jamfForm(env.jamf.ClientSecret)
	fields.Set("submission", submission)
	resp, first := env.post(t, action, fields)
	if resp.StatusCode != http.StatusOK || first.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("first submit: got %d %q, want the success screen", resp.StatusCode, first.Find("main").Text())
	}
	tokens := env.jamf.TokenRequests()
	resp, retry := env.post(t, action, fields)
	if resp.StatusCode != http.StatusOK || retry.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("retry: got %d %q, want the success screen again", resp.StatusCode, retry.Find("main").Text())
	}
	if got := env.jamf.TokenRequests(); got != tokens {
		t.Errorf("the retry asked Jamf for %d more tokens, want none: it must not test again", got-tokens)
	}
	accounts := env.allAccounts(t)
	if len(accounts) != 1 {
		t.Fatalf("got %d accounts after a retry of one submission, want 1", len(accounts))
	}
	// The embedding page hears of the same account as the first time.
	if msg := retry.Find(`[data-testid="success"]`).AttrOr("data-linkhub-message", ""); !strings.Contains(msg, accounts[0].ID) {
		t.Errorf("retry: the message to the embedding page %q does not name account %s", msg, accounts[0].ID)
	}

	fields.Set("submission", `x"><script>`)
	resp, bad := env.post(t, action, fields)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Text(), "out of date") {
		t.Errorf("malformed submission id: got %d %q, want 400 saying the form is out of date", resp.StatusCode, bad.Find("main").Text())
	}
	if n := len(env.allAccounts(t)); n != 1 {
		t.Errorf("got %d accounts after a malformed submission, want still 1", n)
	}
}
