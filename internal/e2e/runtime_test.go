package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkhub/linkhub/internal/connector/fake"
)

// TestJourney_RuntimeConnector is the acceptance test of connectors defined
// at runtime: an admin pastes a definition of JumpCloud, a vendor not in the
// catalogue, written from JumpCloud's public facts alone
// (testdata/jumpcloud.yaml, pointed at the console under test), validates
// it, runs the live test with a real key, saves it, creates a profile from
// it, and a user links a JumpCloud account in the hub. The fake JumpCloud
// was written on another branch, from the same facts, not alongside the
// definition.
func TestJourney_RuntimeConnector(t *testing.T) {
	jc := fake.NewJumpCloud(t)
	src, err := os.ReadFile("testdata/jumpcloud.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def := strings.NewReplacer("https://console.jumpcloud.com", jc.URL, "https://console.eu.jumpcloud.com", jc.URL).Replace(string(src))
	catalogLink{
		connector: "jumpcloud",
		name:      "JumpCloud",
		servers:   []*fake.Server{jc.Server},
		actions:   []string{"list_users", "list_systems"},
		fields:    [][2]string{{"region", "us"}, {"api_key", jc.ClientSecret}},
		summary:   "Users",
		define: func(t *testing.T, b *Browser, lh *Linkhub) {
			// A slip first: the problem is shown next to the text, which is
			// kept; the page answers 422, which the browser logs.
			b.ExpectConsoleError("status of 422")
			b.do(t, chromedp.Navigate(lh.URL+"/admin/connectors/new"),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="connector-form"]`)),
				chromedp.SetValue(chromedp.CSS("#source"), strings.Replace(def, "kind: secret", "kind: secrets", 1)),
				chromedp.Click(chromedp.CSS(`[data-testid="check-connector"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="problems"]`)))
			if got := text(t, b, `[data-testid="problem"]`); !strings.HasPrefix(got, "pasted.yaml:31: fields[1].kind:") {
				t.Errorf("validate a slip: got %q, want the line and field", got)
			}
			b.do(t, chromedp.SetValue(chromedp.CSS("#source"), def),
				chromedp.Click(chromedp.CSS(`[data-testid="check-connector"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="valid"]`)))
			if got := text(t, b, `[data-testid="valid"]`); !strings.Contains(got, "JumpCloud") {
				t.Fatalf("validate: got %q", got)
			}
			b.do(t, chromedp.SetValue(chromedp.CSS("#field-region"), "us"),
				chromedp.SendKeys(chromedp.CSS("#field-api_key"), jc.ClientSecret),
				chromedp.Click(chromedp.CSS(`[data-testid="test-connector"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="test-result"]`)))
			if n := len(b.evalStrings(t, `[...document.querySelectorAll('[data-testid="test-ok"]')].map(e => e.textContent)`)); n != 1 {
				t.Fatalf("live test: got %q, want the key to work", text(t, b, `[data-testid="test-result"]`))
			}
			if html := b.evalStrings(t, `[document.documentElement.outerHTML]`); strings.Contains(html[0], jc.ClientSecret) {
				t.Fatal("the page after the live test shows the key")
			}
			b.do(t, chromedp.Click(chromedp.CSS(`[data-testid="save-connector"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)))
			if got := text(t, b, `[data-testid="flash"]`); !strings.Contains(got, "Saved version 1 of “JumpCloud”") {
				t.Fatalf("save: got %q", got)
			}
			// The delete confirmation (left unconfirmed), for its screen checks.
			b.do(t, chromedp.Navigate(lh.URL+"/admin/connectors/runtime/jumpcloud/delete"),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm-delete"]`)))
			b.do(t, chromedp.Navigate(lh.URL+"/admin/connectors"),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="connector-jumpcloud"]`)))
			if got := text(t, b, `[data-testid="connector-jumpcloud"] [data-testid="origin"]`); got != "runtime" {
				t.Errorf("list: got origin %q, want runtime", got)
			}
		},
	}.run(t)
}

// evalStrings evaluates a JavaScript expression giving a list of strings
// in the page.
func (b *Browser) evalStrings(t *testing.T, js string) []string {
	t.Helper()
	out, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](js))
	if err != nil {
		t.Fatal(err)
	}
	return out
}
