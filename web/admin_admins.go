package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

func adminsView(c echo.Context, admins linkhub.AdminService) (views.AdminsView, error) {
	list, err := admins.FindAdmins(c.Request().Context())
	if err != nil {
		return views.AdminsView{}, err
	}
	me := currentAdmin(c).ID
	v := views.AdminsView{Errors: map[string]string{}}
	for _, a := range list {
		v.Admins = append(v.Admins, views.AdminRow{
			ID: a.ID, Email: a.Email, Created: fmtTime(a.CreatedAt), LastLogin: fmtTimePtr(a.LastLoginAt, "Never"),
			Disabled: a.Disabled, Self: a.ID == me,
		})
	}
	return v, nil
}

// handleAdmins handles GET /admin/admins.
func handleAdmins(admins linkhub.AdminService) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := adminsView(c, admins)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.Admins(v))
	}
}

// adminForm is the add-admin form.
type adminForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
}

// handleAdminCreate handles POST /admin/admins.
func handleAdminCreate(admins linkhub.AdminService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f adminForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		a, err := admins.CreateAdmin(c.Request().Context(), actor(c), f.Email, f.Password)
		if field := linkhub.ErrorField(err); field != "" {
			v, lerr := adminsView(c, admins)
			if lerr != nil {
				return lerr
			}
			v.Email, v.Errors[field] = f.Email, linkhub.ErrorMessage(err)
			return render(c, http.StatusUnprocessableEntity, views.Admins(v))
		} else if err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/admins", "success", "Added "+a.Email+". Give them the initial password through a safe channel.")
	}
}

// handleAdminSetDisabled handles POST /admin/admins/:id/disable and
// /admin/admins/:id/enable. Disabling ends the admin's sessions at once.
func handleAdminSetDisabled(admins linkhub.AdminService, sess *adminSessions, disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := admins.UpdateAdmin(c.Request().Context(), actor(c), c.Param("id"), linkhub.AdminUpdate{Disabled: &disabled})
		if linkhub.ErrorCode(err) == linkhub.EFORBIDDEN {
			return sess.redirectWithFlash(c, "/admin/admins", "error", linkhub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		msg := "Enabled " + a.Email + "."
		if disabled {
			msg = "Disabled " + a.Email + "; their sessions have ended."
		}
		return sess.redirectWithFlash(c, "/admin/admins", "success", msg)
	}
}
