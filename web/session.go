package web

import (
	"crypto/rand"
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/views"
)

// adminSessions is the admin console's cookie: a gorilla/sessions cookie,
// signed and encrypted, that carries only the server-side session token
// (see admin_sessions) and one-time flash messages.
type adminSessions struct {
	store *sessions.CookieStore
	name  string
}

const (
	sessionTokenKey = "sid"
	flashKey        = "flash"
	sessionMaxAge   = 12 * 60 * 60 // the absolute session limit; the server enforces it too
)

// newAdminSessions builds the cookie store. keys are hash/block pairs, the
// current pair first; with none (tests), a random pair is made, so cookies
// do not survive a restart. The __Host- prefix (https only) pins the cookie
// to our host and path.
func newAdminSessions(baseURL string, keys [][]byte) *adminSessions {
	if len(keys) == 0 {
		hash, block := make([]byte, 32), make([]byte, 32)
		_, _ = rand.Read(hash)
		_, _ = rand.Read(block)
		keys = [][]byte{hash, block}
	}
	secure := strings.HasPrefix(baseURL, "https://")
	store := sessions.NewCookieStore(keys...)
	store.Options = &sessions.Options{
		Path: "/", MaxAge: sessionMaxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	store.MaxAge(sessionMaxAge)
	name := "linkhub_admin"
	if secure {
		name = "__Host-linkhub_admin"
	}
	return &adminSessions{store: store, name: name}
}

// get returns the request's session; a missing, tampered or undecodable
// cookie gives a new, empty one.
func (s *adminSessions) get(c echo.Context) *sessions.Session {
	sess, err := s.store.Get(c.Request(), s.name)
	if err != nil {
		sess, _ = s.store.New(c.Request(), s.name)
		sess.Values = map[any]any{}
	}
	return sess
}

// token returns the server-side session token in the cookie, or "".
func (s *adminSessions) token(c echo.Context) string {
	t, _ := s.get(c).Values[sessionTokenKey].(string)
	return t
}

// start replaces the cookie with a brand-new session holding only token (and
// a flash, when msg is set), so that nothing set before sign-in carries over
// (no session fixation).
func (s *adminSessions) start(c echo.Context, token, kind, msg string) error {
	sess := sessions.NewSession(s.store, s.name)
	opts := *s.store.Options
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[sessionTokenKey] = token
	if msg != "" {
		sess.Values[flashKey] = kind + "|" + msg
	}
	return sess.Save(c.Request(), c.Response())
}

// end replaces the cookie with a new one holding only a flash (when msg is
// set) and redirects to the sign-in page.
func (s *adminSessions) end(c echo.Context, kind, msg string) error {
	sess := sessions.NewSession(s.store, s.name)
	opts := *s.store.Options
	sess.Options = &opts
	sess.IsNew = true
	if msg != "" {
		sess.Values[flashKey] = kind + "|" + msg
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}

// flash stores a message for the next page.
func (s *adminSessions) flash(c echo.Context, kind, msg string) error {
	sess := s.get(c)
	sess.Values[flashKey] = kind + "|" + msg
	return sess.Save(c.Request(), c.Response())
}

// popFlash removes and returns the stored flash, if any.
func (s *adminSessions) popFlash(c echo.Context) (views.Flash, error) {
	sess := s.get(c)
	v, ok := sess.Values[flashKey].(string)
	if !ok {
		return views.Flash{}, nil
	}
	delete(sess.Values, flashKey)
	kind, msg, _ := strings.Cut(v, "|")
	return views.Flash{Kind: kind, Message: msg}, sess.Save(c.Request(), c.Response())
}

// redirectWithFlash stores a flash and answers 303 See Other to url.
func (s *adminSessions) redirectWithFlash(c echo.Context, url, kind, msg string) error {
	if err := s.flash(c, kind, msg); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, url)
}
