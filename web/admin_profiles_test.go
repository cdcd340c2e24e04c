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
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/connector/kit"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// vendorEnv is the whole server with connectors pointed at fake vendors and
// a signed-in admin.
type vendorEnv struct {
	*adminEnv
	jamf   *fake.Jamf
	sophos *fake.Sophos
	b      *browser
}

func newVendorEnv(t *testing.T) *vendorEnv {
	t.Helper()
	j, s := fake.NewJamf(t), fake.NewSophos(t)
	cfg := fake.Config(5*time.Second, j.Server.Server, s.Server.Server)
	cfg.Hosts = kit.Hosts{Definitions: map[string]map[string]string{"sophos": {"id": s.URL, "api": s.URL}}}
	env := newAdminEnvWith(t, cfg)
	env.pageSecrets = append(env.pageSecrets, j.ClientSecret, s.ClientSecret)
	env.secrets = append(env.secrets, j.ClientSecret, s.ClientSecret)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")
	return &vendorEnv{adminEnv: env, jamf: j, sophos: s, b: b}
}

// createProfile posts the new-profile form and returns the new id.
func (e *vendorEnv) createProfile(form url.Values) string {
	e.t.Helper()
	resp, doc := e.b.post("/admin/profiles", form)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/profiles/") {
		h, _ := doc.Find("main").Html()
		e.t.Fatalf("create profile: got %d to %q:\n%s", resp.StatusCode, loc, h)
	}
	return strings.TrimPrefix(loc, "/admin/profiles/")
}

func (e *vendorEnv) jamfForm(name string) url.Values {
	return url.Values{"connector": {"jamf"}, "name": {name}, "field.url": {e.jamf.URL},
		"field.client_id": {e.jamf.ClientID}, "field.client_secret": {e.jamf.ClientSecret},
		"actions": {"list_computers", "get_version"}}
}

func TestAdmin_Profiles(t *testing.T) {
	t.Parallel()
	e := newVendorEnv(t)
	ctx := context.Background()

	if _, doc := e.b.get("/admin/profiles"); doc.Find(`[data-testid="empty-profiles"]`).Length() != 1 {
		t.Error("no empty state")
	}
	if resp, _ := e.b.get("/admin"); resp.Header.Get("Location") != "/admin/profiles" {
		t.Errorf("/admin: got %q, want /admin/profiles", resp.Header.Get("Location"))
	}
	_, doc := e.b.get("/admin/profiles/new")
	for _, c := range connector.NewRegistry(connector.Config{}).All() { // Go connectors and definitions alike
		if id := c.Spec().ID; doc.Find(`[data-testid="pick-`+id+`"] img`).Length() != 1 {
			t.Errorf("catalogue: no %s with its logo", id)
		}
	}
	_, doc = e.b.get("/admin/profiles/new?connector=sophos")
	if doc.Find(`[data-testid="admin-guide"] h3`).Length() == 0 || doc.Find(`[data-testid="shared"] #field-client_secret`).Length() != 1 {
		t.Error("new Sophos profile: no admin guide or shared credentials")
	}
	// The defaults fit every credential: a tenant's cannot list tenants.
	if doc.Find(`[data-testid="action-list_endpoints"][checked]`).Length() != 1 || doc.Find(`[data-testid="action-list_tenants"][checked]`).Length() != 0 {
		t.Error("new Sophos profile: want List endpoints ticked and List tenants (partner or organization credentials only) not")
	}

	t.Run("Validation", func(t *testing.T) {
		resp, doc := e.b.post("/admin/profiles", url.Values{"connector": {"sophos"}, "name": {" "}, "field.client_id": {"not-a-uuid"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("got %d, want 422", resp.StatusCode)
		}
		for _, id := range []string{"name-error", "field-client_id-error", "actions-error"} {
			if doc.Find(`[data-testid="`+id+`"]`).Text() == "" {
				t.Errorf("no %s", id)
			}
		}
		resp, doc = e.b.post("/admin/profiles", url.Values{"connector": {"jamf"}, "name": {"J"}, "field.url": {"ftp://x"}, "actions": {"get_version"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="field-url-error"]`).Text() == "" {
			t.Errorf("bad url: got %d", resp.StatusCode)
		}
	})

	jamfID := e.createProfile(e.jamfForm("Jamf Pro"))
	sophosID := e.createProfile(url.Values{"connector": {"sophos"}, "name": {"Sophos Central"}, "is_default": {"on"},
		"field.client_id": {e.sophos.ClientID}, "field.client_secret": {e.sophos.ClientSecret}, "actions": {"list_endpoints"}})

	t.Run("List", func(t *testing.T) {
		_, doc := e.b.get("/admin/profiles")
		if n := doc.Find(`[data-testid="profile-row"]`).Length(); n != 2 {
			t.Errorf("got %d rows, want 2", n)
		}
		row := doc.Find(`[data-testid="profile-row"][data-id="` + sophosID + `"]`)
		if row.Find("img").Length() != 1 || !strings.Contains(row.Text(), "Default") || strings.TrimSpace(row.Find(`[data-testid="profile-accounts"]`).Text()) != "0" {
			t.Errorf("Sophos row: %q", row.Text())
		}
	})

	t.Run("EditKeepsSecret", func(t *testing.T) {
		_, doc := e.b.get("/admin/profiles/" + jamfID)
		ph, _ := doc.Find(`#field-client_secret`).Attr("placeholder")
		val, _ := doc.Find(`#field-client_secret`).Attr("value")
		if mask := secret.New(e.jamf.ClientSecret).Mask(); !strings.Contains(ph, mask) || val != "" {
			t.Errorf("secret field: placeholder %q value %q, want the mask %q and no value", ph, val, mask)
		}
		f := e.jamfForm("Jamf Pro EU")
		f.Set("field.client_secret", "")
		if resp, _ := e.b.post("/admin/profiles/"+jamfID, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: got %d", resp.StatusCode)
		}
		secrets, err := e.profiles.FindProfileSecrets(ctx, jamfID)
		if err != nil || secrets["client_secret"].Reveal() != e.jamf.ClientSecret {
			t.Errorf("blank secret did not keep the stored one (%v)", err)
		}
		p, _ := e.profiles.FindProfileByID(ctx, jamfID)
		if p.Name != "Jamf Pro EU" || !slices.Equal(p.Actions, []string{"list_computers", "get_version"}) {
			t.Errorf("edited profile: %+v", p)
		}
	})

	t.Run("DuplicateName", func(t *testing.T) {
		f := e.jamfForm("jamf pro eu")
		f.Set("name", "Jamf Pro EU")
		resp, doc := e.b.post("/admin/profiles", f)
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="name-error"]`).Text() == "" {
			t.Errorf("duplicate name: got %d, error %q", resp.StatusCode, doc.Find(`[data-testid="name-error"]`).Text())
		}
	})

	t.Run("TestWithoutCredentials", func(t *testing.T) {
		id := e.createProfile(url.Values{"connector": {"ninjaone"}, "name": {"NinjaOne"}, "actions": {"list_organizations"}})
		if _, doc := e.b.get("/admin/profiles/" + id); doc.Find(`[data-testid="test-profile"]`).Length() != 0 {
			t.Error("a Test button on a profile without credentials")
		}
		if resp, _ := e.b.post("/admin/profiles/"+id+"/test", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("test without credentials: got %d, want a redirect with a flash", resp.StatusCode)
		}
	})

	t.Run("Test", func(t *testing.T) {
		for _, id := range []string{jamfID, sophosID} {
			_, doc := e.b.post("/admin/profiles/"+id+"/test", nil)
			if doc.Find(`[data-testid="test-ok"]`).Length() != 1 || doc.Find(`[data-stage="token"][data-status="passed"]`).Length() != 1 {
				h, _ := doc.Find("main").Html()
				t.Errorf("test of %s: not passed:\n%s", id, h)
			}
		}
		wrong := "wrong-secret-0123456789"
		e.pageSecrets = append(e.pageSecrets, wrong)
		f := e.jamfForm("Jamf Pro EU")
		f.Set("field.client_secret", wrong)
		if resp, _ := e.b.post("/admin/profiles/"+jamfID, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: got %d", resp.StatusCode)
		}
		_, doc := e.b.post("/admin/profiles/"+jamfID+"/test", nil)
		if doc.Find(`[data-testid="test-failed"]`).Length() != 1 || doc.Find(`[data-stage="token"][data-status="failed"]`).Length() != 1 {
			t.Error("wrong secret: no failed token stage")
		}
	})

	t.Run("TestShowsAdminHint", func(t *testing.T) {
		// A tenant credential under a profile that enables List tenants: the
		// admin reads the fix only they can make.
		id := e.createProfile(url.Values{"connector": {"sophos"}, "name": {"Sophos tenants"},
			"field.client_id": {e.sophos.ClientID}, "field.client_secret": {e.sophos.ClientSecret},
			"actions": {"list_endpoints", "list_tenants"}})
		_, doc := e.b.post("/admin/profiles/"+id+"/test", nil)
		if got := doc.Find(`[data-testid="test-admin-hint"]`).Text(); !strings.Contains(got, "List tenants") || !strings.Contains(got, "turn it off on the profile") {
			t.Errorf("got admin hint %q, want the profile fix naming List tenants", got)
		}
	})

	t.Run("DisableEnable", func(t *testing.T) {
		e.b.post("/admin/profiles/"+sophosID+"/disable", nil)
		if p, _ := e.profiles.FindProfileByID(ctx, sophosID); p.Enabled {
			t.Error("still enabled")
		}
		e.b.post("/admin/profiles/"+sophosID+"/enable", nil)
		if p, _ := e.profiles.FindProfileByID(ctx, sophosID); !p.Enabled {
			t.Error("still disabled")
		}
	})

	t.Run("Delete", func(t *testing.T) {
		a := &linkhub.Account{ProfileID: jamfID, OriginOwnerID: "user-1", Values: map[string]string{"url": e.jamf.URL}}
		if err := e.accounts.CreateAccount(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
		_, doc := e.b.get("/admin/profiles/" + jamfID + "/delete")
		if doc.Find(`[data-testid="cascade"]`).Length() != 1 {
			t.Error("no cascade checkbox")
		}
		resp, doc := e.b.post("/admin/profiles/"+jamfID+"/delete", nil)
		if resp.StatusCode != http.StatusConflict || doc.Find(`[data-testid="form-error"]`).Text() == "" {
			t.Errorf("delete in use: got %d", resp.StatusCode)
		}
		if resp, _ := e.b.post("/admin/profiles/"+jamfID+"/delete", url.Values{"cascade": {"on"}}); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("cascade delete: got %d", resp.StatusCode)
		}
		if _, err := e.accounts.FindAccountByID(ctx, a.ID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("account after cascade: %v", err)
		}
		if _, err := e.profiles.FindProfileByID(ctx, jamfID); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
			t.Errorf("profile after delete: %v", err)
		}
	})

	t.Run("CrossOrigin", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/admin/profiles/"+sophosID+"/disable", nil)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if resp, _ := e.b.do(req); resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin: got %d", resp.StatusCode)
		}
		if p, _ := e.profiles.FindProfileByID(ctx, sophosID); !p.Enabled {
			t.Error("the cross-origin post disabled the profile")
		}
	})

	t.Run("Audit", func(t *testing.T) {
		got := e.auditActions()
		for _, want := range []string{"profile.created", "profile.updated", "profile.tested", "profile.disabled", "profile.enabled", "profile.deleted"} {
			if !slices.Contains(got, want) {
				t.Errorf("audit log %v lacks %s", got, want)
			}
		}
		var details string
		_ = e.db.Pool.QueryRow(ctx, `SELECT string_agg(details::text, ' ') FROM audit_log`).Scan(&details)
		for _, s := range e.pageSecrets {
			if strings.Contains(details, s) {
				t.Errorf("the audit log holds the secret %q", s)
			}
		}
	})
}
