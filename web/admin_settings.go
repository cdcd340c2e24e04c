package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

// handleSettings handles GET /admin/settings.
func handleSettings(settings linkhub.SettingsService) echo.HandlerFunc {
	return func(c echo.Context) error {
		st, err := settings.FindSettings(c.Request().Context())
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.Settings(views.SettingsView{
			EmbedOrigins: strings.Join(st.EmbedOrigins, "\n"), ProductName: st.ProductName, LogoURL: st.LogoURL,
			PrimaryColor: st.PrimaryColor, SessionLifetime: strconv.FormatInt(int64(st.SessionLifetime/time.Second), 10),
			DefaultLocale: st.DefaultLocale,
		}))
	}
}

// settingsForm is the settings form, as typed.
type settingsForm struct {
	EmbedOrigins    string `form:"embed_origins"`
	ProductName     string `form:"product_name"`
	LogoURL         string `form:"logo_url"`
	PrimaryColor    string `form:"primary_color"`
	SessionLifetime string `form:"session_lifetime"`
	DefaultLocale   string `form:"default_locale"`
}

// parse returns the settings and the view with every problem: one message
// per bad origin line, one per other field.
func (f settingsForm) parse() (linkhub.Settings, views.SettingsView) {
	v := views.SettingsView{
		EmbedOrigins: f.EmbedOrigins, ProductName: f.ProductName, LogoURL: f.LogoURL,
		PrimaryColor: f.PrimaryColor, SessionLifetime: f.SessionLifetime, DefaultLocale: f.DefaultLocale,
	}
	origins, problems := linkhub.ParseEmbedOrigins(f.EmbedOrigins)
	v.OriginErrors = problems
	st := linkhub.Settings{
		EmbedOrigins: origins, ProductName: strings.TrimSpace(f.ProductName), LogoURL: strings.TrimSpace(f.LogoURL),
		PrimaryColor: strings.ToLower(strings.TrimSpace(f.PrimaryColor)), DefaultLocale: f.DefaultLocale,
	}
	if st.DefaultLocale == "" { // a form from before the setting existed
		st.DefaultLocale = linkhub.DefaultSettings().DefaultLocale
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(f.SessionLifetime), 10, 64)
	if err == nil && secs > 0 && secs <= int64(linkhub.MaxSessionLifetime/time.Second) {
		st.SessionLifetime = time.Duration(secs) * time.Second
	}
	v.Errors = st.Validate()
	if v.Errors != nil {
		delete(v.Errors, "embed_origins") // reported per line above
	}
	if err != nil && v.Errors != nil && v.Errors["session_lifetime"] != "" {
		v.Errors["session_lifetime"] = "Enter a whole number of seconds from 60 to 2592000."
	}
	return st, v
}

// handleSettingsUpdate handles POST /admin/settings: nothing is saved unless
// every value is valid.
func handleSettingsUpdate(settings linkhub.SettingsService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f settingsForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		st, v := f.parse()
		if len(v.Errors) > 0 || len(v.OriginErrors) > 0 {
			return render(c, http.StatusUnprocessableEntity, views.Settings(v))
		}
		_, err := settings.UpdateSettings(c.Request().Context(), actor(c), st)
		if field := linkhub.ErrorField(err); field != "" {
			v.Errors = map[string]string{field: linkhub.ErrorMessage(err)}
			return render(c, http.StatusUnprocessableEntity, views.Settings(v))
		} else if err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/settings", "success", "Settings saved.")
	}
}
