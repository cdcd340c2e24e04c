package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
)

func TestAPI_Catalog(t *testing.T) {
	a := newAPIClient(t)
	shared, _ := a.sophosAccount("owner-s")
	own := a.MustProfile(t, "jamf", "Jamf", "list_computers")

	status, out := a.json(http.MethodGet, "/api/v1/connectors", "")
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

	status, out = a.json(http.MethodGet, "/api/v1/profiles", "")
	profiles := map[string]map[string]any{}
	for _, p := range out["profiles"].([]any) {
		p := p.(map[string]any)
		profiles[p["id"].(string)] = p
	}
	if status != http.StatusOK || len(profiles) != 2 {
		t.Fatalf("profiles: got %d %v", status, out)
	}
	sp, jp := profiles[shared.ID], profiles[own.ID]
	if sp["values"].(map[string]any)["client_id"] != a.sophos.ClientID ||
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

func TestAPI_AccountList(t *testing.T) {
	a := newAPIClient(t)
	ctx := context.Background()
	p1 := a.MustProfile(t, "jamf", "Jamf one")
	p2 := a.MustProfile(t, "jamf", "Jamf two")
	var all []string
	for i, owner := range []string{"o1", "o2", "o1", "o3", "o1"} {
		p := p1
		if i == 3 {
			p = p2
		}
		acc := a.jamfAccount(p, owner, a.jamf.ClientSecret)
		all = append([]string{acc.ID}, all...) // newest first
	}
	if _, err := a.accounts.SetAccountStatus(ctx, linkhub.SystemActor, all[0], linkhub.AccountNeedsRelink, linkhub.ReasonBadCredentials); err != nil {
		t.Fatal(err)
	}
	_, s := a.sophosAccount("o4")
	all = append([]string{s.ID}, all...)

	ids := func(q string) ([]string, any) {
		t.Helper()
		status, out := a.json(http.MethodGet, "/api/v1/accounts"+q, "")
		if status != http.StatusOK {
			t.Fatalf("list %s: got %d %v", q, status, out)
		}
		var got []string
		for _, acc := range out["accounts"].([]any) {
			got = append(got, acc.(map[string]any)["id"].(string))
		}
		return got, out["next_cursor"]
	}
	t.Run("Filters", func(t *testing.T) {
		for q, want := range map[string][]string{
			"":                                  all,
			"?origin_owner_id=o1":               {all[1], all[3], all[5]},
			"?status=needs_relink":              {all[1]},
			"?connector=sophos":                 {all[0]},
			"?profile_id=" + p2.ID:              {all[2]},
			"?origin_owner_id=o1&status=active": {all[3], all[5]},
			"?origin_owner_id=nobody":           nil,
			"?profile_id=not-a-uuid":            nil,
			"?origin_owner_id=o%00":             nil, // no account can hold NUL or invalid UTF-8
			"?origin_owner_id=o%ff":             nil,
		} {
			if got, next := ids(q); !slices.Equal(got, want) || next != nil {
				t.Errorf("%q: got %v (next %v), want %v", q, got, next, want)
			}
		}
	})
	t.Run("Pages", func(t *testing.T) {
		var got []string
		q, pages := "?limit=2", 0
		for {
			page, next := ids(q)
			pages++
			got = append(got, page...)
			if next == nil {
				break
			}
			q = "?limit=2&cursor=" + url.QueryEscape(next.(string))
		}
		if !slices.Equal(got, all) || pages != 3 {
			t.Errorf("got %v in %d pages, want %v in 3", got, pages, all)
		}
		page, next := ids("?origin_owner_id=o1&limit=2")
		rest, last := ids("?origin_owner_id=o1&limit=2&cursor=" + url.QueryEscape(next.(string)))
		if got := append(page, rest...); !slices.Equal(got, []string{all[1], all[3], all[5]}) || last != nil {
			t.Errorf("filtered pages: got %v", got)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		for q, field := range map[string]string{
			"?status=gone":            "status",
			"?limit=0":                "limit",
			"?limit=501":              "limit",
			"?limit=ten":              "limit",
			"?cursor=bm9wZQ":          "cursor",
			"?cursor=%25%25":          "cursor",
			"?connector=acme":         "connector",
			"?owner=o1":               "owner",
			"?origin_owner_id=o1&x=1": "x",
		} {
			a.wantError(http.MethodGet, "/api/v1/accounts"+q, "", http.StatusBadRequest, linkhub.EINVALID, field)
		}
	})
}

func TestAPI_AccountChanges(t *testing.T) {
	a := newAPIClient(t)
	ctx := context.Background()
	p := a.MustProfile(t, "jamf", "Jamf Pro")
	acc := a.jamfAccount(p, "owner-1", a.jamf.ClientSecret)
	other := a.jamfAccount(p, "owner-2", a.jamf.ClientSecret)
	path := "/api/v1/accounts/" + acc.ID

	status, out := a.json(http.MethodGet, path, "")
	if status != http.StatusOK || out["id"] != acc.ID || out["origin_owner_id"] != "owner-1" || out["connector"] != "jamf" ||
		out["status"] != "active" || out["values"].(map[string]any)["url"] != a.jamf.URL || out["last_tested_at"] != nil {
		t.Fatalf("get: got %d %v", status, out)
	}
	created, err := time.Parse(time.RFC3339, out["created_at"].(string))
	if err != nil || !strings.HasSuffix(out["created_at"].(string), "Z") || time.Since(created) > time.Minute {
		t.Errorf("created_at: got %v, want RFC 3339 in UTC", out["created_at"])
	}
	for _, bad := range []string{"not-a-uuid", "00000000-0000-4000-8000-000000000000", "%27%3B--"} {
		a.wantError(http.MethodGet, "/api/v1/accounts/"+bad, "", http.StatusNotFound, linkhub.ENOTFOUND, "")
		a.wantError(http.MethodPost, "/api/v1/accounts/"+bad+"/disable", "", http.StatusNotFound, linkhub.ENOTFOUND, "")
		a.wantError(http.MethodDelete, "/api/v1/accounts/"+bad, "", http.StatusNotFound, linkhub.ENOTFOUND, "")
	}

	if status, out := a.json(http.MethodPost, path+"/disable", ""); status != http.StatusOK || out["status"] != "disabled" {
		t.Errorf("disable: got %d %v", status, out)
	}
	if status, out := a.json(http.MethodPost, path+"/enable", ""); status != http.StatusOK || out["status"] != "active" {
		t.Errorf("enable: got %d %v", status, out)
	}
	off := false
	if _, err := a.profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	e := a.wantError(http.MethodPost, path+"/enable", "", http.StatusConflict, linkhub.ECONFLICT, "")
	if msg, _ := e["message"].(string); !strings.Contains(msg, "Jamf Pro") || !strings.Contains(msg, "enable the profile") {
		t.Errorf("enable under a disabled profile: got %q, want it to name the profile", msg)
	}
	if got, _ := a.accounts.FindAccountByID(ctx, acc.ID); got.Status != linkhub.AccountInactive {
		t.Errorf("after the refused enable: got %q, want inactive (unchanged)", got.Status)
	}

	if resp, body := a.do(http.MethodDelete, path, ""); resp.StatusCode != http.StatusNoContent || len(body) != 0 {
		t.Errorf("delete: got %d %q, want 204", resp.StatusCode, body)
	}
	a.wantError(http.MethodGet, path, "", http.StatusNotFound, linkhub.ENOTFOUND, "")
	if _, err := a.accounts.FindAccountByID(ctx, other.ID); err != nil {
		t.Errorf("the other account: %v", err)
	}

	entries, _, err := a.audit.FindAuditEntries(ctx, linkhub.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range entries {
		if en.TargetID != acc.ID {
			continue
		}
		got = append(got, en.Action)
		if en.Actor.Kind != "api_key" || en.Actor.ID != a.apiKeyID || en.Actor.Label != "host" || en.Details["owner"] != "owner-1" {
			t.Errorf("audit %s: got actor %+v details %v, want the API key", en.Action, en.Actor, en.Details)
		}
	}
	want := []string{linkhub.ActionAccountDeleted, linkhub.ActionAccountEnabled, linkhub.ActionAccountDisabled} // newest first
	if !slices.Equal(got, want) {
		t.Errorf("audit: got %v, want %v", got, want)
	}
}
