package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/linkhub/linkhub/web"
)

// TestHub_LinkSpendsSession: a connect link is spent by its first successful
// link. Opening it again, a hub opened before the link, and a form posted
// from that hub all show the "already used" page (410, in words distinct
// from the expired page) and link nothing. A failed test spends nothing, a
// session created with max_links 2 links twice, and one successful relink
// spends a relink session.
func TestHub_LinkSpendsSession(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	wantUsed := func(t *testing.T, resp *http.Response, doc interface{ Text() string }, what string) {
		t.Helper()
		text := doc.Text()
		if resp.StatusCode != http.StatusGone || !strings.Contains(text, "already used") || strings.Contains(text, "expired") {
			t.Errorf("%s: got %d %q, want 410 saying the link was already used", what, resp.StatusCode, text)
		}
	}
	// link links from hub; the same Jamf server linked again by the owner
	// is asked about first, and linked as another account.
	link := func(t *testing.T, hub, secret string) (*http.Response, bool) {
		t.Helper()
		action, _ := env.formOf(t, hub)
		resp, doc := env.post(t, action, env.jamfForm(secret))
		if choices := doc.Find(`[data-testid="choices"]`); choices.Length() == 1 {
			resp, doc = env.post(t, choices.AttrOr("action", ""), url.Values{"choice": {"another"}})
		}
		return resp, doc.Find(`[data-testid="success"]`).Length() == 1
	}

	t.Run("OneTime", func(t *testing.T) {
		tok := env.MustToken(t, nil)
		first, second := env.MustOpen(t, tok), env.MustOpen(t, tok)
		action, _ := env.formOf(t, second) // the user opened the form in another tab too
		if _, ok := link(t, first, "wrong secret"); ok {
			t.Fatal("a wrong secret linked")
		}
		if resp, ok := link(t, first, env.jamf.ClientSecret); !ok { // the failure spent nothing
			t.Fatalf("first link: got %d without the success screen", resp.StatusCode)
		}
		before := len(env.allAccounts(t))
		resp, err := env.client.Get(env.srv.URL + "/connect?token=" + tok)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		r, doc := env.get(t, "/connect?token="+tok)
		wantUsed(t, r, doc.Find("main"), "open again")
		r, doc = env.get(t, second)
		wantUsed(t, r, doc.Find("main"), "hub opened before the link")
		r, doc = env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
		wantUsed(t, r, doc.Find("main"), "form posted from that hub")
		if got := len(env.allAccounts(t)); got != before {
			t.Errorf("got %d accounts after the spent link was used, want %d", got, before)
		}
	})

	t.Run("MaxLinks", func(t *testing.T) {
		tok := env.MustToken(t, map[string]any{"max_links": 2})
		for i := range 2 {
			if resp, ok := link(t, env.MustOpen(t, tok), env.jamf.ClientSecret); !ok {
				t.Fatalf("link %d of 2: got %d without the success screen", i+1, resp.StatusCode)
			}
		}
		r, doc := env.get(t, "/connect?token="+tok)
		wantUsed(t, r, doc.Find("main"), "third open")
	})

	t.Run("Relink", func(t *testing.T) {
		accounts := env.allAccounts(t)
		tok := env.MustToken(t, map[string]any{"account_id": accounts[0].ID, "origin_owner_id": accounts[0].OriginOwnerID})
		hub := env.MustOpen(t, tok)
		if resp, ok := link(t, hub, ""); !ok { // a blank secret keeps the stored one
			t.Fatalf("relink: got %d without the success screen", resp.StatusCode)
		}
		r, doc := env.get(t, hub)
		wantUsed(t, r, doc.Find("main"), "relink hub after the relink")
	})
}

// TestHub_ConcurrentLinksOneSession: two hubs of one one-time link post the
// form at once; exactly one of them links, the other is told the link is
// used (410) or, when its test overlapped the first, that a test is running
// (409). TestAccountService_LinkSpendsSession forces the overlap of the
// links themselves.
func TestHub_ConcurrentLinksOneSession(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	for round := range 3 {
		// An owner per round: a second link of the same server by the same
		// owner would stop at the duplicate question.
		tok := env.MustToken(t, map[string]any{"origin_owner_id": fmt.Sprintf("owner-%d", round)})
		var actions []string
		for range 2 {
			a, _ := env.formOf(t, env.MustOpen(t, tok))
			actions = append(actions, a)
		}
		before := len(env.allAccounts(t))
		var wg sync.WaitGroup
		statuses, errs := make([]int, len(actions)), make([]error, len(actions))
		for i, a := range actions {
			req, _ := http.NewRequest(http.MethodPost, env.srv.URL+a, strings.NewReader(env.jamfForm(env.jamf.ClientSecret).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			wg.Go(func() {
				resp, err := env.client.Do(req)
				if errs[i] = err; err == nil {
					statuses[i] = resp.StatusCode
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if got := len(env.allAccounts(t)) - before; got != 1 {
			t.Fatalf("round %d: %d accounts linked (statuses %v), want exactly 1", round, got, statuses)
		}
		slices.Sort(statuses)
		if statuses[0] != http.StatusOK || statuses[1] != http.StatusConflict && statuses[1] != http.StatusGone {
			t.Fatalf("round %d: got statuses %v, want one 200 and one 409 or 410", round, statuses)
		}
	}
}
