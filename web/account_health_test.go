package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestAPI_AccountTest: POST /api/v1/accounts/:id/test asks the linking
// service to test the account as the API key, and answers its report (the
// stages as web/openapi.json documents them, never a snippet) with the
// account as recorded after it: ok for a passed test, the failed stage's
// status, reason and hint otherwise. An unknown account is a JSON 404, a
// missing key a 401. What a test records (status, last test) is the
// checker's (internal/health TestChecker_TestAccount).
func TestAPI_AccountTest(t *testing.T) {
	t.Parallel()
	documented := schemaEnums(t, "TestStage")
	type response struct {
		OK      bool             `json:"ok"`
		Account map[string]any   `json:"account"`
		Stages  []map[string]any `json:"stages"`
	}
	stage := func(name linkhub.StageName, status linkhub.StageStatus) linkhub.Stage {
		return linkhub.Stage{Name: name, Title: string(name), Status: status, Duration: 12 * time.Millisecond}
	}
	passed := linkhub.Report{Stages: []linkhub.Stage{stage("validate", linkhub.StatusPassed), stage("address", linkhub.StatusPassed),
		stage("token", linkhub.StatusPassed), stage("verify", linkhub.StatusPassed), stage("permissions", linkhub.StatusPassed)},
		Values: map[string]string{"url": "https://acme.jamfcloud.com"}}
	rejected := linkhub.Report{Stages: []linkhub.Stage{stage("validate", linkhub.StatusPassed), stage("address", linkhub.StatusPassed),
		{Name: "token", Status: linkhub.StatusFailed, HTTPStatus: 401, Reason: linkhub.ReasonBadCredentials,
			Hint: "Check the client secret.", Snippet: `{"error":"invalid_client","secret":"vendor-echoed-s3cret"}`},
		stage("verify", linkhub.StatusSkipped), stage("permissions", linkhub.StatusSkipped)}}

	for _, tc := range []struct {
		name   string
		report linkhub.Report
		status string
	}{
		{"OK", passed, linkhub.AccountActive},
		{"CredentialsRejected", rejected, linkhub.AccountNeedsRelink},
		{"DisabledKeepsItsStatus", passed, linkhub.AccountDisabled}, // a result, not the 409 of enable
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := apiMockEnv(t)
			e.hidden = append(e.hidden, "vendor-echoed-s3cret")
			tested := time.Now()
			var gotActor linkhub.Actor
			var gotID string
			e.linking.TestAccountFn = func(_ context.Context, actor linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error) {
				gotActor, gotID = actor, id
				if id != apiAccountID {
					return nil, linkhub.Report{}, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such account.")
				}
				a := apiMockAccount()
				a.Status, a.LastTestedAt = tc.status, &tested
				if tc.status == linkhub.AccountNeedsRelink {
					a.StatusReason = linkhub.ReasonBadCredentials
				}
				return a, tc.report, nil
			}
			resp, body := apiSend(e, http.MethodPost, "/api/v1/accounts/"+apiAccountID+"/test", "")
			var r response
			if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &r) != nil {
				t.Fatalf("got %d %s, want 200", resp.StatusCode, body)
			}
			if gotActor != apiKeyActor || gotID != apiAccountID {
				t.Errorf("the service tested %q as %+v, want the account as the API key", gotID, gotActor)
			}
			if r.OK != tc.report.OK() || r.Account["id"] != apiAccountID || r.Account["status"] != tc.status ||
				r.Account["last_tested_at"] != tested.UTC().Format(time.RFC3339Nano) || len(r.Stages) != len(tc.report.Stages) {
				t.Fatalf("got %s, want ok %t and the account %s as tested", body, tc.report.OK(), tc.status)
			}
			for i, st := range r.Stages {
				for _, f := range []string{"name", "status"} {
					if !slices.Contains(documented[f], st[f]) {
						t.Errorf("stage %s %v is not among web/openapi.json's %v", f, st[f], documented[f])
					}
				}
				if want := tc.report.Stages[i]; st["name"] != string(want.Name) || st["status"] != string(want.Status) ||
					st["duration_ms"] != float64(want.Duration.Milliseconds()) {
					t.Errorf("stage %d: got %v, want %+v", i, st, want)
				}
			}
			if !tc.report.OK() {
				failed := r.Stages[2]
				if failed["reason"] != linkhub.ReasonBadCredentials || failed["http_status"] != float64(401) ||
					failed["hint"] != "Check the client secret." || r.Account["status_reason"] != linkhub.ReasonBadCredentials {
					t.Errorf("failed stage %v of account %v, want the token stage's 401 and hint", failed, r.Account)
				}
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		t.Parallel()
		e := apiMockEnv(t)
		e.linking.TestAccountFn = func(context.Context, linkhub.Actor, string) (*linkhub.Account, linkhub.Report, error) {
			return nil, linkhub.Report{}, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such account.")
		}
		apiWantError(t, e, http.MethodPost, "/api/v1/accounts/00000000-0000-4000-8000-000000000000/test", "",
			http.StatusNotFound, linkhub.ENOTFOUND, "")
	})
	t.Run("ErrNoKey", func(t *testing.T) {
		t.Parallel()
		e := apiMockEnv(t) // the linking mock is unset: a call would panic
		for _, auth := range []string{"", "Bearer lh_nope"} {
			resp, body := apiSend(e, http.MethodPost, "/api/v1/accounts/"+apiAccountID+"/test", "", "Authorization", auth)
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), `"code":"unauthorized"`) {
				t.Errorf("auth %q: got %d %s, want a JSON 401", auth, resp.StatusCode, body)
			}
		}
	})
}

// schemaEnums returns the values web/openapi.json allows in each enum
// property of schema.
func schemaEnums(t *testing.T, schema string) map[string][]any {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum []any `json:"enum"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	b, err := os.ReadFile("openapi.json")
	if err != nil || json.Unmarshal(b, &doc) != nil {
		t.Fatalf("read openapi.json: %v", err)
	}
	out := map[string][]any{}
	for name, p := range doc.Components.Schemas[schema].Properties {
		if p.Enum != nil {
			out[name] = p.Enum
		}
	}
	return out
}
