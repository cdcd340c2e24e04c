package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// The ids of the host API tests' mock profile and account.
const (
	apiProfileID = "5a0c1d1e-0000-4000-8000-0000000000a1"
	apiAccountID = "8f9c1d1e-0000-4000-8000-000000000001"
)

// apiKeyActor is the actor the host API hands the services for withAPIKey's key.
var apiKeyActor = linkhub.Actor{Kind: "api_key", ID: "key-1", Label: "host", IP: "127.0.0.1"}

// apiMockEnv is the mock env with the lh_test API key.
func apiMockEnv(t *testing.T) *mockEnv {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	e.withAPIKey()
	return e
}

// apiMockAccount is a linked Jamf Pro account of owner-1 as the account
// service returns it; its times are in CET, which the API must give in UTC.
func apiMockAccount() *linkhub.Account {
	at := time.Date(2030, 1, 2, 4, 5, 6, 0, time.FixedZone("CET", 3600))
	return &linkhub.Account{ID: apiAccountID, ProfileID: apiProfileID, ConnectorID: "jamf", OriginOwnerID: "owner-1",
		OriginOwnerName: "Owner One", Label: "Macs of owner-1", Status: linkhub.AccountActive,
		Values: map[string]string{"url": "https://acme.jamfcloud.com", "client_id": "cid-1"}, CredentialVersion: 1,
		CreatedAt: at, UpdatedAt: at}
}

// apiFindAccount makes a the only account the account service finds.
func apiFindAccount(e *mockEnv, a *linkhub.Account) {
	e.accounts.FindAccountByIDFn = func(_ context.Context, id string) (*linkhub.Account, error) {
		if id != a.ID {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such account.")
		}
		c := *a
		return &c, nil
	}
}

// apiWantError checks a host API error answer: status, code, a message and,
// when given, the field. It returns the error object.
func apiWantError(t *testing.T, e *mockEnv, method, path, body string, status int, code, field string) map[string]any {
	t.Helper()
	resp, raw := apiSend(e, method, path, body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	er := apiError(out)
	if resp.StatusCode != status || er == nil || er["code"] != code || er["field"] != nilIfEmpty(field) || er["message"] == "" {
		t.Errorf("%s %s: got %d %s, want %d %s (field %q)", method, path, resp.StatusCode, raw, status, code, field)
	}
	return er
}

// nilIfEmpty is how an absent JSON string decodes: nil for "".
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestAPI_Catalog: GET /api/v1/connectors lists the registry's connectors
// with their fields and actions; GET /api/v1/profiles lists what the
// profile service finds, saying of each secret field only whether it is set.
func TestAPI_Catalog(t *testing.T) {
	t.Parallel()
	e := apiMockEnv(t)
	shared := &linkhub.Profile{ID: "p-sophos", ConnectorID: "sophos", Name: "Sophos shared", Enabled: true,
		Actions: []string{"list_endpoints"}, Values: map[string]string{"client_id": "sophos-client"},
		StoredSecrets: []string{"client_secret"}, SecretMasks: map[string]string{"client_secret": "so••••et"}}
	own := &linkhub.Profile{ID: "p-jamf", ConnectorID: "jamf", Name: "Jamf", Enabled: true, Actions: []string{"list_computers"}}
	e.hidden = append(e.hidden, "so••••et")
	var gotFilter *linkhub.ProfileFilter
	e.profiles.FindProfilesFn = func(_ context.Context, f linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
		gotFilter = &f
		return []*linkhub.Profile{shared, own}, nil
	}

	status, out := e.api(http.MethodGet, "/api/v1/connectors", "")
	list, _ := out["connectors"].([]any)
	if want := len(connector.NewRegistry(connector.Config{}).All()); status != http.StatusOK || len(list) != want {
		t.Fatalf("connectors: got %d %v, want 200 and %d", status, out, want)
	}
	jamf := list[slices.IndexFunc(list, func(c any) bool { return c.(map[string]any)["id"] == "jamf" })].(map[string]any)
	if jamf["auth_type"] != linkhub.AuthOAuth2ClientCredentials || len(jamf["actions"].([]any)) == 0 {
		t.Errorf("jamf: got %v", jamf)
	}
	var secretField map[string]any
	for _, f := range jamf["fields"].([]any) {
		if f := f.(map[string]any); f["id"] == "client_secret" {
			secretField = f
		}
	}
	if secretField == nil || secretField["secret"] != true || secretField["scope"] != "account" || secretField["kind"] != "secret" {
		t.Errorf("jamf client_secret field: got %v", secretField)
	}
	act := jamf["actions"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "name", "description", "method", "path", "privilege"} {
		if act[k] == "" || act[k] == nil {
			t.Errorf("action %v: no %s", act, k)
		}
	}

	status, out = e.api(http.MethodGet, "/api/v1/profiles", "")
	profiles := map[string]map[string]any{}
	for _, p := range out["profiles"].([]any) {
		p := p.(map[string]any)
		profiles[p["id"].(string)] = p
	}
	if status != http.StatusOK || len(profiles) != 2 || gotFilter == nil || !reflect.DeepEqual(*gotFilter, linkhub.ProfileFilter{}) {
		t.Fatalf("profiles: got %d %v from filter %+v, want both profiles of an unfiltered list", status, out, gotFilter)
	}
	sp, jp := profiles[shared.ID], profiles[own.ID]
	if sp["values"].(map[string]any)["client_id"] != "sophos-client" ||
		sp["secrets"].(map[string]any)["client_secret"].(map[string]any)["set"] != true {
		t.Errorf("shared profile: got %v, want its client id and client_secret set", sp)
	}
	if jp["secrets"].(map[string]any)["client_secret"].(map[string]any)["set"] != false ||
		!slices.Equal(toStrings(jp["actions"]), []string{"list_computers"}) || jp["connector"] != "jamf" || jp["enabled"] != true ||
		jp["featured"] != false {
		t.Errorf("jamf profile: got %v", jp)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// TestAPI_AccountList: GET /api/v1/accounts turns its query into the
// account service's filter (50 a page unless limit says otherwise), lists
// what the service finds with its next cursor, and refuses a bad parameter
// with a 400 naming it without asking the service; the service's refusal
// of a cursor names the cursor. Filtering and paging themselves are the
// service's (internal/postgres TestAccountService_FindAccounts,
// TestAccountService_FindAccountsOddFilters).
func TestAPI_AccountList(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	t.Run("Filters", func(t *testing.T) {
		t.Parallel()
		e := apiMockEnv(t)
		var got linkhub.AccountFilter
		e.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
			got = f
			return []*linkhub.Account{apiMockAccount()}, "", nil
		}
		for q, want := range map[string]linkhub.AccountFilter{
			"":                                  {Limit: 50},
			"?origin_owner_id=o1":               {OriginOwnerID: str("o1"), Limit: 50},
			"?status=needs_relink":              {Status: str(linkhub.AccountNeedsRelink), Limit: 50},
			"?connector=sophos":                 {ConnectorID: str("sophos"), Limit: 50},
			"?profile_id=" + apiProfileID:       {ProfileID: str(apiProfileID), Limit: 50},
			"?origin_owner_id=o1&status=active": {OriginOwnerID: str("o1"), Status: str(linkhub.AccountActive), Limit: 50},
			"?profile_id=not-a-uuid":            {ProfileID: str("not-a-uuid"), Limit: 50},
			"?origin_owner_id=o%00":             {OriginOwnerID: str("o\x00"), Limit: 50},
			"?origin_owner_id=o%ff":             {OriginOwnerID: str("o\xff"), Limit: 50},
			"?limit=500&cursor=c-2":             {Cursor: "c-2", Limit: 500},
		} {
			status, out := e.api(http.MethodGet, "/api/v1/accounts"+q, "")
			list, _ := out["accounts"].([]any)
			if status != http.StatusOK || len(list) != 1 || list[0].(map[string]any)["id"] != apiAccountID || out["next_cursor"] != nil {
				t.Errorf("%q: got %d %v, want the service's account and no next cursor", q, status, out)
			}
			if apiFilterString(got) != apiFilterString(want) {
				t.Errorf("%q: the service got %s, want %s", q, apiFilterString(got), apiFilterString(want))
			}
		}
	})
	t.Run("Pages", func(t *testing.T) {
		t.Parallel()
		e := apiMockEnv(t)
		second := apiMockAccount()
		second.ID = "8f9c1d1e-0000-4000-8000-000000000002"
		e.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
			switch f.Cursor {
			case "":
				return []*linkhub.Account{apiMockAccount()}, "MTIz:next/+=", nil
			case "MTIz:next/+=":
				return []*linkhub.Account{second}, "", nil
			}
			return nil, "", linkhub.Errorf(linkhub.EINVALID, "The cursor is not valid.")
		}
		_, out := e.api(http.MethodGet, "/api/v1/accounts?limit=1", "")
		next, _ := out["next_cursor"].(string)
		if list, _ := out["accounts"].([]any); len(list) != 1 || next != "MTIz:next/+=" {
			t.Fatalf("first page: got %v, want one account and the service's cursor", out)
		}
		_, out = e.api(http.MethodGet, "/api/v1/accounts?limit=1&cursor="+url.QueryEscape(next), "")
		if list, _ := out["accounts"].([]any); len(list) != 1 || list[0].(map[string]any)["id"] != second.ID || out["next_cursor"] != nil {
			t.Errorf("last page: got %v, want the second account and next_cursor null", out)
		}
		e.accounts.FindAccountsFn = func(context.Context, linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
			return nil, "", nil
		}
		if _, out := e.api(http.MethodGet, "/api/v1/accounts", ""); out["accounts"] == nil || len(out["accounts"].([]any)) != 0 {
			t.Errorf("no accounts: got %v, want accounts []", out)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		t.Parallel()
		e := apiMockEnv(t)
		var calls atomic.Int32
		e.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
			calls.Add(1)
			return nil, "", linkhub.Errorf(linkhub.EINVALID, "The cursor is not valid.")
		}
		for q, field := range map[string]string{
			"?status=gone":            "status",
			"?limit=0":                "limit",
			"?limit=501":              "limit",
			"?limit=ten":              "limit",
			"?connector=acme":         "connector",
			"?owner=o1":               "owner",
			"?origin_owner_id=o1&x=1": "x",
		} {
			apiWantError(t, e, http.MethodGet, "/api/v1/accounts"+q, "", http.StatusBadRequest, linkhub.EINVALID, field)
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("the service was asked %d times, want 0 for bad parameters", n)
		}
		er := apiWantError(t, e, http.MethodGet, "/api/v1/accounts?cursor=bm9wZQ", "", http.StatusBadRequest, linkhub.EINVALID, "cursor")
		if msg, _ := er["message"].(string); !strings.Contains(msg, "next_cursor") {
			t.Errorf("bad cursor: got %q, want it to say to pass next_cursor unchanged", msg)
		}
	})
}

// apiFilterString shows a filter with its pointers' values.
func apiFilterString(f linkhub.AccountFilter) string {
	v := func(p *string) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%q", *p)
	}
	return fmt.Sprintf("{id %s owner %s status %s connector %s profile %s search %s cursor %q limit %d}", v(f.ID),
		v(f.OriginOwnerID), v(f.Status), v(f.ConnectorID), v(f.ProfileID), v(f.Search), f.Cursor, f.Limit)
}

// TestAPI_AccountChanges: GET /api/v1/accounts/:id shows the service's
// account (times in UTC, never a secret); disable, enable and DELETE ask
// the service as the API key, so that the audit names it, and show its
// answer: the account, 204, or its error (404 for an unknown id, 409 with
// its message when the profile is disabled); an id that is not a UUID is a
// 404 the service never sees. The status rules and the audit
// rows are the service's (internal/postgres
// TestAccountService_EnableUnderDisabledProfile, TestAccountService_AuditByAPIKey).
func TestAPI_AccountChanges(t *testing.T) {
	t.Parallel()
	e := apiMockEnv(t)
	acc := apiMockAccount()
	apiFindAccount(e, acc)
	path := "/api/v1/accounts/" + acc.ID

	status, out := e.api(http.MethodGet, path, "")
	if status != http.StatusOK || out["id"] != acc.ID || out["origin_owner_id"] != "owner-1" || out["connector"] != "jamf" ||
		out["status"] != "active" || out["values"].(map[string]any)["url"] != "https://acme.jamfcloud.com" ||
		out["identity"] != "https://acme.jamfcloud.com" || out["last_tested_at"] != nil || out["profile_id"] != apiProfileID {
		t.Fatalf("get: got %d %v", status, out)
	}
	if out["created_at"] != "2030-01-02T03:05:06Z" || out["updated_at"] != "2030-01-02T03:05:06Z" {
		t.Errorf("created_at, updated_at: got %v, %v, want RFC 3339 in UTC", out["created_at"], out["updated_at"])
	}

	type change struct {
		actor          linkhub.Actor
		id, st, reason string
	}
	var got []change
	e.accounts.SetAccountStatusFn = func(_ context.Context, actor linkhub.Actor, id, st, reason string) (*linkhub.Account, error) {
		got = append(got, change{actor, id, st, reason})
		if id != acc.ID {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no such account.")
		}
		if st == linkhub.AccountActive && len(got) > 2 {
			return nil, linkhub.Errorf(linkhub.ECONFLICT, "The profile “Jamf Pro” of this account is disabled: enable the profile first, then the account.")
		}
		a := apiMockAccount()
		a.Status, a.StatusReason = st, reason
		return a, nil
	}
	var deleted []change
	e.accounts.DeleteAccountFn = func(_ context.Context, actor linkhub.Actor, id string) error {
		deleted = append(deleted, change{actor: actor, id: id})
		return nil
	}
	for _, bad := range []string{"not-a-uuid", "00000000-0000-4000-8000-000000000000", "%27%3B--"} {
		apiWantError(t, e, http.MethodGet, "/api/v1/accounts/"+bad, "", http.StatusNotFound, linkhub.ENOTFOUND, "")
		apiWantError(t, e, http.MethodPost, "/api/v1/accounts/"+bad+"/disable", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
		apiWantError(t, e, http.MethodDelete, "/api/v1/accounts/"+bad, "", http.StatusNotFound, linkhub.ENOTFOUND, "")
	}
	// Only the well-formed id reaches the service: the others name no account.
	if len(deleted) != 0 || len(got) != 1 || got[0].id != "00000000-0000-4000-8000-000000000000" {
		t.Fatalf("unknown ids: got changes %+v, deletes %+v, want the unknown UUID asked about and no delete", got, deleted)
	}
	got = nil

	if status, out := e.api(http.MethodPost, path+"/disable", ""); status != http.StatusOK || out["status"] != "disabled" ||
		out["status_reason"] != "disabled_by_admin" || out["id"] != acc.ID {
		t.Errorf("disable: got %d %v", status, out)
	}
	if status, out := e.api(http.MethodPost, path+"/enable", ""); status != http.StatusOK || out["status"] != "active" {
		t.Errorf("enable: got %d %v", status, out)
	}
	er := apiWantError(t, e, http.MethodPost, path+"/enable", "", http.StatusConflict, linkhub.ECONFLICT, "")
	if msg, _ := er["message"].(string); !strings.Contains(msg, "Jamf Pro") || !strings.Contains(msg, "enable the profile") {
		t.Errorf("enable under a disabled profile: got %q, want the service's message naming the profile", msg)
	}
	want := []change{{apiKeyActor, acc.ID, linkhub.AccountDisabled, "disabled_by_admin"}, {apiKeyActor, acc.ID, linkhub.AccountActive, ""},
		{apiKeyActor, acc.ID, linkhub.AccountActive, ""}}
	if !slices.Equal(got, want) {
		t.Errorf("the service got %+v, want %+v", got, want)
	}

	if resp, body := apiSend(e, http.MethodDelete, path, ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Errorf("delete: got %d %q, want 204", resp.StatusCode, body)
	}
	if !slices.Equal(deleted, []change{{actor: apiKeyActor, id: acc.ID}}) {
		t.Errorf("the service deleted %+v, want the account as the API key", deleted)
	}
}
