package web_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/web"
)

// hubaWantUsed fails the test unless the answer is the "already used" page:
// 410, in words distinct from the expired page.
func hubaWantUsed(t *testing.T, resp *http.Response, doc *goquery.Document, what string) {
	t.Helper()
	text := doc.Find("main").Text()
	if resp.StatusCode != http.StatusGone || !strings.Contains(text, "already used") || strings.Contains(text, "expired") {
		t.Errorf("%s: got %d %q, want 410 saying the link was already used", what, resp.StatusCode, text)
	}
}

// TestHub_LinkSpendsSession: once a connect link is spent, opening it
// again, a hub opened before, its form and a form posted from it (which the
// service refuses) all show the "already used" page; only the retry of the
// submission that spent it gets past, to its result. Which links spend a
// session is TestService_SubmitSpendsSession's and
// TestAccountService_LinkSpendsSession's.
func TestHub_LinkSpendsSession(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	spent := mockSession()
	spent.Links = 1
	e.withHubSession(spent)
	e.connectSessions.OpenHubSessionFn = func(context.Context, string) (string, *linkhub.ConnectSession, error) {
		return "", nil, linkhub.Errorf(linkhub.ESPENT, "This link was already used.")
	}
	p := hubaProfile("p1", "jamf", "Jamf")
	e.hubaOffer(nil, p)
	account := hubaAccount(p)
	subs := e.hubaSubmit(func(_ context.Context, sub linking.Submission) (*linking.Outcome, error) {
		if sub.ID != "sub-linked" {
			return nil, linking.ErrLinkUsed
		}
		return &linking.Outcome{Kind: linking.Linked, Account: account,
			Stored: &linkhub.AttemptReport{Stages: []linkhub.AttemptStage{{Name: "token", Status: "passed"}}}}, nil
	})
	hub := "/hub/" + mockHubHandle

	resp, doc := e.get("/connect?token=" + mockHubToken)
	hubaWantUsed(t, resp, doc, "open again")
	resp, doc = e.get(hub)
	hubaWantUsed(t, resp, doc, "hub opened before the link")
	resp, doc = e.get(hub + "/profiles/p1")
	hubaWantUsed(t, resp, doc, "its form")
	resp, doc = e.post(hub+"/profiles/p1/connect", hubaJamfForm(hubaSecret))
	hubaWantUsed(t, resp, doc, "form posted from that hub")
	if got := subs.all(); len(got) != 1 || got[0].Session != spent {
		t.Errorf("the service got %d submissions, want the post with the spent session", len(got))
	}

	form := hubaJamfForm(hubaSecret)
	form.Set("submission", "sub-linked")
	resp, doc = e.post(hub+"/profiles/p1/connect", form)
	if resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Errorf("retry of the submission that linked: got %d, want 200 and the success screen", resp.StatusCode)
	}

	// A hub session both spent and expired.
	e.connectSessions.FindHubSessionFn = func(context.Context, string) (*linkhub.ConnectSession, error) {
		return nil, linkhub.Errorf(linkhub.ESPENT, "This link was already used.")
	}
	resp, doc = e.get(hub)
	hubaWantUsed(t, resp, doc, "spent and expired")
}

// TestHub_ConcurrentLinksOneSession: two hubs of one one-time link post the
// form at once; the service links one and refuses the other, which is told
// that a test is running (409, when its test overlapped the first) or that
// the link is used (410). That exactly one links is
// TestAccountService_LinkSpendsSession's (it forces the overlap) and
// TestAttemptService_OneRunningPerSession's.
func TestHub_ConcurrentLinksOneSession(t *testing.T) {
	t.Parallel()
	e := newMockEnv(t, web.Config{})
	cs := mockSession()
	e.connectSessions.FindHubSessionFn = func(_ context.Context, handle string) (*linkhub.ConnectSession, error) {
		if handle != "h1" && handle != "h2" {
			return nil, linkhub.Errorf(linkhub.ENOTFOUND, "This link is not valid.")
		}
		return cs, nil
	}
	p := hubaProfile("p1", "jamf", "Jamf")
	e.hubaOffer(nil, p)
	for _, tc := range []struct {
		name      string
		loser     error
		want      int
		wantWords string
	}{
		{"TestRunning", linkhub.Errorf(linkhub.ECONFLICT, "Your credentials are already being tested. Wait a few seconds for the result, then reload this page."),
			http.StatusConflict, "already being tested"},
		{"LinkUsed", linking.ErrLinkUsed, http.StatusGone, "already used"},
	} {
		var linked atomic.Bool
		subs := e.hubaSubmit(func(context.Context, linking.Submission) (*linking.Outcome, error) {
			if linked.CompareAndSwap(false, true) {
				return &linking.Outcome{Kind: linking.Linked, Account: hubaAccount(p), Report: hubaJamfReport(nil)}, nil
			}
			return nil, tc.loser
		})
		var wg sync.WaitGroup
		handles := []string{"h1", "h2"}
		statuses, words, errs := make([]int, 2), make([]string, 2), make([]error, 2)
		for i, h := range handles {
			req, _ := http.NewRequest(http.MethodPost, e.URL+"/hub/"+h+"/profiles/p1/connect", strings.NewReader(hubaJamfForm(hubaSecret).Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			wg.Go(func() {
				resp, err := e.client.Do(req)
				if errs[i] = err; err != nil {
					return
				}
				defer resp.Body.Close()
				statuses[i] = resp.StatusCode
				doc, err := goquery.NewDocumentFromReader(resp.Body)
				if errs[i] = err; err == nil {
					words[i] = doc.Find("main").Text()
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		loser := slices.IndexFunc(statuses, func(s int) bool { return s != http.StatusOK })
		if loser < 0 || statuses[1-loser] != http.StatusOK || statuses[loser] != tc.want || !strings.Contains(words[loser], tc.wantWords) {
			t.Errorf("%s: got statuses %v (%q), want one 200 and one %d saying %q", tc.name, statuses, words, tc.want, tc.wantWords)
		}
		got := subs.all()
		if len(got) != 2 || got[0].Session != cs || got[1].Session != cs || got[0].Handle == got[1].Handle {
			t.Errorf("%s: the service got %d submissions, want one from each hub of the session", tc.name, len(got))
		}
	}
}
