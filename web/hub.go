package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/views"
)

// hubState is what the hub middleware loads for every hub request.
type hubState struct {
	handle   string
	session  *linkhub.ConnectSession
	settings hubConfig
	// locale is the page's language (chooseLocale), text the hub's words
	// in it, here the page the language switch comes back to.
	locale string
	text   views.HubText
	here   string
}

func (h *hubState) frame() views.HubFrame {
	return views.HubFrame{Handle: h.handle, Brand: h.settings.Brand, Text: h.text,
		Relink: h.session.Relink(), EmbedOrigin: h.session.EmbedOrigin, ReturnURL: h.session.ReturnURL, Here: h.here}
}

func hubOf(c echo.Context) *hubState { return c.Get("hub").(*hubState) }

// hubCSP is the default policy with frame-ancestors set to the session's
// embed origin, or 'none' for a standalone session.
func hubCSP(embedOrigin string) string {
	fa := "'none'"
	if embedOrigin != "" {
		fa = embedOrigin
	}
	return strings.Replace(defaultCSP, "frame-ancestors 'none'", "frame-ancestors "+fa, 1)
}

// hubHeaders marks hub pages uncacheable; they carry the session handle.
func hubHeaders(c echo.Context, embedOrigin string) {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", hubCSP(embedOrigin))
	h.Set("Cache-Control", "no-store")
}

// renderExpired shows the friendly "link expired" page: 410 for an expired
// link, 404 and its own words for an unknown one (a mistyped or cut link
// should not send the user to ask for a new one); a link already used says
// so in its own words (410): its account is connected.
func renderExpired(c echo.Context, store linkhub.SettingsService, err error) error {
	status, code := http.StatusNotFound, linkhub.ErrorCode(err)
	if code == linkhub.EEXPIRED || code == linkhub.ESPENT {
		status = http.StatusGone
	}
	settings, serr := hubSettings(c.Request().Context(), store)
	if serr != nil {
		return serr
	}
	hubHeaders(c, "")
	// No hub session to ask: the SDK's locale on the link, else the browser.
	tag, ok := linkhub.ParseLocale(c.QueryParam("locale"), false)
	if !ok {
		tag = chooseLocale(nil, c.Request().Header.Get("Accept-Language"), settings.DefaultLocale)
	}
	f := views.HubFrame{Brand: settings.Brand, Text: views.Text(tag)}
	if code == linkhub.ESPENT {
		return render(c, status, views.HubUsed(f))
	}
	return render(c, status, views.HubExpired(f, status == http.StatusNotFound))
}

// handleConnect handles GET /connect?token=: it checks the token, starts a
// hub session and sends the browser to the token-free hub URL.
func handleConnect(sessions linkhub.ConnectSessionService, store linkhub.SettingsService) echo.HandlerFunc {
	return func(c echo.Context) error {
		handle, _, err := sessions.OpenHubSession(c.Request().Context(), c.QueryParam("token"))
		switch linkhub.ErrorCode(err) {
		case "":
		case linkhub.ENOTFOUND, linkhub.EEXPIRED, linkhub.ESPENT:
			return renderExpired(c, store, err)
		default:
			return err
		}
		// The SDK's locale option: the host page's language for this hub
		// session, as if the user had picked it. One the hub does not have
		// is left to the usual choice (the SDK refuses it before).
		if tag, ok := linkhub.ParseLocale(c.QueryParam("locale"), false); ok {
			if err := sessions.SetHubLocale(c.Request().Context(), handle, tag); err != nil {
				return err
			}
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusSeeOther, "/hub/"+handle)
	}
}

// errLinkUsed is a hub page of a connect session whose links are used up.
var errLinkUsed = linking.ErrLinkUsed

// hubConnectPath is the route of the hub's link post, as routes.go
// registers it (echo's c.Path()).
const hubConnectPath = "/hub/:handle/profiles/:profile/connect"

// requireHub loads the hub session of the :handle path parameter and sets
// the session's framing policy; unknown or expired handles get the expired
// page, those of a spent connect session the "already used" one.
func requireHub(sessions linkhub.ConnectSessionService, store linkhub.SettingsService) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ctx := c.Request().Context()
			handle := c.Param("handle")
			s, err := sessions.FindHubSession(ctx, handle)
			// Only a link post gets past a spent session: it may be the
			// retry of the submission that spent it.
			if err == nil && s.Spent() && c.Path() != hubConnectPath {
				err = errLinkUsed
			}
			switch linkhub.ErrorCode(err) {
			case "":
			case linkhub.ENOTFOUND, linkhub.EEXPIRED, linkhub.ESPENT:
				return renderExpired(c, store, err)
			default:
				return err
			}
			settings, err := hubSettings(ctx, store)
			if err != nil {
				return err
			}
			// An origin the admin has since removed may no longer frame
			// the hub nor receive its messages, nor be linked to: the
			// success page would send the user there. Trimmed on a copy:
			// the service's value may be shared (a cache, a mock).
			dropOrigin := s.EmbedOrigin != "" && !slices.Contains(settings.EmbedOrigins, s.EmbedOrigin)
			dropReturn := s.ReturnURL != "" && !linking.ReturnURLAllowed(s.ReturnURL, settings.EmbedOrigins)
			if dropOrigin || dropReturn {
				cs := *s
				s = &cs
			}
			if dropOrigin {
				s.EmbedOrigin = ""
			}
			if dropReturn {
				s.ReturnURL = ""
			}
			hubHeaders(c, s.EmbedOrigin)
			// Connectors word their hints in the page's language.
			tag := chooseLocale(s, c.Request().Header.Get("Accept-Language"), settings.DefaultLocale)
			c.SetRequest(c.Request().WithContext(linkhub.WithLocale(ctx, tag)))
			c.Set("hub", &hubState{handle: handle, session: s, settings: settings,
				locale: tag, text: views.Text(tag), here: hubHere(c, handle)})
			return next(c)
		}
	}
}

// hubProfiles returns the enabled profiles this session may connect.
func hubProfiles(c echo.Context, linker Linking, h *hubState) ([]*linkhub.Profile, error) {
	return linker.Profiles(c.Request().Context(), h.session)
}

func hubProfile(p *linkhub.Profile, spec linkhub.ConnectorSpec) views.HubProfile {
	return views.HubProfile{ID: p.ID, Name: p.Name, Vendor: spec.Name, Logo: spec.Logo,
		Category: spec.Category, Summary: spec.Summary, Featured: p.Featured}
}

// handleHubPicker handles GET /hub/:handle: the profiles to pick from, or
// straight to the form when there is only one.
func handleHubPicker(linker Linking, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := hubOf(c)
		list, err := hubProfiles(c, linker, h)
		if err != nil {
			return err
		}
		if len(list) == 1 {
			return c.Redirect(http.StatusSeeOther, "/hub/"+h.handle+"/profiles/"+list[0].ID)
		}
		return render(c, http.StatusOK, views.HubPicker(hubPicker(c, connectors, h, list)))
	}
}

// hubTarget is the profile a hub form works on, with its connector and, in
// a relink, the account.
type hubTarget struct {
	*linking.Target
	// spec is the connector's spec in the page's language, text the hub's
	// words in it.
	spec linkhub.ConnectorSpec
	text views.HubText
}

// findHubTarget returns the profile with this id if this session allows it.
func findHubTarget(c echo.Context, linker Linking, h *hubState, profileID string) (*hubTarget, error) {
	t, err := linker.Target(c.Request().Context(), h.session, profileID)
	if errors.Is(err, linking.ErrNotAllowed) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "%s", h.text.NotAllowedIntro)
	} else if err != nil {
		return nil, err
	}
	return h.target(t), nil
}

// target is t as this hub page shows it: its connector's spec in the page's
// language.
func (h *hubState) target(t *linking.Target) *hubTarget {
	return &hubTarget{Target: t, spec: views.LocalSpec(t.Connector.Spec(), h.locale), text: h.text}
}

// formFields are the fields the user fills, in the page's language.
func (t *hubTarget) formFields() []linkhub.Field {
	return t.FieldsOf(t.spec)
}

// formView is the form with values: in a relink the account's non-secret
// values and "blank keeps" secrets, else what the user typed.
func (t *hubTarget) formView(h *hubState, typed map[string]string) views.HubFormView {
	spec := t.spec
	v := views.HubFormView{HubFrame: h.frame(), Profile: hubProfile(t.Profile, spec), Guide: spec.UserGuide,
		CanGoBack: t.CanGoBack && !h.session.Relink(), Submission: rand.Text()}
	for _, f := range t.formFields() {
		hf := views.HubField{Field: f}
		if !f.Secret {
			hf.Value = typed[f.ID]
			if typed == nil && t.Account != nil {
				hf.Value = t.Account.Values[f.ID]
			}
		}
		hf.SecretSet = f.Secret && t.Account != nil
		v.Fields = append(v.Fields, hf)
	}
	return v
}

// handleHubForm handles GET /hub/:handle/profiles/:profile: the form beside
// the end-user guide.
func handleHubForm(linker Linking) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := hubOf(c)
		t, err := findHubTarget(c, linker, h, c.Param("profile"))
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.HubForm(t.formView(h, nil)))
	}
}
