package web

import (
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// hubMatcher matches a browser's Accept-Language against the hub's
// languages. Its rules (golang.org/x/text/language): a regional variant finds
// its language (de-CH reads de, en-GB en), Portuguese of any region finds
// pt-BR (a Portuguese reader is better served by Brazilian Portuguese than by
// English), and q-values order the browser's choices.
var hubMatcher = language.NewMatcher(func() []language.Tag {
	tags := make([]language.Tag, len(linkhub.Locales))
	for i, l := range linkhub.Locales {
		tags[i] = language.MustParse(l)
	}
	return tags
}())

// matchAcceptLanguage returns the hub language that best fits an
// Accept-Language header, or "" when none of the browser's languages is
// one of the hub's.
func matchAcceptLanguage(header string) string {
	prefs, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(prefs) == 0 {
		return ""
	}
	_, i, conf := hubMatcher.Match(prefs...)
	if conf == language.No {
		return ""
	}
	return linkhub.Locales[i]
}

// chooseLocale decides a hub page's language: the user's pick in this hub
// session, else the host product's in the connect session, else the
// browser's Accept-Language, else the admin's default.
func chooseLocale(s *linkhub.ConnectSession, acceptLanguage, fallback string) string {
	switch {
	case s != nil && s.HubLocale != "":
		return s.HubLocale
	case s != nil && s.Locale != "":
		return s.Locale
	}
	if tag := matchAcceptLanguage(acceptLanguage); tag != "" {
		return tag
	}
	if _, ok := linkhub.ParseLocale(fallback, false); ok {
		return fallback
	}
	return "en"
}

// hubHere is the page a language switch comes back to: the page shown, or
// for an answer to a post (a failed test, a choice) the form it came from.
func hubHere(c echo.Context, handle string) string {
	switch {
	case c.Request().Method == http.MethodGet:
		return c.Request().URL.Path
	case c.Param("profile") != "":
		return "/hub/" + handle + "/profiles/" + c.Param("profile")
	}
	return "/hub/" + handle
}

// handleHubLocale handles POST /hub/:handle/locale: the language the user
// picked sticks to this hub session, stored with it on the server (the hub
// sets no cookie), and the user is back on the page they were on.
func handleHubLocale(sessions linkhub.ConnectSessionService) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := hubOf(c)
		tag, ok := linkhub.ParseLocale(c.FormValue("locale"), false)
		if !ok {
			label := h.text.LanguageLabel
			if h.text.LowerLabels {
				label = strings.ToLower(label)
			}
			return linkhub.Errorf(linkhub.EINVALID, "%s", fmt.Sprintf(h.text.FieldOption, label))
		}
		if err := sessions.SetHubLocale(c.Request().Context(), h.handle, tag); err != nil {
			return err
		}
		home := "/hub/" + h.handle
		next := c.FormValue("next")
		// Only a page of this hub session: never another site, nor a path
		// that cleans to something else.
		if next != home && (!strings.HasPrefix(next, home+"/") || path.Clean(next) != next || strings.ContainsAny(next, "?#\\%")) {
			next = home
		}
		return c.Redirect(http.StatusSeeOther, next)
	}
}
