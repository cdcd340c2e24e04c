package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
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
func markReentry(fields []views.HubField, text views.HubText) {
	for i, f := range fields {
		if f.Secret && !f.SecretSet && f.Error == "" {
			label := f.Label
			if text.LowerLabels {
				label = strings.ToLower(label)
			}
			fields[i].Error = fmt.Sprintf(text.PasteAgain, label)
		}
	}
}

// fieldMessages words what ValidateFields found, by field id, in the
// user's language: the same three findings (missing, not a UUID, not an
// option), told apart by the value.
func fieldMessages(fields []linkhub.Field, creds linkhub.Credentials, errs map[string]string, text views.HubText) map[string]string {
	out := make(map[string]string, len(errs))
	for _, f := range fields {
		if _, bad := errs[f.ID]; !bad {
			continue
		}
		v := strings.TrimSpace(creds.Values[f.ID])
		if f.Secret {
			v = strings.TrimSpace(creds.Secrets[f.ID].Reveal())
		}
		switch {
		case v == "":
			out[f.ID] = fmt.Sprintf(text.FieldRequired, f.Label)
		case f.Kind == linkhub.KindUUID:
			out[f.ID] = fmt.Sprintf(text.FieldUUID, f.Label)
		default:
			out[f.ID] = fmt.Sprintf(text.FieldOption, f.Label)
		}
	}
	return out
}
