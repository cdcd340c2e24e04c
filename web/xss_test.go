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

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
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
// session metadata, hub form values, a vendor's error page), then checks
// every page that shows them, in the hub and the admin console, and the
// postMessage payload, which must be JSON carrying the text intact.
func TestXSS_EveryField(t *testing.T) {
	t.Parallel()
	env := MustHubEnv(t, web.HubLimits{PerSession: 1000, PerIP: 1000})
	admin := env.adminClient(t)
	plain := env.MustProfile(t, "sophos", "Plain")
	page := func(c *http.Client, method, path string, form url.Values) string {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodPost {
			req, _ := http.NewRequest(method, env.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err = c.Do(req)
		} else {
			resp, err = c.Get(env.srv.URL + path)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s: got %d", method, path, resp.StatusCode)
		}
		return string(b)
	}
	for i, p := range xssPayloads {
		marker := fmt.Sprintf("XSS%d", i+1)
		t.Run(marker, func(t *testing.T) {
			prof := env.MustProfile(t, "jamf", p)
			owner := "owner-" + marker + p // carried back in the postMessage
			tok := env.MustToken(t, map[string]any{"origin_owner_id": owner, "origin_owner_name": p, "origin_username": p,
				"label": p, "metadata": map[string]any{"note": p}, "embed_origin": embedOrigin,
				"profile_ids": []string{prof.ID, plain.ID}})
			hub := env.MustOpen(t, tok)
			mustBeInert(t, "hub picker", page(env.client, http.MethodGet, hub, nil), marker)
			formPath := hub + "/profiles/" + prof.ID
			mustBeInert(t, "hub form", page(env.client, http.MethodGet, formPath, nil), marker)

			// Form values echoed back with their errors.
			echoed := page(env.client, http.MethodPost, formPath+"/connect", url.Values{"url": {p}, "client_id": {p}, "client_secret": {""}})
			mustBeInert(t, "hub form with errors", echoed, marker)

			// A vendor answering with markup: its snippet is shown, escaped, and
			// carried in the postMessage as JSON.
			env.jamf.SetErrorBody("<html><body><h1>Bad request</h1>" + p + "</body></html>")
			failed := page(env.client, http.MethodPost, formPath+"/connect", env.jamfForm(env.jamf.ClientSecret))
			env.jamf.SetErrorBody("")
			mustBeInert(t, "hub failure", failed, marker)
			mustCarryJSON(t, failed, "failure", "error", "")

			success := page(env.client, http.MethodPost, formPath+"/connect", env.jamfForm(env.jamf.ClientSecret))
			mustBeInert(t, "hub success", success, marker)
			mustCarryJSON(t, success, "success", "success", owner)

			list, _, err := env.accounts.FindAccounts(context.Background(), linkhub.AccountFilter{OriginOwnerID: &owner})
			if err != nil || len(list) != 1 || list[0].Label != p || list[0].OriginOwnerName != p {
				t.Fatalf("got accounts %v (%v), want one labelled with the payload, stored as given", list, err)
			}
			for _, path := range []string{"/admin/profiles", "/admin/profiles/" + prof.ID, "/admin/accounts",
				"/admin/accounts?q=" + url.QueryEscape(owner), "/admin/accounts/" + list[0].ID, "/admin/audit"} {
				mustBeInert(t, path, page(admin, http.MethodGet, path, nil), marker)
			}
		})
	}
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
