package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/views"
)

func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func fmtTimePtr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return fmtTime(*t)
}

func apiKeysView(ctx echo.Context, keys linkhub.APIKeyService) (views.APIKeysView, error) {
	list, err := keys.FindAPIKeys(ctx.Request().Context())
	if err != nil {
		return views.APIKeysView{}, err
	}
	v := views.APIKeysView{}
	for _, k := range list {
		v.Keys = append(v.Keys, views.APIKeyRow{
			ID: k.ID, Name: k.Name, Prefix: k.Prefix, Created: fmtTime(k.CreatedAt),
			LastUsed: fmtTimePtr(k.LastUsedAt, "Never"), Active: k.Active(),
		})
	}
	return v, nil
}

// handleAPIKeys handles GET /admin/api-keys.
func handleAPIKeys(keys linkhub.APIKeyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := apiKeysView(c, keys)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.APIKeys(v))
	}
}

// apiKeyForm is the create-key form.
type apiKeyForm struct {
	Name string `form:"name"`
}

// handleAPIKeyCreate handles POST /admin/api-keys. The new key is in this
// response only (no-store, like every admin page); it is never shown again.
func handleAPIKeyCreate(keys linkhub.APIKeyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		var f apiKeyForm
		if err := c.Bind(&f); err != nil {
			return err
		}
		k, full, err := keys.CreateAPIKey(c.Request().Context(), actor(c), f.Name)
		if linkhub.ErrorField(err) == "name" {
			v, lerr := apiKeysView(c, keys)
			if lerr != nil {
				return lerr
			}
			v.Name, v.NameError = f.Name, linkhub.ErrorMessage(err)
			return render(c, http.StatusUnprocessableEntity, views.APIKeys(v))
		} else if err != nil {
			return err
		}
		return render(c, http.StatusCreated, views.APIKeyCreated(views.APIKeyCreatedView{Name: k.Name, Key: full}))
	}
}

// handleAPIKeyRevokePage handles GET /admin/api-keys/:id/revoke: the
// confirmation.
func handleAPIKeyRevokePage(keys linkhub.APIKeyService) echo.HandlerFunc {
	return func(c echo.Context) error {
		k, err := keys.FindAPIKeyByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		if !k.Active() {
			return c.Redirect(http.StatusSeeOther, "/admin/api-keys")
		}
		return render(c, http.StatusOK, views.RevokeAPIKey(views.RevokeAPIKeyView{ID: k.ID, Name: k.Name, Prefix: k.Prefix}))
	}
}

// handleAPIKeyRevoke handles POST /admin/api-keys/:id/revoke.
func handleAPIKeyRevoke(keys linkhub.APIKeyService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		k, err := keys.RevokeAPIKey(c.Request().Context(), actor(c), c.Param("id"))
		if err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/api-keys", "success", "Revoked the API key “"+k.Name+"”.")
	}
}
