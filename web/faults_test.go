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
