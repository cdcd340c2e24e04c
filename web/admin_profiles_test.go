package web_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/web"
)

// The console's profile pages on mocks: the form as parsed into the
// service's profile, the service's problems beside their inputs, the test
// report, and the admin as the actor of every change. The rules are the
// services': internal/postgres TestProfileService_ConnectorRules (the form's
// rules, a blank secret keeps the stored one), TestProfileService_Create and
// _Update (a taken name in any case, kept secrets), TestProfileService_Delete
// (in use, cascade), TestProfileService_DisableMakesAccountsInactive and
// TestAudit_AdminChanges (the audit, without secrets); internal/linking
// TestService_AdminTests (nothing to test, a passed test, its audit); the
// vendors' answers in internal/connector/engine TestJamf_Test/ErrWrongSecret
// and TestSophos_Test/ErrTenantCannotListTenants (the admin hint).

// The ids of the profile tests: paths take UUIDs only.
const (
	admbProfileID = "8f9c1d1e-0000-4000-8000-0000000000b1"
	admbSophosID  = "8f9c1d1e-0000-4000-8000-0000000000b2"
)

// admbJamfSecret is the Jamf Pro client secret of the profile tests; no page
// or log line may show it.
const admbJamfSecret = "jamf-secret-0123456789"

// admbJamfProfile is a Jamf Pro profile as the profile service gives it:
// its secret stored, and shown only masked.
func admbJamfProfile() *linkhub.Profile {
	return &linkhub.Profile{ID: admbProfileID, ConnectorID: "jamf", Name: "Jamf Pro", Enabled: true,
		Actions: []string{"list_computers", "get_version"}, StoredSecrets: []string{"client_secret"},
		Values:      map[string]string{"url": "https://acme.jamfcloud.com", "client_id": "cid-1"},
		SecretMasks: map[string]string{"client_secret": secret.New(admbJamfSecret).Mask()},
		CreatedAt:   time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
}

// admbProfileEnv is the mock env with an admin signed in whose profile
// service knows p (any other id is not found).
func admbProfileEnv(t *testing.T, p *linkhub.Profile) (*mockEnv, *linkhub.Admin) {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	e.hidden = append(e.hidden, admbJamfSecret)
	admin := e.signIn()
	e.profiles.FindProfileByIDFn = func(_ context.Context, id string) (*linkhub.Profile, error) {
		if id != p.ID {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
		}
		return p.Clone(), nil
	}
	return e, admin
}

// TestAdminProfiles_Catalogue: /admin opens on the profiles, an empty list
// says so, the catalogue offers every connector with its logo, and a new
// Sophos form has its admin guide, the shared credentials and the actions
// every credential can run ticked (List tenants needs partner or
// organization credentials, so it is not).
func TestAdminProfiles_Catalogue(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	e.signIn()
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) { return nil, nil }
	e.accounts.CountAccountsByProfileFn = func(context.Context) (map[string]int, error) { return map[string]int{}, nil }
	if resp, _ := e.get("/admin"); resp.Header.Get("Location") != "/admin/profiles" {
		t.Errorf("/admin: got %q, want /admin/profiles", resp.Header.Get("Location"))
	}
	if _, doc := e.get("/admin/profiles"); doc.Find(`[data-testid="empty-profiles"]`).Length() != 1 {
		t.Error("no empty state")
	}
	_, doc := e.get("/admin/profiles/new")
	for _, c := range connector.NewRegistry(connector.Config{}).All() { // Go connectors and definitions alike
		if id := c.Spec().ID; doc.Find(`[data-testid="pick-`+id+`"] img`).Length() != 1 {
			t.Errorf("catalogue: no %s with its logo", id)
		}
	}
	_, doc = e.get("/admin/profiles/new?connector=sophos")
	if doc.Find(`[data-testid="admin-guide"] h3`).Length() == 0 || doc.Find(`[data-testid="shared"] #field-client_secret`).Length() != 1 {
		t.Error("new Sophos profile: no admin guide or shared credentials")
	}
	if doc.Find(`[data-testid="action-list_endpoints"][checked]`).Length() != 1 || doc.Find(`[data-testid="action-list_tenants"][checked]`).Length() != 0 {
		t.Error("new Sophos profile: want List endpoints ticked and List tenants not")
	}
	if resp, _ := e.get("/admin/profiles/new?connector=nope"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown connector: got %d, want 404", resp.StatusCode)
	}
}

// TestAdminProfiles_List: each profile is a row with its connector's logo,
// Default when it is, and the count of its accounts.
func TestAdminProfiles_List(t *testing.T) {
	t.Parallel()
	e, _ := admbProfileEnv(t, admbJamfProfile())
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
		return []*linkhub.Profile{admbJamfProfile(), {ID: admbSophosID, ConnectorID: "sophos", Name: "Sophos Central",
			Enabled: true, IsDefault: true}}, nil
	}
	e.accounts.CountAccountsByProfileFn = func(context.Context) (map[string]int, error) {
		return map[string]int{admbProfileID: 7}, nil
	}
	_, doc := e.get("/admin/profiles")
	if n := doc.Find(`[data-testid="profile-row"]`).Length(); n != 2 {
		t.Errorf("got %d rows, want 2", n)
	}
	sophos := doc.Find(`[data-testid="profile-row"][data-id="` + admbSophosID + `"]`)
	if sophos.Find("img").Length() != 1 || !strings.Contains(sophos.Text(), "Default") ||
		strings.TrimSpace(sophos.Find(`[data-testid="profile-accounts"]`).Text()) != "0" {
		t.Errorf("Sophos row: %q", sophos.Text())
	}
	jamf := doc.Find(`[data-testid="profile-row"][data-id="` + admbProfileID + `"]`)
	if strings.Contains(jamf.Text(), "Default") || strings.TrimSpace(jamf.Find(`[data-testid="profile-accounts"]`).Text()) != "7" {
		t.Errorf("Jamf row: %q, want 7 accounts and not the default", jamf.Text())
	}
}

// TestAdminProfiles_Create: the form becomes the service's profile (name
// trimmed, a UUID lowercased as the connectors have them, the secret apart
// from the values) created as the admin, then the profile's page with a
// flash.
func TestAdminProfiles_Create(t *testing.T) {
	t.Parallel()
	e, admin := admbProfileEnv(t, &linkhub.Profile{ID: admbSophosID, ConnectorID: "sophos", Name: "Sophos Central", Enabled: true})
	const clientID = "0B0C2B4F-8E2A-4C3B-9D5E-6F7A8B9C0D1E"
	var got *linkhub.Profile
	var gotSecrets map[string]secret.Value
	e.profiles.CreateProfileFn = func(_ context.Context, actor linkhub.Actor, p *linkhub.Profile, secrets map[string]secret.Value) error {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("created as %+v, want the admin", actor)
		}
		got, gotSecrets = p.Clone(), secrets
		p.ID = admbSophosID
		return nil
	}
	resp, _ := e.post("/admin/profiles", url.Values{"connector": {"sophos"}, "name": {" Sophos Central "}, "is_default": {"on"},
		"field.client_id": {clientID}, "field.client_secret": {admbJamfSecret}, "actions": {"list_endpoints", "nonsense"}})
	if f := admbFlash(t, e, resp, "/admin/profiles/"+admbSophosID); !strings.Contains(f, "Created the profile “Sophos Central”") {
		t.Errorf("got flash %q", f)
	}
	if got == nil || got.ConnectorID != "sophos" || got.Name != "Sophos Central" || !got.Enabled || !got.IsDefault || got.Featured ||
		!slices.Equal(got.Actions, []string{"list_endpoints"}) ||
		!maps.Equal(got.Values, map[string]string{"client_id": strings.ToLower(clientID)}) {
		t.Errorf("the service got %+v", got)
	}
	if len(gotSecrets) != 1 || gotSecrets["client_secret"].Reveal() != admbJamfSecret {
		t.Errorf("the service got secrets %v, want the client secret only", slices.Collect(maps.Keys(gotSecrets)))
	}
	if resp, _ := e.post("/admin/profiles", url.Values{"connector": {"nope"}, "name": {"X"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown connector: got %d, want 400", resp.StatusCode)
	}
}

// TestAdminProfiles_CreateRefused: the service's refusals are the form
// again, 422, each problem beside its input (a taken name on the name, other
// invalid input on the form), the typed values kept and the secret not.
func TestAdminProfiles_CreateRefused(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		err  error
		want map[string]string // data-testid: text
	}{
		{"Problems", linkhub.ProfileProblems{"name": "Enter a name.", "client_id": "Enter the client ID as a UUID.",
			"actions": "Choose at least one action."},
			map[string]string{"name-error": "Enter a name.", "field-client_id-error": "Enter the client ID as a UUID.",
				"actions-error": "Choose at least one action."}},
		{"ErrNameTaken", linkhub.Errorf(linkhub.ECONFLICT, `A profile named "Sophos Central" already exists.`),
			map[string]string{"name-error": `A profile named "Sophos Central" already exists.`}},
		{"ErrName", linkhub.FieldError("name", "The name is at most 100 characters."),
			map[string]string{"name-error": "The name is at most 100 characters."}},
		{"ErrInvalid", linkhub.Errorf(linkhub.EINVALID, "Only one default profile per connector."),
			map[string]string{"form-error": "Only one default profile per connector."}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newMockEnv(t, web.Config{})
			e.hidden = append(e.hidden, admbJamfSecret)
			e.signIn()
			e.profiles.CreateProfileFn = func(context.Context, linkhub.Actor, *linkhub.Profile, map[string]secret.Value) error {
				return tt.err
			}
			resp, doc := e.post("/admin/profiles", url.Values{"connector": {"sophos"}, "name": {"Sophos Central"},
				"field.client_id": {"not-a-uuid"}, "field.client_secret": {admbJamfSecret}, "actions": {"list_tenants"}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", resp.StatusCode)
			}
			for id, want := range tt.want {
				if got := strings.TrimSpace(doc.Find(`[data-testid="` + id + `"]`).Text()); !strings.Contains(got, want) {
					t.Errorf("%s: got %q, want %q", id, got, want)
				}
			}
			if v, _ := doc.Find(`#field-client_id`).Attr("value"); v != "not-a-uuid" ||
				doc.Find(`[data-testid="action-list_tenants"][checked]`).Length() != 1 {
				t.Errorf("the form lost the typed values: client id %q", v)
			}
		})
	}
}

// TestAdminProfiles_Edit: the edit form shows a stored secret only as its
// mask; a save sends the form as the admin's update, a blank secret left out
// (the service keeps the stored one) and a typed one in; the service's
// problems are the form again.
func TestAdminProfiles_Edit(t *testing.T) {
	t.Parallel()
	e, admin := admbProfileEnv(t, admbJamfProfile())
	_, doc := e.get("/admin/profiles/" + admbProfileID)
	ph, _ := doc.Find(`#field-client_secret`).Attr("placeholder")
	val, _ := doc.Find(`#field-client_secret`).Attr("value")
	if mask := secret.New(admbJamfSecret).Mask(); !strings.Contains(ph, mask) || val != "" {
		t.Errorf("secret field: placeholder %q value %q, want the mask %q and no value", ph, val, mask)
	}
	var got []linkhub.ProfileUpdate
	e.profiles.UpdateProfileFn = func(_ context.Context, actor linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error) {
		if !admbIsAdmin(actor, admin) || id != admbProfileID {
			t.Errorf("updated %s as %+v, want the profile as the admin", id, actor)
		}
		got = append(got, upd)
		if upd.Values["url"] == "ftp://x" {
			return nil, linkhub.ProfileProblems{"url": "Enter an https:// address."}
		}
		p := admbJamfProfile()
		p.Name = *upd.Name
		return p, nil
	}
	form := url.Values{"name": {"Jamf Pro EU"}, "field.url": {"https://acme.jamfcloud.com"}, "field.client_id": {"cid-1"},
		"field.client_secret": {""}, "actions": {"list_computers", "get_version"}}
	resp, _ := e.post("/admin/profiles/"+admbProfileID, form)
	if f := admbFlash(t, e, resp, "/admin/profiles/"+admbProfileID); !strings.Contains(f, "Saved the profile “Jamf Pro EU”") {
		t.Errorf("got flash %q", f)
	}
	form.Set("field.client_secret", "new-"+admbJamfSecret)
	if resp, _ := e.post("/admin/profiles/"+admbProfileID, form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("new secret: got %d, want 303", resp.StatusCode)
	}
	form.Set("field.url", "ftp://x")
	resp, doc = e.post("/admin/profiles/"+admbProfileID, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find(`[data-testid="field-url-error"]`).Text(), "https://") {
		t.Errorf("bad url: got %d %q, want 422 with the problem on the URL", resp.StatusCode, doc.Find(`[data-testid="field-url-error"]`).Text())
	}
	if len(got) != 3 {
		t.Fatalf("got %d updates, want 3", len(got))
	}
	u := got[0]
	if *u.Name != "Jamf Pro EU" || *u.IsDefault || *u.Featured || u.Enabled != nil || !slices.Equal(*u.Actions, []string{"list_computers", "get_version"}) ||
		!maps.Equal(u.Values, map[string]string{"url": "https://acme.jamfcloud.com", "client_id": "cid-1"}) || len(u.Secrets) != 0 {
		t.Errorf("blank secret: the service got %+v", u)
	}
	if s := got[1].Secrets["client_secret"]; len(got[1].Secrets) != 1 || s.Reveal() != "new-"+admbJamfSecret {
		t.Errorf("typed secret: the service got secrets %v", slices.Collect(maps.Keys(got[1].Secrets)))
	}
	e.hidden = append(e.hidden, "new-"+admbJamfSecret)
	if resp, _ := e.get("/admin/profiles/8f9c1d1e-0000-4000-8000-0000000000ff"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown profile: got %d, want 404", resp.StatusCode)
	}
}

// TestAdminProfiles_Test: the test is the linking service's as the admin;
// its report is shown passed, or failed with the field errors by label and
// the fix only an admin can make. A profile without credentials has no Test
// button, and its test comes back to the profile with the service's reason.
func TestAdminProfiles_Test(t *testing.T) {
	t.Parallel()
	jamf, _ := connector.NewRegistry(connector.Config{}).Get("jamf")
	for _, tt := range []struct {
		name   string
		report linkhub.Report
		want   []string // selectors that must match
	}{
		{"Passed", linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed}}},
			[]string{`[data-testid="test-ok"]`, `[data-stage="token"][data-status="passed"]`}},
		{"Failed", linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusFailed,
			Reason: linkhub.ReasonBadCredentials, Hint: "Jamf Pro refused the client secret."}}},
			[]string{`[data-testid="test-failed"]`, `[data-stage="token"][data-status="failed"]`}},
		{"AdminHint", linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageToken, Status: linkhub.StatusPassed},
			{Name: linkhub.StagePermissions, Status: linkhub.StatusFailed, Reason: linkhub.ReasonPermissionMissing,
				AdminHint: "A tenant's credentials cannot run List tenants: turn it off on the profile."}}},
			[]string{`[data-testid="test-failed"]`, `[data-testid="test-admin-hint"]`}},
		{"FieldErrors", linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageValidate, Status: linkhub.StatusFailed}},
			FieldErrors: map[string]string{"url": "Enter the address of your Jamf Pro."}},
			[]string{`[data-testid="test-failed"]`, `[data-testid="test-field-error"]`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, admin := admbProfileEnv(t, admbJamfProfile())
			var tested []string
			e.linking.TestProfileFn = func(_ context.Context, actor linkhub.Actor, id string) (*linkhub.Profile, linkhub.Connector, linkhub.Report, error) {
				if !admbIsAdmin(actor, admin) {
					t.Errorf("tested as %+v, want the admin", actor)
				}
				tested = append(tested, id)
				return admbJamfProfile(), jamf, tt.report, nil
			}
			resp, doc := e.post("/admin/profiles/"+admbProfileID+"/test", nil)
			for _, sel := range tt.want {
				if resp.StatusCode != http.StatusOK || doc.Find(sel).Length() != 1 {
					h, _ := doc.Find("main").Html()
					t.Errorf("got %d, want 200 and %s:\n%s", resp.StatusCode, sel, h)
				}
			}
			for _, s := range tt.report.Stages {
				if s.AdminHint != "" && doc.Find(`[data-testid="test-admin-hint"]`).Text() != s.AdminHint {
					t.Errorf("got admin hint %q, want %q", doc.Find(`[data-testid="test-admin-hint"]`).Text(), s.AdminHint)
				}
			}
			if fe := doc.Find(`[data-testid="test-field-error"]`).Text(); len(tt.report.FieldErrors) > 0 &&
				(!strings.Contains(fe, "Jamf Pro address") || !strings.Contains(fe, tt.report.FieldErrors["url"])) {
				t.Errorf("got field error %q, want it under the field's label", fe)
			}
			if !slices.Equal(tested, []string{admbProfileID}) {
				t.Errorf("tested %v", tested)
			}
		})
	}
	t.Run("NothingToTest", func(t *testing.T) {
		t.Parallel()
		empty := &linkhub.Profile{ID: admbProfileID, ConnectorID: "ninjaone", Name: "NinjaOne", Enabled: true,
			Actions: []string{"list_organizations"}}
		e, _ := admbProfileEnv(t, empty)
		if _, doc := e.get("/admin/profiles/" + admbProfileID); doc.Find(`[data-testid="test-profile"]`).Length() != 0 {
			t.Error("a Test button on a profile without credentials")
		}
		e.linking.TestProfileFn = func(context.Context, linkhub.Actor, string) (*linkhub.Profile, linkhub.Connector, linkhub.Report, error) {
			return empty, nil, linkhub.Report{}, linking.ErrNothingToTest
		}
		resp, _ := e.post("/admin/profiles/"+admbProfileID+"/test", nil)
		if f := admbFlash(t, e, resp, "/admin/profiles/"+admbProfileID); f == "" || !strings.Contains(f, linkhub.ErrorMessage(linking.ErrNothingToTest)) {
			t.Errorf("got flash %q, want the service's reason", f)
		}
	})
	t.Run("Button", func(t *testing.T) {
		t.Parallel()
		e, _ := admbProfileEnv(t, admbJamfProfile())
		if _, doc := e.get("/admin/profiles/" + admbProfileID); doc.Find(`[data-testid="test-profile"]`).Length() != 1 {
			t.Error("no Test button on a profile with credentials")
		}
	})
}

// TestAdminProfiles_DisableEnable: disable and enable change only the
// profile's Enabled, as the admin, and come back to the list with a flash
// naming it.
func TestAdminProfiles_DisableEnable(t *testing.T) {
	t.Parallel()
	e, admin := admbProfileEnv(t, admbJamfProfile())
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) { return nil, nil }
	e.accounts.CountAccountsByProfileFn = func(context.Context) (map[string]int, error) { return nil, nil }
	var got []bool
	e.profiles.UpdateProfileFn = func(_ context.Context, actor linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error) {
		if !admbIsAdmin(actor, admin) || id != admbProfileID {
			t.Errorf("updated %s as %+v", id, actor)
		}
		if upd.Enabled == nil || upd.Name != nil || upd.Actions != nil || upd.Values != nil || upd.Secrets != nil {
			t.Fatalf("got update %+v, want Enabled only", upd)
		}
		got = append(got, *upd.Enabled)
		p := admbJamfProfile()
		p.Enabled = *upd.Enabled
		return p, nil
	}
	resp, _ := e.post("/admin/profiles/"+admbProfileID+"/disable", nil)
	if f := admbFlash(t, e, resp, "/admin/profiles"); !strings.Contains(f, "Disabled the profile “Jamf Pro”") {
		t.Errorf("disable: got flash %q", f)
	}
	resp, _ = e.post("/admin/profiles/"+admbProfileID+"/enable", nil)
	if f := admbFlash(t, e, resp, "/admin/profiles"); !strings.Contains(f, "Enabled the profile “Jamf Pro”") {
		t.Errorf("enable: got flash %q", f)
	}
	if !slices.Equal(got, []bool{false, true}) {
		t.Errorf("the service got %v, want disable then enable", got)
	}
}

// TestAdminProfiles_Delete: the confirmation counts the profile's accounts
// and offers to delete them too; the service's refusal while accounts use it
// is the page again, 409, with its words; with "cascade" ticked the service
// is asked to delete them, as the admin.
func TestAdminProfiles_Delete(t *testing.T) {
	t.Parallel()
	e, admin := admbProfileEnv(t, admbJamfProfile())
	e.accounts.CountAccountsByProfileFn = func(context.Context) (map[string]int, error) {
		return map[string]int{admbProfileID: 1}, nil
	}
	_, doc := e.get("/admin/profiles/" + admbProfileID + "/delete")
	if doc.Find(`[data-testid="cascade"]`).Length() != 1 || !strings.Contains(doc.Find(`[data-testid="accounts-warning"]`).Text(), "1 linked account") {
		t.Error("no account count or cascade checkbox")
	}
	var got []bool
	e.profiles.DeleteProfileFn = func(_ context.Context, actor linkhub.Actor, id string, cascade bool) (int, error) {
		if !admbIsAdmin(actor, admin) || id != admbProfileID {
			t.Errorf("deleted %s as %+v", id, actor)
		}
		got = append(got, cascade)
		if !cascade {
			return 0, linkhub.Errorf(linkhub.ECONFLICT, "1 linked account(s) use this profile: delete them first, or tick the box to delete them with it.")
		}
		return 1, nil
	}
	resp, doc := e.post("/admin/profiles/"+admbProfileID+"/delete", nil)
	if msg := doc.Find(`[data-testid="form-error"]`).Text(); resp.StatusCode != http.StatusConflict || !strings.Contains(msg, "1 linked account(s) use this profile") {
		t.Errorf("delete in use: got %d %q, want 409 with the service's reason", resp.StatusCode, msg)
	}
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) { return nil, nil }
	resp, _ = e.post("/admin/profiles/"+admbProfileID+"/delete", url.Values{"cascade": {"on"}})
	if f := admbFlash(t, e, resp, "/admin/profiles"); !strings.Contains(f, "Deleted the profile “Jamf Pro”") {
		t.Errorf("cascade delete: got flash %q", f)
	}
	if !slices.Equal(got, []bool{false, true}) {
		t.Errorf("the service got cascade %v, want false then true", got)
	}
}

// TestAdminProfiles_CrossOrigin: a cross-site post is refused before any
// service sees it (the mock's unset UpdateProfile would fail the test).
func TestAdminProfiles_CrossOrigin(t *testing.T) {
	t.Parallel()
	e, _ := admbProfileEnv(t, admbJamfProfile())
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/admin/profiles/"+admbProfileID+"/disable", nil)
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, _ := e.do(req); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin: got %d, want 403", resp.StatusCode)
	}
}
