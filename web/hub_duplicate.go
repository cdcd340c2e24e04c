package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/views"
)

// duplicateOf marks the two choices offered when the user links a vendor
// identity they already linked; its value is the existing account's id. It
// never reaches the stored metadata.
const duplicateOf = "duplicate_of"

// choiceReplace is the choice that puts the new credentials on the existing
// account instead of linking a second one.
const choiceReplace = "replace"

// findDuplicate returns the session owner's account of this connector with
// the same vendor identity (the same Jamf Pro server, Sophos tenant, NinjaOne
// region and client), or nil.
func findDuplicate(ctx context.Context, deps Deps, h *hubState, t *hubTarget, values, metadata map[string]string) (*linkhub.Account, error) {
	keys := t.connector.Spec().Identity
	want := (&linkhub.Account{Values: values, Metadata: metadata}).Identity(keys)
	if t.account != nil || want == "" {
		return nil, nil
	}
	f := linkhub.AccountFilter{OriginOwnerID: &h.session.OriginOwnerID, ConnectorID: &t.profile.ConnectorID, Limit: 100}
	for {
		list, next, err := deps.Accounts.FindAccounts(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if a.Identity(keys) == want {
				return a, nil
			}
		}
		if next == "" {
			return nil, nil
		}
		f.Cursor = next
	}
}

// holdDuplicate keeps the tested credentials sealed, as a tenant choice does,
// and asks the user whether they replace the old account's credentials or
// link a second account.
func holdDuplicate(c echo.Context, deps Deps, h *hubState, t *hubTarget, attempt *linkhub.Attempt, stored linkhub.AttemptReport,
	values, metadata map[string]string, secrets map[string]secret.Value, dup *linkhub.Account) error {
	ctx := c.Request().Context()
	// Another tab may have spent the session while this test ran: the
	// question would lead to a link that cannot be stored.
	if s, err := deps.ConnectSessions.FindHubSession(ctx, h.handle); err == nil && s.Spent() || linkhub.ErrorCode(err) == linkhub.ESPENT {
		_ = deps.Attempts.FinishAttempt(ctx, attempt.ID, linkhub.AttemptFailed, "", stored)
		return renderExpired(c, deps, errLinkUsed)
	}
	text := h.text
	identity := dup.Identity(t.spec.Identity)
	choices := []linkhub.Choice{
		{ID: choiceReplace, Name: text.ReplaceOld, Detail: fmt.Sprintf(text.ReplaceOldDetail, identity, text.Date(dup.CreatedAt)),
			Metadata: map[string]string{duplicateOf: dup.ID}},
		{ID: "another", Name: text.LinkAnother, Detail: text.LinkAnotherDetail, Metadata: map[string]string{duplicateOf: dup.ID}},
	}
	held := &linkhub.HeldAttempt{Attempt: *attempt, Values: values, Metadata: metadata, Choices: choices, Secrets: secrets}
	held.Report = stored
	if err := deps.Attempts.HoldAttempt(ctx, held); err != nil {
		return err
	}
	return render(c, http.StatusOK, views.HubChoice(views.HubChoiceView{HubFrame: h.frame(),
		Profile: hubProfile(t.profile, t.spec), AttemptID: attempt.ID, Choices: choices,
		Title: fmt.Sprintf(text.DuplicateTitle, t.spec.Name), Intro: fmt.Sprintf(text.DuplicateIntro, identity)}))
}

// chooseDuplicate applies the user's answer to holdDuplicate: replacing makes
// the link a relink of the old account, if it is still the owner's.
func chooseDuplicate(ctx context.Context, deps Deps, h *hubState, t *hubTarget, choice linkhub.Choice, metadata map[string]string) error {
	delete(metadata, duplicateOf)
	if choice.ID != choiceReplace {
		return nil
	}
	a, err := deps.Accounts.FindAccountByID(ctx, choice.Metadata[duplicateOf])
	if linkhub.ErrorCode(err) == linkhub.ENOTFOUND || err == nil && a.OriginOwnerID != h.session.OriginOwnerID {
		return linkhub.Errorf(linkhub.ENOTFOUND, "%s", h.text.ChoiceGone)
	} else if err != nil {
		return err
	}
	t.account = a
	return nil
}
