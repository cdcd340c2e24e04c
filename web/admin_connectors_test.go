package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// oktaLikeDefinition is a runtime connector of a vendor not in the
// catalogue that answers like the fake Okta org at base.
func oktaLikeDefinition(base string) string {
	return `id: acme
name: Acme Directory
category: Identity
auth: {type: api_key, header: Authorization, scheme: SSWS, secret: api_token}
fields:
  - {id: api_token, label: API token, scope: account, kind: secret, required: true, help: The token., guide_step: token}
hosts:
  api: {url: "` + base + `"}
verify:
  - id: me
    host: api
    path: /api/v1/users/me
    store: {login: {json: profile.login}}
admin_guide: {title: Acme, sections: [{id: a, title: A}]}
user_guide: {title: Acme, sections: [{id: u, title: U, steps: [{id: token, text: Make a token.}]}]}
`
}

// TestAdminConnectors: an admin validates, tests live and saves a runtime
// connector, edits it (a new version), sees its history, and cannot delete
// it while a profile uses it.
func TestAdminConnectors(t *testing.T) {
	t.Parallel()
	okta := fake.NewOkta(t)
	env := newAdminEnvWith(t, fake.Config(5*time.Second, okta.Server.Server))
	env.pageSecrets = append(env.pageSecrets, okta.ClientSecret)
	env.secrets = append(env.secrets, okta.ClientSecret)
	env.mustAdmin("ops@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ops@example.com", "correct horse battery")
	def := oktaLikeDefinition(okta.URL)

	resp, doc := b.post("/admin/connectors", url.Values{"source": {def}, "op": {"check"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(doc.Find(`[data-testid="valid"]`).Text(), "Acme Directory") ||
		doc.Find(`#field-api_token[type="password"]`).Length() != 1 {
		t.Fatalf("check: got %d %q, want the definition valid and a test form", resp.StatusCode, doc.Find("main").Text())
	}
	// A wrong token fails at verify; the right one passes; the secret is
	// never echoed (browser.do fails on any page that shows it).
	_, doc = b.post("/admin/connectors", url.Values{"source": {def}, "op": {"test"}, "field.api_token": {"00wrong"}})
	if doc.Find(`[data-testid="test-failed"]`).Length() != 1 || doc.Find(`[data-stage="verify"][data-status="failed"]`).Length() != 1 {
		t.Errorf("test with a wrong token: got %q, want verify failed", doc.Find(`[data-testid="test-result"]`).Text())
	}
	_, doc = b.post("/admin/connectors", url.Values{"source": {def}, "op": {"test"}, "field.api_token": {okta.ClientSecret}})
	if doc.Find(`[data-testid="test-ok"]`).Length() != 1 || doc.Find(`#field-api_token`).AttrOr("value", "x") != "" {
		t.Fatalf("test: got %q, want the credentials to work and the secret field blank", doc.Find(`[data-testid="test-result"]`).Text())
	}
	if got := env.auditActions(); strings.Contains(strings.Join(got, " "), "connector.") {
		t.Fatalf("got audit %v before saving, want no connector change", got)
	}

	resp, _ = b.post("/admin/connectors", url.Values{"source": {def}, "op": {"save"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/connectors/runtime/acme" {
		t.Fatalf("save: got %d to %q, want 303 to the connector", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, doc = b.get("/admin/profiles/new")
	if !strings.Contains(doc.Find("main").Text(), "Acme Directory") {
		t.Error("the profile catalogue does not offer the saved connector")
	}
	resp, _ = b.post("/admin/connectors/runtime/acme", url.Values{"source": {strings.Replace(def, "Acme Directory", "Acme Directory 2", 1)}, "op": {"save"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: got %d, want 303", resp.StatusCode)
	}
	_, doc = b.get("/admin/connectors/runtime/acme")
	if n := doc.Find(`[data-testid="history"] li`).Length(); n != 2 || !strings.Contains(doc.Find(`[data-testid="connector-state"]`).Text(), "Version 2") {
		t.Errorf("got %d versions, state %q, want 2 and version 2 running", n, doc.Find(`[data-testid="connector-state"]`).Text())
	}
	_, doc = b.get("/admin/connectors")
	row := doc.Find(`[data-testid="connector-acme"]`)
	if !strings.Contains(row.Text(), "Acme Directory 2") || row.Find(`[data-testid="origin"]`).Text() != "runtime" ||
		doc.Find(`[data-testid="connector-okta"] [data-testid="origin"]`).Text() != "built-in" {
		t.Errorf("list: got %q, want acme from runtime beside the built-ins", row.Text())
	}

	// In use: disable and delete are refused with the reason.
	resp, _ = b.post("/admin/profiles", url.Values{"connector": {"acme"}, "name": {"Acme"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create profile: got %d, want 303", resp.StatusCode)
	}
	b.post("/admin/connectors/runtime/acme/disable", nil)
	_, doc = b.get("/admin/connectors/runtime/acme")
	if got := doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "is used by 1 profile(s)") {
		t.Errorf("disable: got flash %q, want the refusal", got)
	}
	if _, page := b.get("/admin/connectors/runtime/acme/delete"); page.Find(`[data-testid="profiles-warning"]`).Length() != 1 ||
		page.Find(`[data-testid="confirm-delete"]`).Length() != 0 {
		t.Error("delete page: want the profiles named and no delete button")
	}
	resp, page := b.post("/admin/connectors/runtime/acme/delete", nil)
	if got := page.Find(`[data-testid="form-error"]`).Text(); resp.StatusCode != http.StatusConflict || !strings.Contains(got, "is used by 1 profile(s)") {
		t.Errorf("delete: got %d %q, want 409 and the refusal", resp.StatusCode, got)
	}
	_, doc = b.get("/admin/connectors/runtime/acme")
	if got := doc.Find(`[data-testid="connector-state"]`).Text(); !strings.Contains(got, "in use by 1 profile") {
		t.Errorf("got %q, want the profile counted", got)
	}
	// Without profiles: confirmed, deleted, gone from the list.
	profiles, err := env.profiles.FindProfiles(t.Context(), linkhub.ProfileFilter{})
	if err != nil || len(profiles) != 1 {
		t.Fatalf("got %d profiles, %v", len(profiles), err)
	}
	if _, err := env.profiles.DeleteProfile(t.Context(), linkhub.SystemActor, profiles[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if _, page := b.get("/admin/connectors/runtime/acme/delete"); !strings.Contains(page.Find("main").Text(), "its 2 version(s)") {
		t.Errorf("delete page: got %q, want the versions counted", page.Find("main").Text())
	}
	if resp, _ := b.post("/admin/connectors/runtime/acme/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: got %d, want 303", resp.StatusCode)
	}
	if _, page := b.get("/admin/connectors"); page.Find(`[data-testid="connector-acme"]`).Length() != 0 ||
		!strings.Contains(page.Find(`[data-testid="flash"]`).Text(), "Deleted the connector") {
		t.Error("list after delete: want acme gone and the flash")
	}
	want := "connector.saved connector.saved connector.deleted"
	var got []string
	for _, a := range env.auditActions() {
		if strings.HasPrefix(a, "connector.") {
			got = append(got, a)
		}
	}
	if strings.Join(got, " ") != want {
		t.Errorf("got audit %v, want %q", got, want)
	}
}

// TestAdminConnectors_Bad: every bad definition is shown with its precise
// problems next to the text, 422, and nothing is saved.
func TestAdminConnectors_Bad(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ops@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ops@example.com", "correct horse battery")
	def := oktaLikeDefinition("https://api.acme.example")
	tests := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"ErrSchema", "/admin/connectors", url.Values{"source": {strings.Replace(def, "kind: secret", "kind: password", 1)}, "op": {"save"}},
			"pasted.yaml:6: fields[0].kind: value must be one of 'text', 'url', 'uuid', 'secret', 'select'"},
		{"ErrRef", "/admin/connectors", url.Values{"source": {strings.Replace(def, "guide_step: token", "guide_step: nope", 1)}, "op": {"check"}},
			"pasted.yaml:6: fields[0].guide_step:"},
		{"ErrYAML", "/admin/connectors", url.Values{"source": {"id: [acme"}, "op": {"test"}}, "pasted.yaml:"},
		{"ErrEmpty", "/admin/connectors", url.Values{"op": {"save"}}, "pasted.yaml:1: the file is empty"},
		{"ErrBuiltin", "/admin/connectors", url.Values{"source": {strings.Replace(def, "id: acme", "id: okta", 1)}, "op": {"save"}},
			`pasted.yaml:1: id: "okta" is the id of the built-in connector Okta; tick "replaces the built-in Okta"`},
		{"ErrReplacesNothing", "/admin/connectors", url.Values{"source": {def}, "replaces": {"on"}, "op": {"save"}},
			`pasted.yaml:1: id: there is no built-in or file connector "acme" to replace`},
		{"ErrNUL", "/admin/connectors", url.Values{"source": {"id: a\x00"}, "op": {"save"}}, "pasted.yaml: the definition is not UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, doc := b.post(tt.path, tt.form)
			got := doc.Find(`[data-testid="problem"]`).First().Text()
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(got, tt.want) ||
				doc.Find(`#source[aria-invalid="true"][aria-describedby~="source-error"]`).Length() != 1 {
				t.Errorf("got %d %q, want 422 and a problem starting %q linked to the text", resp.StatusCode, got, tt.want)
			}
			if tt.form.Get("source") != "" && !strings.Contains(doc.Find(`#source`).Text(), "id:") {
				t.Error("the definition's text is not kept")
			}
		})
	}
	// A host on a private address: the live test stops at the address
	// stage, before any credential is sent, as for every vendor call.
	_, doc := b.post("/admin/connectors", url.Values{"source": {oktaLikeDefinition("https://10.20.30.40")}, "op": {"test"},
		"field.api_token": {"00secret"}})
	if doc.Find(`[data-stage="address"][data-status="failed"]`).Length() != 1 || doc.Find(`[data-stage="verify"][data-status="passed"]`).Length() != 0 {
		t.Errorf("private host: got %q, want the address stage failed", doc.Find(`[data-testid="test-result"]`).Text())
	}
	for _, path := range []string{"/admin/connectors/runtime/nope", "/admin/connectors/runtime/BAD"} {
		if resp, _ := b.get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: got %d, want 404", path, resp.StatusCode)
		}
		if resp, _ := b.post(path+"/delete", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("delete %s: got %d, want 404", path, resp.StatusCode)
		}
		if resp, _ := b.post(path, url.Values{"source": {def}, "op": {"save"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: got %d, want 404", path, resp.StatusCode)
		}
	}
	for _, a := range env.auditActions() {
		if strings.HasPrefix(a, "connector.") {
			t.Errorf("got audit %s, want nothing saved", a)
		}
	}
}

// TestAdminConnectors_Upload: an uploaded file takes the place of the text,
// and its name is the one the problems carry.
func TestAdminConnectors_Upload(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ops@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ops@example.com", "correct horse battery")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("source", "ignored")
	_ = mw.WriteField("op", "check")
	fw, _ := mw.CreateFormFile("file", "acme.yaml")
	_, _ = fw.Write([]byte(strings.Replace(oktaLikeDefinition("https://api.acme.example"), "name: Acme Directory\n", "", 1)))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, env.srv.URL+"/admin/connectors", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, doc := b.do(req)
	if got := doc.Find(`[data-testid="problem"]`).Text(); resp.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(got, "acme.yaml:") || !strings.Contains(got, "name") {
		t.Errorf("got %d %q, want the upload's problem, named by its file", resp.StatusCode, got)
	}
}
