package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// TestAdmin_SettingsDefaultLocale: the hub's default language is a setting
// offered as the hub's eight languages, the service's one selected; the
// page says the console itself is English; another value is refused beside
// the field without reaching the service, and so is one the service
// refuses; a good one reaches the service. That the service stores it, and
// refuses the others itself, is TestSettingsService_Update's. No database.
func TestAdmin_SettingsDefaultLocale(t *testing.T) {
	t.Parallel()
	e, _ := admSignedIn(t)
	var mu sync.Mutex
	var got []string
	e.settings.FindSettingsFn = func(context.Context) (*linkhub.Settings, error) {
		st := linkhub.DefaultSettings()
		st.DefaultLocale = "de"
		return &st, nil
	}
	e.settings.UpdateSettingsFn = func(_ context.Context, _ linkhub.Actor, st linkhub.Settings) (*linkhub.Settings, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, st.DefaultLocale)
		if st.DefaultLocale == "fr" { // as if the hub had lost French since the page was drawn
			return nil, linkhub.FieldError("default_locale", "Choose one of the hub's languages.")
		}
		return &st, nil
	}

	_, doc := e.get("/admin/settings")
	if n, sel := doc.Find(`#default_locale option`).Length(), doc.Find(`#default_locale option[selected]`).AttrOr("value", ""); n != 8 || sel != "de" {
		t.Errorf("got %d languages, selected %q, want 8 with the stored German", n, sel)
	}
	if !strings.Contains(doc.Find(`[data-testid="console-english"]`).Text(), "English only") {
		t.Error("the settings page does not say the console is English")
	}
	form := url.Values{"embed_origins": {""}, "product_name": {"Acme"}, "logo_url": {""}, "primary_color": {"#1f5ad6"},
		"session_lifetime": {"1800"}}
	for _, bad := range []string{"xx", "en-XA", "DE", "fr"} {
		form.Set("default_locale", bad)
		resp, doc := e.post("/admin/settings", form)
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="default_locale-error"]`).Text() != "Choose one of the hub's languages." ||
			doc.Find(`#default_locale`).AttrOr("aria-invalid", "") != "true" {
			t.Errorf("default_locale %q: got %d, want 422 with the message beside the field", bad, resp.StatusCode)
		}
	}
	form.Set("default_locale", "pt-BR")
	if resp, _ := e.post("/admin/settings", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid settings: got %d", resp.StatusCode)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, " ") != "fr pt-BR" {
		t.Errorf("the service got languages %q, want only fr and pt-BR", got)
	}
}
