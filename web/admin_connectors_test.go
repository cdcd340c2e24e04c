package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/web"
)

// The console's runtime connector pages on mocks: which of the runtime's
// operations each form op calls (only a save changes anything), with what
// file name, id and source, as the admin, and how its answers and refusals
// are shown. The runtime's rules are tested where they live:
// internal/connector TestRuntime_Check (the problems), TestRuntime_TestPrivateAddress
// and TestRuntime_JumpCloud (the live test), internal/connector/definition
// TestParse_Problems and TestParse_NotYAML, internal/postgres
// TestRuntimeConnectorService_Save and _InUse (versions, the refusals while
// profiles use it, the audit) and TestRuntimeConnectors_Replicas (a saved
// connector is offered at once).

// admbAcmeSource is the text of a runtime definition; the mock runtime
// reads nothing of it.
const admbAcmeSource = "id: acme\nname: Acme Directory\n"

// admbAcmeToken is the API token typed into the live test; no page or log
// line may show it.
const admbAcmeToken = "00acme-token-0123456789"

// admbAcmeSpec is the spec the runtime gives for admbAcmeSource.
func admbAcmeSpec(name string) linkhub.ConnectorSpec {
	return linkhub.ConnectorSpec{ID: "acme", Name: name, Category: "Identity",
		Fields: []linkhub.Field{
			{ID: "domain", Label: "Domain", Scope: linkhub.ScopeAccount, Kind: linkhub.KindText},
			{ID: "api_token", Label: "API token", Scope: linkhub.ScopeAccount, Kind: linkhub.KindSecret, Secret: true, Required: true}},
		Actions: []linkhub.Action{{ID: "list_users", Name: "List users"}, {ID: "wipe", Name: "Wipe", OptIn: true}}}
}

// admbConnectorEnv is the mock env with an admin signed in whose runtime
// checks any source as Acme Directory (the name on its second line).
func admbConnectorEnv(t *testing.T) (*mockEnv, *linkhub.Admin) {
	t.Helper()
	e := newMockEnv(t, web.Config{})
	e.hidden = append(e.hidden, admbAcmeToken)
	admin := e.signIn()
	e.runtime.CheckFn = func(_, _, source string, _ bool) (linkhub.ConnectorSpec, error) {
		_, rest, _ := strings.Cut(source, "name: ")
		name, _, _ := strings.Cut(rest, "\n")
		return admbAcmeSpec(name), nil
	}
	return e, admin
}

// admbStoredAcme makes the runtime know acme at version 2 (version 1 before
// it), and the profile service list n profiles of it beside a Jamf Pro one.
func admbStoredAcme(e *mockEnv, n int) {
	e.runtime.FindFn = func(_ context.Context, id string) (*linkhub.RuntimeConnector, error) {
		if id != "acme" {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		return &linkhub.RuntimeConnector{ID: "acme", Version: 2, Source: strings.Replace(admbAcmeSource, "Directory", "Directory 2", 1),
			SavedBy: mockAdminMail}, nil
	}
	e.runtime.VersionsFn = func(_ context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error) {
		return []*linkhub.RuntimeConnectorVersion{
			{Version: 2, Source: strings.Replace(admbAcmeSource, "Directory", "Directory 2", 1), SavedBy: mockAdminMail, CreatedAt: time.Now()},
			{Version: 1, Source: admbAcmeSource, SavedBy: mockAdminMail, CreatedAt: time.Now().Add(-time.Hour)}}, nil
	}
	e.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
		list := []*linkhub.Profile{{ID: admbProfileID, ConnectorID: "jamf", Name: "Jamf Pro"}}
		for range n {
			list = append(list, &linkhub.Profile{ID: admbSophosID, ConnectorID: "acme", Name: "Acme"})
		}
		return list, nil
	}
}

// TestAdminConnectors_CheckTestSave: "check" shows the definition valid and
// the live test's form; "test" runs the runtime's test with the typed
// values, the secret apart and the default actions, and shows its report,
// never the secret; "save" is the runtime's save as the admin, then the
// connector's page with the version saved. Check and test save nothing (the
// mock's unset Save would fail the test).
func TestAdminConnectors_CheckTestSave(t *testing.T) {
	t.Parallel()
	e, admin := admbConnectorEnv(t)
	var checked []string
	check := e.runtime.CheckFn
	e.runtime.CheckFn = func(file, id, source string, replaces bool) (linkhub.ConnectorSpec, error) {
		checked = append(checked, file+"|"+id)
		return check(file, id, source, replaces)
	}
	resp, doc := e.post("/admin/connectors", url.Values{"source": {admbAcmeSource}, "op": {"check"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(doc.Find(`[data-testid="valid"]`).Text(), "Acme Directory") ||
		doc.Find(`#field-api_token[type="password"]`).Length() != 1 {
		t.Fatalf("check: got %d %q, want the definition valid and a test form", resp.StatusCode, doc.Find("main").Text())
	}

	var in linkhub.TestInput
	report := linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageVerify, Status: linkhub.StatusFailed,
		Reason: linkhub.ReasonBadCredentials, Hint: "Acme refused the token."}}}
	e.runtime.TestFn = func(_ context.Context, file, id, source string, replaces bool, got linkhub.TestInput) (linkhub.Report, error) {
		if file != "pasted.yaml" || id != "" || source != admbAcmeSource || replaces {
			t.Errorf("tested %s %q replaces=%v", file, id, replaces)
		}
		in = got
		return report, nil
	}
	_, doc = e.post("/admin/connectors", url.Values{"source": {admbAcmeSource}, "op": {"test"},
		"field.domain": {" acme.example "}, "field.api_token": {admbAcmeToken}})
	if doc.Find(`[data-testid="test-failed"]`).Length() != 1 || doc.Find(`[data-stage="verify"][data-status="failed"]`).Length() != 1 {
		t.Errorf("test: got %q, want verify failed", doc.Find(`[data-testid="test-result"]`).Text())
	}
	if in.Values["domain"] != "acme.example" || in.Secrets["api_token"].Reveal() != admbAcmeToken || in.Values["api_token"] != "" ||
		!slices.Equal(in.Actions, []string{"list_users"}) {
		t.Errorf("the runtime got values %v, actions %v, secret %q", in.Values, in.Actions, in.Secrets["api_token"].Reveal())
	}
	if v, _ := doc.Find(`#field-domain`).Attr("value"); v != "acme.example" || doc.Find(`#field-api_token`).AttrOr("value", "") != "" {
		t.Errorf("the form: domain %q, want it kept and the secret field blank", v)
	}
	report = linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageVerify, Status: linkhub.StatusPassed}}}
	if _, doc = e.post("/admin/connectors", url.Values{"source": {admbAcmeSource}, "op": {"test"},
		"field.api_token": {admbAcmeToken}}); doc.Find(`[data-testid="test-ok"]`).Length() != 1 {
		t.Errorf("test: got %q, want the credentials to work", doc.Find(`[data-testid="test-result"]`).Text())
	}

	var saved []string
	e.runtime.SaveFn = func(_ context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("saved as %+v, want the admin", actor)
		}
		saved = append(saved, file+"|"+id+"|"+source)
		return &linkhub.RuntimeConnector{ID: "acme", Version: 1, Source: source, SavedBy: actor.Label}, nil
	}
	admbStoredAcme(e, 0)
	resp, _ = e.post("/admin/connectors", url.Values{"source": {admbAcmeSource}, "op": {"save"}})
	if f := admbFlash(t, e, resp, "/admin/connectors/runtime/acme"); !strings.Contains(f, "Saved version 1 of “Acme Directory”") {
		t.Errorf("save: got flash %q", f)
	}
	if !slices.Equal(saved, []string{"pasted.yaml||" + admbAcmeSource}) {
		t.Errorf("saved %q", saved)
	}
	if want := []string{"pasted.yaml|", "pasted.yaml|", "pasted.yaml|", "pasted.yaml|", "acme.yaml|acme"}; !slices.Equal(checked, want) {
		t.Errorf("checked %q, want %q: each op checks first", checked, want)
	}
}

// TestAdminConnectors_Edit: the connector's page shows the current version's
// text, its state and count of profiles, and the history; a save from it is
// a new version of that id, checked and saved under its own file name.
func TestAdminConnectors_Edit(t *testing.T) {
	t.Parallel()
	e, admin := admbConnectorEnv(t)
	admbStoredAcme(e, 1)
	_, doc := e.get("/admin/connectors/runtime/acme")
	if n := doc.Find(`[data-testid="history"] li`).Length(); n != 2 {
		t.Errorf("got %d versions in the history, want 2", n)
	}
	if st := doc.Find(`[data-testid="connector-state"]`).Text(); !strings.Contains(st, "Version 2") || !strings.Contains(st, "in use by 1 profile") {
		t.Errorf("got state %q, want version 2 in use by 1 profile", st)
	}
	if src := doc.Find(`#source`).Text(); !strings.Contains(src, "Acme Directory 2") {
		t.Errorf("got source %q, want the current version's", src)
	}
	var saved []string
	e.runtime.SaveFn = func(_ context.Context, actor linkhub.Actor, file, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("saved as %+v, want the admin", actor)
		}
		saved = append(saved, file+"|"+id)
		return &linkhub.RuntimeConnector{ID: id, Version: 3, Source: source}, nil
	}
	resp, _ := e.post("/admin/connectors/runtime/acme", url.Values{"source": {strings.Replace(admbAcmeSource, "Directory", "Directory 3", 1)}, "op": {"save"}})
	if f := admbFlash(t, e, resp, "/admin/connectors/runtime/acme"); !strings.Contains(f, "Saved version 3 of “Acme Directory 3”") {
		t.Errorf("edit: got flash %q", f)
	}
	if !slices.Equal(saved, []string{"acme.yaml|acme"}) {
		t.Errorf("saved %q, want acme.yaml as acme", saved)
	}
}

// TestAdminConnectors_List: the list shows the runtime's catalogue, each
// connector with its origin, and a runtime one with its version and profiles.
func TestAdminConnectors_List(t *testing.T) {
	t.Parallel()
	e, _ := admbConnectorEnv(t)
	admbStoredAcme(e, 1)
	e.runtime.CatalogFn = func(context.Context) ([]linkhub.CatalogEntry, error) {
		return []linkhub.CatalogEntry{
			{Spec: linkhub.ConnectorSpec{ID: "okta", Name: "Okta"}, Origin: linkhub.OriginBuiltin},
			{Spec: admbAcmeSpec("Acme Directory 2"), Origin: linkhub.OriginRuntime, Runtime: &linkhub.RuntimeConnector{ID: "acme", Version: 2}},
		}, nil
	}
	_, doc := e.get("/admin/connectors")
	row := doc.Find(`[data-testid="connector-acme"]`)
	if !strings.Contains(row.Text(), "Acme Directory 2") || row.Find(`[data-testid="origin"]`).Text() != "runtime" ||
		doc.Find(`[data-testid="connector-okta"] [data-testid="origin"]`).Text() != "built-in" {
		t.Errorf("list: got %q, want acme from runtime beside the built-ins", row.Text())
	}
}

// TestAdminConnectors_InUse: the runtime's refusals while profiles use the
// connector are shown with its words (a flash for disable, the delete page
// again, 409, for delete), and the delete page names the profiles instead of
// offering the button; without profiles it counts the versions going, and
// the delete is the runtime's as the admin.
func TestAdminConnectors_InUse(t *testing.T) {
	t.Parallel()
	e, admin := admbConnectorEnv(t)
	admbStoredAcme(e, 1)
	inUse := func(verb string) error {
		return linkhub.Errorf(linkhub.ECONFLICT, `The connector "acme" is used by 1 profile(s) and cannot be %s. Delete those profiles first.`, verb)
	}
	var calls []string
	e.runtime.SetDisabledFn = func(_ context.Context, actor linkhub.Actor, id string, disabled bool) error {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("changed as %+v, want the admin", actor)
		}
		if calls = append(calls, "disable "+id); disabled {
			return inUse("disabled")
		}
		return nil
	}
	inUseNow := true
	e.runtime.DeleteFn = func(_ context.Context, actor linkhub.Actor, id string) error {
		if !admbIsAdmin(actor, admin) {
			t.Errorf("deleted as %+v, want the admin", actor)
		}
		if calls = append(calls, "delete "+id); inUseNow {
			return inUse("deleted")
		}
		return nil
	}
	resp, _ := e.post("/admin/connectors/runtime/acme/disable", nil)
	if f := admbFlash(t, e, resp, "/admin/connectors/runtime/acme"); !strings.Contains(f, "is used by 1 profile(s)") {
		t.Errorf("disable: got flash %q, want the refusal", f)
	}
	resp, _ = e.post("/admin/connectors/runtime/acme/enable", nil)
	if f := admbFlash(t, e, resp, "/admin/connectors/runtime/acme"); !strings.Contains(f, "Enabled the connector") {
		t.Errorf("enable: got flash %q", f)
	}
	if _, page := e.get("/admin/connectors/runtime/acme/delete"); page.Find(`[data-testid="profiles-warning"]`).Length() != 1 ||
		page.Find(`[data-testid="confirm-delete"]`).Length() != 0 {
		t.Error("delete page: want the profiles named and no delete button")
	}
	resp, page := e.post("/admin/connectors/runtime/acme/delete", nil)
	if got := page.Find(`[data-testid="form-error"]`).Text(); resp.StatusCode != http.StatusConflict || !strings.Contains(got, "is used by 1 profile(s)") {
		t.Errorf("delete: got %d %q, want 409 and the refusal", resp.StatusCode, got)
	}

	admbStoredAcme(e, 0)
	inUseNow = false
	if _, page := e.get("/admin/connectors/runtime/acme/delete"); !strings.Contains(page.Find("main").Text(), "its 2 version(s)") ||
		page.Find(`[data-testid="confirm-delete"]`).Length() != 1 {
		t.Errorf("delete page: got %q, want the versions counted and the button", page.Find("main").Text())
	}
	e.runtime.CatalogFn = func(context.Context) ([]linkhub.CatalogEntry, error) { return nil, nil }
	resp, _ = e.post("/admin/connectors/runtime/acme/delete", nil)
	if f := admbFlash(t, e, resp, "/admin/connectors"); !strings.Contains(f, "Deleted the connector “acme”") {
		t.Errorf("delete: got flash %q", f)
	}
	if want := []string{"disable acme", "disable acme", "delete acme", "delete acme"}; !slices.Equal(calls, want) {
		t.Errorf("the runtime got %q, want %q", calls, want)
	}
}

// TestAdminConnectors_Bad: the runtime's problems with a definition are
// shown next to its text, kept, 422, whichever op found them; a test's
// failed address stage is its report. Ids that cannot be a runtime
// connector's are 404 before the runtime is asked, unknown ones are its 404.
func TestAdminConnectors_Bad(t *testing.T) {
	t.Parallel()
	problem := func(line int, field, msg string) error {
		return &linkhub.DefinitionError{Problems: []linkhub.DefinitionProblem{{File: "pasted.yaml", Line: line, Field: field, Message: msg}}}
	}
	for _, tt := range []struct {
		name, op  string
		checkErr  error
		saveErr   error
		wantFirst string
	}{
		{"ErrCheck", "check", problem(6, "fields[0].kind", "value must be one of 'text', 'url', 'uuid', 'secret', 'select'"), nil,
			"pasted.yaml:6: fields[0].kind: value must be one of"},
		{"ErrBeforeTest", "test", problem(1, "", "the file is empty"), nil, "pasted.yaml:1: the file is empty"},
		{"ErrSave", "save", nil, problem(1, "id", `"okta" is the id of the built-in connector Okta`),
			`pasted.yaml:1: id: "okta" is the id of the built-in connector Okta`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, _ := admbConnectorEnv(t)
			e.runtime.CheckFn = func(string, string, string, bool) (linkhub.ConnectorSpec, error) {
				return admbAcmeSpec("Acme Directory"), tt.checkErr
			}
			e.runtime.SaveFn = func(context.Context, linkhub.Actor, string, string, string, bool) (*linkhub.RuntimeConnector, error) {
				return nil, tt.saveErr
			}
			resp, doc := e.post("/admin/connectors", url.Values{"source": {admbAcmeSource}, "op": {tt.op}})
			got := doc.Find(`[data-testid="problem"]`).First().Text()
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(got, tt.wantFirst) ||
				doc.Find(`#source[aria-invalid="true"][aria-describedby~="source-error"]`).Length() != 1 {
				t.Errorf("got %d %q, want 422 and a problem starting %q linked to the text", resp.StatusCode, got, tt.wantFirst)
			}
			if !strings.Contains(doc.Find(`#source`).Text(), "name: Acme Directory") {
				t.Error("the definition's text is not kept")
			}
		})
	}
	t.Run("PrivateHost", func(t *testing.T) {
		t.Parallel()
		e, _ := admbConnectorEnv(t)
		e.runtime.TestFn = func(context.Context, string, string, string, bool, linkhub.TestInput) (linkhub.Report, error) {
			return linkhub.Report{Stages: []linkhub.Stage{{Name: linkhub.StageAddress, Status: linkhub.StatusFailed,
				Reason: linkhub.ReasonAddressNotAllowed, Hint: "The address is private."}}}, nil
		}
		_, doc := e.post("/admin/connectors", url.Values{"source": {admbAcmeSource}, "op": {"test"}, "field.api_token": {admbAcmeToken}})
		if doc.Find(`[data-stage="address"][data-status="failed"]`).Length() != 1 || doc.Find(`[data-stage="verify"][data-status="passed"]`).Length() != 0 {
			t.Errorf("private host: got %q, want the address stage failed", doc.Find(`[data-testid="test-result"]`).Text())
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		e, _ := admbConnectorEnv(t)
		admbStoredAcme(e, 0)
		var asked []string
		e.runtime.DeleteFn = func(_ context.Context, _ linkhub.Actor, id string) error {
			asked = append(asked, id)
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		for _, path := range []string{"/admin/connectors/runtime/nope", "/admin/connectors/runtime/BAD"} {
			if resp, _ := e.get(path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: got %d, want 404", path, resp.StatusCode)
			}
			if resp, _ := e.post(path+"/delete", nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("delete %s: got %d, want 404", path, resp.StatusCode)
			}
			if resp, _ := e.post(path, url.Values{"source": {admbAcmeSource}, "op": {"save"}}); resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s: got %d, want 404", path, resp.StatusCode)
			}
		}
		if !slices.Equal(asked, []string{"nope"}) {
			t.Errorf("the runtime was asked to delete %q, want nope only", asked)
		}
	})
}

// TestAdminConnectors_Upload: an uploaded file takes the place of the text:
// the runtime checks its content under its own base name, which the
// problems carry.
func TestAdminConnectors_Upload(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ upload, want string }{
		{"acme.yaml", "acme.yaml"},
		{`C:\defs\acme.yaml`, "acme.yaml"}, // as some browsers send it
	} {
		t.Run(tt.upload, func(t *testing.T) {
			t.Parallel()
			e, _ := admbConnectorEnv(t)
			var gotFile, gotSource string
			e.runtime.CheckFn = func(file, _, source string, _ bool) (linkhub.ConnectorSpec, error) {
				gotFile, gotSource = file, source
				return linkhub.ConnectorSpec{}, &linkhub.DefinitionError{Problems: []linkhub.DefinitionProblem{
					{File: file, Line: 1, Field: "name", Message: "missing property 'name'"}}}
			}
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			_ = mw.WriteField("source", "ignored")
			_ = mw.WriteField("op", "check")
			fw, _ := mw.CreateFormFile("file", tt.upload)
			_, _ = fw.Write([]byte("id: acme\n"))
			_ = mw.Close()
			req, _ := http.NewRequest(http.MethodPost, e.URL+"/admin/connectors", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			resp, doc := e.do(req)
			if got := doc.Find(`[data-testid="problem"]`).Text(); resp.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(got, tt.want+":") {
				t.Errorf("got %d %q, want the upload's problem, named by its file", resp.StatusCode, got)
			}
			if gotFile != tt.want || gotSource != "id: acme\n" {
				t.Errorf("the runtime checked %q from %q, want the file's content as %s", gotSource, gotFile, tt.want)
			}
		})
	}
}
