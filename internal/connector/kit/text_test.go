package kit

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pseudo"
)

// TestTextCatalog: every shared text is in every hub language, with the
// English's verbs in the English's order, so no language falls back and
// none formats wrongly.
func TestTextCatalog(t *testing.T) {
	ids := TextIDs()
	slices.Sort(ids)
	for _, id := range ids {
		en := catalog()[id]["en"]
		if en == "" {
			t.Errorf("%s: no English", id)
			continue
		}
		for _, tag := range linkhub.Locales[1:] {
			tr := catalog()[id][tag]
			if tr == "" {
				t.Errorf("%s: no %s text", id, tag)
				continue
			}
			if err := definition.SamePlaceholders(en, tr); err != nil {
				t.Errorf("%s, %s: %v", id, tag, err)
			}
		}
		for tag := range catalog()[id] {
			if !slices.Contains(linkhub.Locales, tag) {
				t.Errorf("%s: %q is not a hub language", id, tag)
			}
		}
	}
	t.Logf("%d shared texts in %d languages", len(ids), len(linkhub.Locales))
}

// TestRecorder_Locale: kit's hints reach the report in the language the
// context carries, the pseudo-locale's made from the English; a hint a
// connector put in place of kit's stays as the connector wrote it.
func TestRecorder_Locale(t *testing.T) {
	timeout := func() *Failure {
		return NetFailure(context.DeadlineExceeded, "acme.example", Config{Timeout: 10 * time.Second})
	}
	for _, tt := range []struct{ tag, want string }{
		{"en", "acme.example did not answer within 10s. Check the address, or try again later."},
		{"de", "acme.example hat nicht innerhalb von 10s geantwortet. Prüfen Sie die Adresse oder versuchen Sie es später erneut."},
		{"ja", "acme.example から 10s 以内に応答がありませんでした。アドレスを確認するか、後でもう一度お試しください。"},
		{linkhub.PseudoLocale, strings.Replace(strings.Replace(pseudo.Text("%s did not answer within %s. Check the address, or try again later."),
			"%s", "acme.example", 1), "%s", "10s", 1)},
	} {
		rec := NewRecorder(linkhub.WithLocale(context.Background(), tt.tag))
		rec.Begin(linkhub.StageAddress).Fail(timeout())
		r := rec.Report()
		if got := r.Stages[1].Hint; got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.tag, got, tt.want)
		}
		if tt.tag == "de" && r.Stages[2].Hint != "Nicht ausgeführt, weil ein früherer Schritt fehlgeschlagen ist." {
			t.Errorf("de: a stage not run says %q", r.Stages[2].Hint)
		}
	}
	rec := NewRecorder(linkhub.WithLocale(context.Background(), "de"))
	f := timeout()
	f.Hint = "Acme antwortet nachts nicht."
	rec.Begin(linkhub.StageAddress).Fail(f)
	if got := rec.Report().Stages[1].Hint; got != "Acme antwortet nachts nicht." {
		t.Errorf("a connector's own hint: got %q", got)
	}
}

// TestBusyWait_Locale: the wait a vendor asks for is worded in the user's
// language too.
func TestBusyWait_Locale(t *testing.T) {
	f := &Failure{Reason: linkhub.ReasonVendorUnavailable}
	if _, retry := retryDelay(context.Background(), f, "600", Config{Timeout: 10 * time.Second}, "Acme"); retry {
		t.Fatal("a 10-minute Retry-After was waited for")
	}
	if got, want := f.hintIn("en"), "Acme is busy and asks to wait 10 minutes. Try again then."; got != want {
		t.Errorf("en: got %q, want %q", got, want)
	}
	if got, want := f.hintIn("fr"), "Acme est occupé et demande d'attendre 10 minutes. Réessayez ensuite."; got != want {
		t.Errorf("fr: got %q, want %q", got, want)
	}
	if got, want := f.hintIn("ja"), "Acme は混み合っており、10 分待つよう求めています。その後でもう一度お試しください。"; got != want {
		t.Errorf("ja: got %q, want %q", got, want)
	}
}
