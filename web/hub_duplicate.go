package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/views"
)

// renderDuplicate asks the user who linked a vendor identity they already
// linked whether they replace the old account's credentials or link a
// second account (the service holds the tested credentials meanwhile).
func renderDuplicate(c echo.Context, h *hubState, t *hubTarget, out *linking.Outcome) error {
	text := h.text
	choices := out.Choices
	for i := range choices {
		switch choices[i].ID {
		case linking.ChoiceReplace:
			choices[i].Name, choices[i].Detail = text.ReplaceOld, fmt.Sprintf(text.ReplaceOldDetail, out.Identity, text.Date(out.Account.CreatedAt))
		case linking.ChoiceAnother:
			choices[i].Name, choices[i].Detail = text.LinkAnother, text.LinkAnotherDetail
		}
	}
	return render(c, http.StatusOK, views.HubChoice(views.HubChoiceView{HubFrame: h.frame(),
		Profile: hubProfile(t.Profile, t.spec), AttemptID: out.AttemptID, Choices: choices,
		Title: fmt.Sprintf(text.DuplicateTitle, t.spec.Name), Intro: fmt.Sprintf(text.DuplicateIntro, out.Identity)}))
}
