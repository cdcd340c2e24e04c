package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

const msgTooManyFromIP = "Too many attempts from your network. Wait a minute and try again."

// adminHome is where the console opens. Profiles and Accounts pages arrive
// with the connector work; until then it is the API keys page.
const adminHome = "/admin/api-keys"

// handleAdminHome handles GET /admin.
func handleAdminHome() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.Redirect(http.StatusSeeOther, adminHome)
	}
}

// handleLoginPage handles GET /admin/login.
func handleLoginPage(admins linkhub.AdminService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		if t := sess.token(c); t != "" {
			if _, err := admins.FindAdminBySession(c.Request().Context(), t); err == nil {
				return c.Redirect(http.StatusSeeOther, adminHome)
			}
		}
		return render(c, http.StatusOK, views.Login(views.LoginView{}))
	}
}

// loginForm is the sign-in form.
type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
}

// handleLogin handles POST /admin/login: one message for any wrong email or
// password, a lockout per email (in Postgres) and a rate limit per IP. A new
// session replaces whatever the cookie held before.
func handleLogin(admins linkhub.AdminService, sess *adminSessions, limit *ipLimiter) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f loginForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		v := views.LoginView{Email: f.Email}
		if !limit.allow(c.RealIP()) {
			v.Error = msgTooManyFromIP
			return render(c, http.StatusTooManyRequests, views.Login(v))
		}
		ctx := c.Request().Context()
		a, token, err := admins.Authenticate(ctx, f.Email, f.Password, c.RealIP())
		switch linkhub.ErrorCode(err) {
		case "":
		case linkhub.EUNAUTHORIZED:
			v.Error = linkhub.ErrorMessage(err)
			return render(c, http.StatusUnauthorized, views.Login(v))
		case linkhub.ERATELIMIT:
			v.Error = linkhub.ErrorMessage(err)
			return render(c, http.StatusTooManyRequests, views.Login(v))
		default:
			return err
		}
		if old := sess.token(c); old != "" {
			if err := admins.DeleteSession(ctx, linkhub.AdminActor(a, c.RealIP()), old); err != nil {
				return err
			}
		}
		if err := sess.start(c, token, "", ""); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, adminHome)
	}
}

// handleLogout handles POST /admin/logout: the session ends on the server,
// so a copy of the old cookie is worthless.
func handleLogout(admins linkhub.AdminService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := admins.DeleteSession(c.Request().Context(), actor(c), sess.token(c)); err != nil {
			return err
		}
		return sess.end(c, "success", "You have signed out.")
	}
}

// handleSetupPage handles GET /admin/setup?token=...: 404 once an admin
// exists, an error page for a wrong or expired token.
func handleSetupPage(admins linkhub.AdminService) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := c.QueryParam("token")
		if err := admins.CheckSetupToken(c.Request().Context(), token); err != nil {
			return err
		}
		return render(c, http.StatusOK, views.Setup(views.SetupView{Token: token}))
	}
}

// setupForm is the first-run form.
type setupForm struct {
	Token    string `form:"token"`
	Email    string `form:"email"`
	Password string `form:"password"`
	Confirm  string `form:"confirm"`
}

func (f setupForm) validate() map[string]string {
	errs := map[string]string{}
	if err := linkhub.ValidateEmail(linkhub.NormalizeEmail(f.Email)); err != nil {
		errs["email"] = linkhub.ErrorMessage(err)
	}
	if err := linkhub.ValidatePassword(f.Password); err != nil {
		errs["password"] = linkhub.ErrorMessage(err)
	} else if f.Confirm != f.Password {
		errs["confirm"] = "The two passwords differ; type the same password twice."
	}
	return errs
}

// handleSetup handles POST /admin/setup: creates the first admin and signs
// them in.
func handleSetup(admins linkhub.AdminService, sess *adminSessions, limit *ipLimiter) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f setupForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		if !limit.allow(c.RealIP()) {
			return linkhub.Errorf(linkhub.ERATELIMIT, msgTooManyFromIP)
		}
		ctx := c.Request().Context()
		if err := admins.CheckSetupToken(ctx, f.Token); err != nil {
			return err
		}
		v := views.SetupView{Token: f.Token, Email: f.Email, Errors: f.validate()}
		if len(v.Errors) > 0 {
			return render(c, http.StatusUnprocessableEntity, views.Setup(v))
		}
		_, err := admins.CreateFirstAdmin(ctx, f.Token, f.Email, f.Password, c.RealIP())
		if field := linkhub.ErrorField(err); field != "" {
			v.Errors[field] = linkhub.ErrorMessage(err)
			return render(c, http.StatusUnprocessableEntity, views.Setup(v))
		} else if err != nil {
			return err
		}
		_, token, err := admins.Authenticate(ctx, f.Email, f.Password, c.RealIP())
		if err != nil {
			return err
		}
		if err := sess.start(c, token, "success", "Welcome to Linkhub. Your admin account is ready."); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, adminHome)
	}
}
