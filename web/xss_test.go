package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// xssPayloads are markup, script and template-injection strings; each holds
// a marker (XSSn) that must show up on the page as text, which proves the
// payload reached the page it is checked on.
var xssPayloads = []string{
	`<script>alert("XSS1")</script>`,
	`"><img src=x onerror=alert('XSS2')>`,
	`'><svg onload=alert('XSS3')>`,
	`javascript:alert('XSS4')`,
	`{{.XSS5}} ${XSS5} <%= XSS5 %> {{7*7}}`,
	`</textarea></pre><script>XSS6</script>`,
	`" autofocus onfocus="alert('XSS7')`,
	`<a href="javascript:alert('XSS8')">x</a>`,
	`<iframe srcdoc="<script>XSS9</script>"></iframe>`,
	`</script><script>XSS10</script><!--`,
}

// mustBeInert checks that nothing injected can run on the page: scripts
// only from /static/, no inline event handlers, no script URLs, no frames
// or objects; and that the marker of the payload shows up as text or
// attribute value (so the payload was really there, escaped).
func mustBeInert(t *testing.T, what, body, marker string) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, _ := s.Attr("src")
		if !strings.HasPrefix(src, "/static/") || strings.TrimSpace(s.Text()) != "" {
			h, _ := goquery.OuterHtml(s)
			t.Errorf("%s: an inline or foreign script: %s", what, h)
		}
	})
	if n := doc.Find("iframe, object, embed, frame").Length(); n > 0 {
		t.Errorf("%s: %d injected frames or objects", what, n)
	}
	seen := false
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			v := strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(a.Key, "on"):
				t.Errorf("%s: an event handler attribute %s=%q", what, a.Key, a.Val)
			case (a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction") &&
				(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:")):
				t.Errorf("%s: a script URL %s=%q", what, a.Key, a.Val)
			case a.Key == "srcdoc":
				t.Errorf("%s: a srcdoc attribute", what)
			}
			if strings.Contains(a.Val, marker) {
				seen = true
			}
		}
	})
	if !seen && !strings.Contains(doc.Text(), marker) {
		t.Errorf("%s: the payload marker %s is not on the page: the check proves nothing", what, marker)
	}
}

// TestXSS_EveryField puts each payload into every field a user, the host
// product or a vendor controls (profile name, owner name, user name, label,
// session metadata, hub form values, a vendor's error page, audit details),
// as the services hand them back, then checks every page that shows them,
// in the hub and the admin console, and the postMessage payload, which must
// be JSON carrying the text intact. No database: that the services keep
// such text as given is TestService_Submit_MarkupKept (internal/linking).
func TestXSS_EveryField(t *testing.T) {
	t.Parallel()
	const (
		profID = "8f9c1d1e-0000-4000-8000-000000000021"
		acctID = "8f9c1d1e-0000-4000-8000-000000000022"
	)
	for i, p := range xssPayloads {
		marker := fmt.Sprintf("XSS%d", i+1)
		t.Run(marker, func(t *testing.T) {
			t.Parallel()
			env := newMockEnv(t, web.Config{})
			env.signIn()
			miscAllowEmbed(env)
			owner := "owner-" + marker + p // carried back in the postMessage
			cs := mockSession()
			cs.OriginOwnerID, cs.OriginOwnerName, cs.OriginUsername, cs.Label = owner, p, p, p
			cs.Metadata, cs.EmbedOrigin = map[string]any{"note": p}, embedOrigin
			env.withHubSession(cs)
			target := miscJamfTarget(t)
			target.Profile.ID, target.Profile.Name = profID, p
			prof, plain := target.Profile, &linkhub.Profile{ID: "8f9c1d1e-0000-4000-8000-000000000023", ConnectorID: "sophos", Name: "Plain", Enabled: true}
			account := &linkhub.Account{ID: acctID, ProfileID: profID, ConnectorID: "jamf", OriginOwnerID: owner, OriginOwnerName: p,
				OriginUsername: p, Label: p, Status: linkhub.AccountActive, Values: map[string]string{"url": "https://acme.jamfcloud.com", "client_id": p},
				Metadata: map[string]string{"version": p}, SessionMetadata: map[string]any{"note": p}, CreatedAt: time.Now()}
			env.linking.ProfilesFn = func(context.Context, *linkhub.ConnectSession) ([]*linkhub.Profile, error) {
				return []*linkhub.Profile{prof, plain}, nil
			}
			miscHubTarget(env, target)

			mustBeInert(t, "hub picker", miscBody(env, http.MethodGet, "/hub/h1", nil), marker)
			formPath := "/hub/h1/profiles/" + profID
			mustBeInert(t, "hub form", miscBody(env, http.MethodGet, formPath, nil), marker)

			// Form values echoed back with their errors.
			env.linking.SubmitFn = func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
				if sub.Form.Values["url"] != p || sub.Form.Values["client_id"] != p {
					t.Errorf("the service got %v, want the payload as typed", sub.Form.Values)
				}
				return &linking.Outcome{Kind: linking.Invalid, Target: target, FieldErrors: map[string]string{
					"url": "Enter the address of your Jamf Pro server.", "client_secret": "Client secret is required."}}, nil
			}
			echoed := miscBody(env, http.MethodPost, formPath+"/connect", url.Values{"url": {p}, "client_id": {p}, "client_secret": {""}})
			mustBeInert(t, "hub form with errors", echoed, marker)

			// A vendor answering with markup: its snippet is shown, escaped, and
			// the failure is carried in the postMessage as JSON.
			env.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) {
				return &linking.Outcome{Kind: linking.Failed, Target: target, Report: linkhub.Report{Stages: []linkhub.Stage{
					{Name: linkhub.StageValidate, Status: linkhub.StatusPassed},
					{Name: linkhub.StageToken, Status: linkhub.StatusFailed, HTTPStatus: 400, Reason: linkhub.ReasonBadCredentials,
						Hint: "Jamf Pro refused the client secret.", Snippet: "<html><body><h1>Bad request</h1>" + p + "</body></html>"}}}}, nil
			}
			failed := miscBody(env, http.MethodPost, formPath+"/connect", url.Values{"url": {"https://acme.jamfcloud.com"}, "client_id": {"cid"}})
			mustBeInert(t, "hub failure", failed, marker)
			mustCarryJSON(t, failed, "failure", "error", "")

			env.linking.SubmitFn = func(context.Context, linking.Submission) (*linking.Outcome, error) {
				return &linking.Outcome{Kind: linking.Linked, Target: target, Account: account}, nil
			}
			success := miscBody(env, http.MethodPost, formPath+"/connect", url.Values{"url": {"https://acme.jamfcloud.com"}, "client_id": {"cid"}})
			mustBeInert(t, "hub success", success, marker)
			mustCarryJSON(t, success, "success", "success", owner)

			// The admin console, on what the services keep.
			env.profiles.FindProfilesFn = func(context.Context, linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
				return []*linkhub.Profile{prof, plain}, nil
			}
			env.profiles.FindProfileByIDFn = func(_ context.Context, id string) (*linkhub.Profile, error) {
				if id != profID {
					return nil, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
				}
				return prof, nil
			}
			env.accounts.CountAccountsByProfileFn = func(context.Context) (map[string]int, error) { return map[string]int{profID: 1}, nil }
			var queries []string
			env.accounts.FindAccountsFn = func(_ context.Context, f linkhub.AccountFilter) ([]*linkhub.Account, string, error) {
				if f.Search != nil {
					queries = append(queries, *f.Search)
				}
				return []*linkhub.Account{account}, "", nil
			}
			env.accounts.FindAccountByIDFn = func(context.Context, string) (*linkhub.Account, error) { return account, nil }
			env.attempts.FindAccountAttemptsFn = func(context.Context, string, int) ([]*linkhub.Attempt, error) { return nil, nil }
			env.audit.FindAuditEntriesFn = func(context.Context, linkhub.AuditFilter) ([]*linkhub.AuditEntry, bool, error) {
				return []*linkhub.AuditEntry{{ID: 1, Actor: linkhub.Actor{Kind: "end_user", Label: p}, Action: linkhub.ActionAccountLinked,
					TargetKind: "account", TargetID: acctID, Details: map[string]string{"origin_owner_name": p, "label": p}, CreatedAt: time.Now()}}, false, nil
			}
			for _, path := range []string{"/admin/profiles", "/admin/profiles/" + profID, "/admin/accounts",
				"/admin/accounts?q=" + url.QueryEscape(owner), "/admin/accounts/" + acctID, "/admin/audit"} {
				mustBeInert(t, path, miscBody(env, http.MethodGet, path, nil), marker)
			}
			if len(queries) != 1 || queries[0] != owner {
				t.Errorf("the account search asked for %q, want the owner as typed", queries)
			}
		})
	}
}

// miscBody sends a request as a same-origin browser would, with the env's
// cookies, and returns the page; an answer of 500 or more fails the test.
func miscBody(env *mockEnv, method, path string, form url.Values) string {
	env.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, env.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	resp, b := env.send(req)
	if resp.StatusCode >= 500 {
		env.t.Fatalf("%s %s: got %d", method, path, resp.StatusCode)
	}
	return string(b)
}

// mustCarryJSON checks the page's postMessage payload: a JSON object in a
// data attribute (hub.js parses it and posts the object, never HTML), of
// type typ, whose account's owner, when owner is not "", is the payload
// intact.
func mustCarryJSON(t *testing.T, body, testid, typ, owner string) {
	t.Helper()
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	raw, ok := doc.Find(`[data-testid="` + testid + `"]`).Attr("data-linkhub-message")
	var msg struct {
		Source, Type string
		Account      map[string]string
	}
	if !ok || json.Unmarshal([]byte(raw), &msg) != nil || msg.Source != "linkhub" || msg.Type != typ ||
		(owner != "" && msg.Account["origin_owner_id"] != owner) {
		t.Errorf("%s: got message %q, want a JSON object of type %s for owner %q", testid, raw, typ, owner)
	}
}
