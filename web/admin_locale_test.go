package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/postgres"
)

// TestAdmin_SettingsDefaultLocale: the hub's default language is a setting
// offered as the hub's eight languages; another value is refused with its
// message and stores nothing; the page says the console itself is English.
func TestAdmin_SettingsDefaultLocale(t *testing.T) {
	t.Parallel()
	env := newAdminEnv(t)
	env.mustAdmin("ada@example.com", "correct horse battery")
	b := env.browser()
	b.mustLogin("ada@example.com", "correct horse battery")

	_, doc := b.get("/admin/settings")
	if n := doc.Find(`#default_locale option`).Length(); n != 8 || doc.Find(`#default_locale option[selected]`).AttrOr("value", "") != "en" {
		t.Errorf("got %d languages, selected %q, want 8 with English", n, doc.Find(`#default_locale option[selected]`).AttrOr("value", ""))
	}
	if !strings.Contains(doc.Find(`[data-testid="console-english"]`).Text(), "English only") {
		t.Error("the settings page does not say the console is English")
	}
	form := url.Values{"embed_origins": {""}, "product_name": {"Acme"}, "logo_url": {""}, "primary_color": {"#1f5ad6"},
		"session_lifetime": {"1800"}}
	for _, bad := range []string{"xx", "en-XA", "DE"} {
		form.Set("default_locale", bad)
		resp, doc := b.post("/admin/settings", form)
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="default_locale-error"]`).Text() == "" ||
			doc.Find(`#default_locale`).AttrOr("aria-invalid", "") != "true" {
			t.Errorf("default_locale %q: got %d, want 422 with the message beside the field", bad, resp.StatusCode)
		}
	}
	form.Set("default_locale", "pt-BR")
	if resp, _ := b.post("/admin/settings", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid settings: got %d", resp.StatusCode)
	}
	st, err := postgres.NewSettingsService(env.db).FindSettings(context.Background())
	if err != nil || st.DefaultLocale != "pt-BR" {
		t.Errorf("stored default %q (%v), want pt-BR", st.DefaultLocale, err)
	}
}
