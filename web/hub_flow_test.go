package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/linkhub/linkhub/web"
)

// TestHub_InputErrors: an empty or malformed form is the user's to fix: a
// summary linking to each field, a message beside it, no vendor call, no
// attempt, no test used up and no message to the host page.
func TestHub_InputErrors(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{PerSession: 1, PerIP: 100, Window: time.Hour})
	env.MustProfile(t, "jamf", "Jamf")
	env.MustProfile(t, "sophos", "Sophos")
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, map[string]any{"embed_origin": embedOrigin, "connector": "jamf"})))

	for i := 0; i < 11; i++ {
		resp, doc := env.post(t, action, url.Values{"url": {""}, "client_id": {"  "}, "client_secret": {""}})
		summary := doc.Find(`[data-testid="error-summary"]`)
		if resp.StatusCode != http.StatusOK || summary.Length() != 1 {
			t.Fatalf("empty submit %d: got %d, want 200 with the error summary", i+1, resp.StatusCode)
		}
		if i > 0 {
			continue
		}
		var links []string
		summary.Find("a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
		if want := "#f-url #f-client_id #f-client_secret"; strings.Join(links, " ") != want {
			t.Errorf("got summary links %v, want %s", links, want)
		}
		for _, id := range []string{"url", "client_id", "client_secret"} {
			if doc.Find("#f-"+id).AttrOr("aria-invalid", "") != "true" || !strings.Contains(doc.Find(`[data-testid="error-`+id+`"]`).Text(), "required") {
				t.Errorf("%s: want aria-invalid and its message beside it", id)
			}
		}
		if doc.Find(`[data-testid="failure"]`).Length() != 0 || doc.Find(`[data-linkhub-message]`).Length() != 0 {
			t.Error("an input error shows the vendor failure or tells the host page")
		}
	}
	// Malformed: a Sophos client ID that is not a UUID.
	sophosAction, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, map[string]any{"connector": "sophos"})))
	_, doc := env.post(t, sophosAction, url.Values{"client_id": {"nope"}, "client_secret": {"x"}})
	if !strings.Contains(doc.Find(`[data-testid="error-client_id"]`).Text(), "UUID") || doc.Find(`[data-testid="error-summary"] a[href="#f-client_id"]`).Length() != 1 {
		t.Errorf("malformed client id: got %q, want the UUID message, linked from the summary", doc.Find(`[data-testid="error-client_id"]`).Text())
	}
	// Malformed for its connector: a Jamf address with a user name in it.
	_, doc = env.post(t, action, url.Values{"url": {"https://admin:pw@acme.jamfcloud.com"}, "client_id": {"x"}, "client_secret": {"x"}})
	if !strings.Contains(doc.Find(`[data-testid="error-url"]`).Text(), "Remove the user name") || doc.Find(`[data-testid="error-summary"] a[href="#f-url"]`).Length() != 1 {
		t.Errorf("malformed Jamf address: got %q, want Jamf's message, linked from the summary", doc.Find(`[data-testid="error-url"]`).Text())
	}
	if n := len(env.jamf.Requests()) + len(env.sophos.Requests()); n != 0 {
		t.Errorf("got %d vendor requests, want none", n)
	}
	var attempts int
	_ = env.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM attempts`).Scan(&attempts)
	if attempts != 0 {
		t.Errorf("got %d attempts, want none", attempts)
	}
	// The session's one test is still there.
	if resp, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret)); resp.StatusCode != http.StatusOK || doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Errorf("got %d, want the account linked with the test the input errors did not use", resp.StatusCode)
	}
}

// TestHub_VendorFailureWords: a vendor's refusal leads with plain words and
// the fix; the technical detail waits collapsed; the secret to paste again
// is marked.
func TestHub_VendorFailureWords(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	_, doc := env.post(t, action, env.jamfForm("wrong-secret-value"))
	failure := doc.Find(`[data-testid="failure"]`)
	if got := failure.Find(`[data-testid="failure-headline"]`).Text(); got != "Signing in with these credentials did not work" {
		t.Errorf("got headline %q, want plain words", got)
	}
	first := failure.Children().Eq(1)
	if first.AttrOr("data-testid", "") != "failed-hint" {
		t.Errorf("got %q after the headline, want the fix", first.Text())
	}
	details := failure.Find(`details[data-testid="it-details"]`)
	if _, open := details.Attr("open"); details.Length() != 1 || open || !strings.Contains(details.Find("summary").Text(), "Details for your IT team") {
		t.Error("want the technical detail in a collapsed Details for your IT team")
	}
	if details.Find(`[data-testid="failed-status"]`).Text() != "401" || details.Find(`[data-stage]`).Length() != 5 {
		t.Error("want the HTTP status and the stages inside the details")
	}
	if doc.Find("#f-client_secret").AttrOr("aria-invalid", "") != "true" || !strings.Contains(doc.Find(`[data-testid="error-client_secret"]`).Text(), "Paste the client secret again") {
		t.Error("want the emptied secret marked for re-entry")
	}
	if doc.Find("#f-client_id").AttrOr("aria-invalid", "") != "false" {
		t.Error("the kept client ID is marked invalid")
	}
}

// TestHub_Endings: the success screen's way out fits where the hub runs, an
// unknown link is not called expired, and a relink's secret is optional.
func TestHub_Endings(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	returnURL := embedOrigin + "/integrations"
	for name, tt := range map[string]struct {
		extra      map[string]any
		want, none string
	}{
		"Embedded":  {map[string]any{"embed_origin": embedOrigin, "return_url": returnURL}, `[data-testid="done"]`, `[data-testid="back-to-product"]`},
		"ReturnURL": {map[string]any{"return_url": returnURL}, `[data-testid="return"]`, `[data-testid="done"]`},
		"NoWayBack": {nil, `[data-testid="standalone-done"]`, `[data-testid="done"]`},
	} {
		t.Run(name, func(t *testing.T) {
			extra := map[string]any{"origin_owner_id": name} // one link each: no duplicate to ask about
			for k, v := range tt.extra {
				extra[k] = v
			}
			action, form := env.formOf(t, env.MustOpen(t, env.MustToken(t, extra)))
			if tt.extra["return_url"] != nil && tt.extra["embed_origin"] == nil {
				if a := form.Find(`[data-testid="back-to-product"]`); a.AttrOr("href", "") != returnURL || a.Text() != "Back to Linkhub" {
					t.Errorf("got header link %q to %q, want Back to Linkhub to the return_url", a.Text(), a.AttrOr("href", ""))
				}
			} else if _, hidden := form.Find(`[data-testid="close"]`).Attr("hidden"); !hidden {
				t.Error("want Close hidden until hub.js knows it works")
			}
			_, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
			if doc.Find(tt.want).Length() != 1 || doc.Find(tt.none).Length() != 0 {
				t.Errorf("got %q, want %s and no %s", doc.Find("main").Text(), tt.want, tt.none)
			}
		})
	}
	t.Run("UnknownIsNotExpired", func(t *testing.T) {
		_, doc := env.get(t, "/hub/nope")
		if got := doc.Find("h1").Text(); got != "This link does not work" {
			t.Errorf("got %q, want the unknown-link words", got)
		}
	})
	t.Run("RelinkSecretOptional", func(t *testing.T) {
		a := env.allAccounts(t)[0]
		_, form := env.formOf(t, env.MustOpen(t, env.MustToken(t, map[string]any{"account_id": a.ID, "origin_owner_id": a.OriginOwnerID})))
		label := form.Find(`label[for="f-client_secret"]`).Text()
		if !strings.Contains(label, "(optional)") || strings.Contains(label, "required") {
			t.Errorf("got secret label %q, want it optional", label)
		}
	})
}

// TestHub_ProfileSubtitle: a profile named like its vendor is not
// subtitled with the same words.
func TestHub_ProfileSubtitle(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf Pro")
	_, form := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
	if got := form.Find(`[data-testid="profile-subtitle"]`).Text(); got == "" || got == "Jamf Pro" {
		t.Errorf("got subtitle %q, want something other than the title", got)
	}
}

// TestHub_DuplicateIdentity: linking the same Jamf Pro server twice for one
// owner asks first; replacing puts the new credentials on the old account,
// keeping both links two accounts. The API names each account's server.
func TestHub_DuplicateIdentity(t *testing.T) {
	env := MustHubEnv(t, web.HubLimits{})
	env.MustProfile(t, "jamf", "Jamf")
	link := func() *goquery.Document {
		t.Helper()
		action, _ := env.formOf(t, env.MustOpen(t, env.MustToken(t, nil)))
		_, doc := env.post(t, action, env.jamfForm(env.jamf.ClientSecret))
		return doc
	}
	if doc := link(); doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatal("first link: want success")
	}
	first := env.allAccounts(t)[0]
	choose := func(choice string) *goquery.Document {
		t.Helper()
		doc := link()
		if got := doc.Find(`[data-testid="choose-title"]`).Text(); got != "You already linked this Jamf Pro" {
			t.Fatalf("second link: got %q, want the duplicate flagged", got)
		}
		if !strings.Contains(doc.Find(`[data-testid="choices"]`).Text(), env.jamf.URL) {
			t.Errorf("got choices %q, want the server named", doc.Find(`[data-testid="choices"]`).Text())
		}
		if n := len(env.allAccounts(t)); n != 1 {
			t.Fatalf("got %d accounts before the choice, want 1", n)
		}
		action := doc.Find(`[data-testid="choices"]`).AttrOr("action", "")
		_, doc = env.post(t, action, url.Values{"choice": {choice}})
		return doc
	}
	if doc := choose("replace"); doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("replace: got %q, want success", doc.Find("main").Text())
	}
	list := env.allAccounts(t)
	if len(list) != 1 || list[0].ID != first.ID || list[0].CredentialVersion != 2 || list[0].Metadata["duplicate_of"] != "" {
		t.Fatalf("after replace: got %d accounts (%+v), want the first with credential version 2", len(list), list[0])
	}
	if doc := choose("another"); doc.Find(`[data-testid="success"]`).Length() != 1 {
		t.Fatalf("another: got %q, want success", doc.Find("main").Text())
	}
	if n := len(env.allAccounts(t)); n != 2 {
		t.Errorf("after another: got %d accounts, want 2", n)
	}

	req, _ := http.NewRequest(http.MethodGet, env.srv.URL+"/api/v1/accounts/"+first.ID, nil)
	req.Header.Set("Authorization", "Bearer "+env.apiKey)
	resp, err := env.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Identity string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Identity != env.jamf.URL {
		t.Errorf("API: got identity %q (%v), want %q", got.Identity, err, env.jamf.URL)
	}
}
