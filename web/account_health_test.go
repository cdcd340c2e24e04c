package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// postAccountTest calls POST /api/v1/accounts/:id/test with key.
func (e *hubEnv) postAccountTest(t *testing.T, id, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/accounts/"+id+"/test", nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAPI_AccountTest(t *testing.T) {
	t.Parallel()
	e := MustHubEnv(t, web.HubLimits{})
	p := e.MustProfile(t, "jamf", "Jamf Pro", "get_version")
	a := &linkhub.Account{ProfileID: p.ID, OriginOwnerID: "owner-1", OriginOwnerName: "Owner One",
		Values: map[string]string{"url": e.jamf.URL, "client_id": e.jamf.ClientID}}
	if err := e.accounts.CreateAccount(context.Background(), a,
		map[string]secret.Value{"client_secret": secret.New(e.jamf.ClientSecret)}); err != nil {
		t.Fatal(err)
	}
	documented := schemaEnums(t, "TestStage")
	type response struct {
		OK      bool                 `json:"ok"`
		Account linkhub.EventAccount `json:"account"`
		Stages  []map[string]any     `json:"stages"`
	}
	test := func(t *testing.T) response {
		t.Helper()
		status, body := e.postAccountTest(t, a.ID, e.apiKey)
		if status != http.StatusOK {
			t.Fatalf("got %d %s, want 200", status, body)
		}
		if strings.Contains(body, e.jamf.ClientSecret) {
			t.Fatal("the report holds the client secret")
		}
		var r response
		if err := json.Unmarshal([]byte(body), &r); err != nil {
			t.Fatal(err)
		}
		for _, st := range r.Stages {
			for _, f := range []string{"name", "status"} {
				if !slices.Contains(documented[f], st[f]) {
					t.Errorf("stage %s %v is not among web/openapi.json's %v", f, st[f], documented[f])
				}
			}
		}
		return r
	}

	t.Run("OK", func(t *testing.T) {
		r := test(t)
		if !r.OK || r.Account.ID != a.ID || r.Account.Status != linkhub.AccountActive || r.Account.LastTestedAt == nil {
			t.Fatalf("got %+v", r)
		}
		var names []string
		for _, st := range r.Stages {
			names = append(names, st["name"].(string))
			if st["status"] != "passed" || st["duration_ms"] == nil {
				t.Errorf("stage %v", st)
			}
		}
		if got := strings.Join(names, ","); got != "validate,address,token,verify,permissions" {
			t.Errorf("stages %s", got)
		}
	})
	t.Run("CredentialsRejected", func(t *testing.T) {
		e.jamf.SetSecretRevoked(true)
		defer e.jamf.SetSecretRevoked(false)
		r := test(t)
		if r.OK || r.Account.Status != linkhub.AccountNeedsRelink || r.Account.StatusReason != linkhub.ReasonBadCredentials {
			t.Fatalf("got %+v, want needs_relink for bad_credentials", r.Account)
		}
		failed := r.Stages[len(r.Stages)-1]
		for _, st := range r.Stages {
			if st["status"] == "failed" {
				failed = st
			}
		}
		if failed["name"] != "token" || failed["reason"] != linkhub.ReasonBadCredentials || failed["http_status"] != float64(401) || failed["hint"] == "" {
			t.Fatalf("failed stage %v", failed)
		}
	})
	t.Run("DisabledKeepsItsStatus", func(t *testing.T) { // a result, not the 409 of enable
		if _, err := e.accounts.SetAccountStatus(context.Background(), linkhub.SystemActor, a.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
			t.Fatal(err)
		}
		if r := test(t); !r.OK || r.Account.Status != linkhub.AccountDisabled {
			t.Fatalf("got ok %t, status %s: want the test passed and the account still disabled", r.OK, r.Account.Status)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		status, body := e.postAccountTest(t, "00000000-0000-4000-8000-000000000000", e.apiKey)
		if status != http.StatusNotFound || !strings.Contains(body, `"code":"not_found"`) {
			t.Fatalf("got %d %s, want a JSON 404", status, body)
		}
	})
	t.Run("ErrNoKey", func(t *testing.T) {
		if status, _ := e.postAccountTest(t, a.ID, ""); status != http.StatusUnauthorized {
			t.Fatalf("got %d, want 401", status)
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
