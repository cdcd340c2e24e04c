package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/views"
)

// renderInputErrors shows the form again with an error summary linking to
// each field and the message beside it: the user's mistake, not a failed
// connection, so the host page is not told.
func renderInputErrors(c echo.Context, h *hubState, t *hubTarget, typed, errs map[string]string) error {
	v := t.formView(h, typed)
	for i := range v.Fields {
		v.Fields[i].Error = errs[v.Fields[i].ID]
	}
	return render(c, http.StatusOK, views.HubForm(v))
}

// markReentry marks the secrets the user must paste again after a failed
// test: they are never sent back to the browser. A relink's blank secret
// keeps the stored one, so it needs nothing.
func markReentry(fields []views.HubField) {
	for i, f := range fields {
		if f.Secret && !f.SecretSet && f.Error == "" {
			fields[i].Error = fmt.Sprintf(views.English.PasteAgain, strings.ToLower(f.Label))
		}
	}
}
