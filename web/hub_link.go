package web

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/views"
)

// handleHubConnect handles POST /hub/:handle/profiles/:profile/connect: it
// tests what the user typed against the vendor and links the account, offers
// the choices the test found, or shows the form again with the failure.
func handleHubConnect(deps Deps, limits *hubLimiters) echo.HandlerFunc {
	return func(c echo.Context) error {
		h, ctx := hubOf(c), c.Request().Context()
		t, err := findHubTarget(c, deps, h, c.Param("profile"))
		if err != nil {
			return err
		}
		submission, err := formSubmission(c, h.text)
		if err != nil {
			return err
		}
		// A spent session links nothing more, but the retry of the
		// submission that spent it (its answer lost) finds its result.
		if h.session.Spent() {
			if submission == "" {
				return renderExpired(c, deps, errLinkUsed)
			}
			done, err := deps.Attempts.FindLinkedSubmission(ctx, h.session.ID, submission)
			if linkhub.ErrorCode(err) == linkhub.ENOTFOUND {
				return renderExpired(c, deps, errLinkUsed)
			} else if err != nil {
				return err
			}
			return renderLinked(c, deps, h, t, done)
		}
		typed, userSecrets := readHubForm(c, t.formFields())
		creds, err := t.credentials(ctx, deps, typed, userSecrets)
		if err != nil {
			return err
		}
		// A missing or malformed entry is the user's to fix: no vendor call,
		// no test used up, no attempt, nothing told to the host.
		if errs := checkInput(ctx, t, creds); errs != nil {
			return renderInputErrors(c, h, t, typed, errs)
		}
		if !limits.allow(h.session.ID, c.RealIP()) {
			v := t.formView(h, typed)
			v.FormError = h.text.TooManyAttempts
			return render(c, http.StatusTooManyRequests, views.HubForm(v))
		}
		attempt := &linkhub.Attempt{ConnectSessionID: h.session.ID, ProfileID: t.profile.ID,
			AccountID: h.session.AccountID, Kind: linkhub.AttemptLink, IP: c.RealIP(), Submission: submission}
		if h.session.Relink() {
			attempt.Kind = linkhub.AttemptRelink
		}
		if err := deps.Attempts.CreateAttempt(ctx, attempt); err != nil {
			return err
		}
		if attempt.Status == linkhub.AttemptSucceeded {
			return renderLinked(c, deps, h, t, attempt)
		}
		report := t.connector.Test(ctx, linkhub.TestInput{Credentials: creds, Actions: t.profile.Actions})
		stored := linkhub.NewAttemptReport(report)
		if !report.OK() {
			if err := deps.Attempts.FinishAttempt(ctx, attempt.ID, linkhub.AttemptFailed, "", stored); err != nil {
				return err
			}
			return renderFailure(c, h, t, typed, report)
		}
		values := accountValues(t.formFields(), report.Values, typed)
		if len(report.Choices) > 0 {
			held := &linkhub.HeldAttempt{Attempt: *attempt, Values: values, Metadata: report.Metadata,
				Choices: report.Choices, Secrets: userSecrets}
			held.Report = stored
			if err := deps.Attempts.HoldAttempt(ctx, held); err != nil {
				return err
			}
			return render(c, http.StatusOK, views.HubChoice(views.HubChoiceView{HubFrame: h.frame(),
				Profile: hubProfile(t.profile, t.spec), AttemptID: attempt.ID, Choices: report.Choices}))
		}
		if dup, err := findDuplicate(ctx, deps, h, t, values, report.Metadata); err != nil {
			return err
		} else if dup != nil {
			return holdDuplicate(c, deps, h, t, attempt, stored, values, report.Metadata, userSecrets, dup)
		}
		return finishLink(c, deps, h, t, attempt.ID, stored, values, report.Metadata, userSecrets,
			views.NewHubReportView(report, h.text))
	}
}

// handleHubChoose handles POST /hub/:handle/attempts/:attempt/choose: it
// links the account with the choice the user made after a successful test.
func handleHubChoose(deps Deps) echo.HandlerFunc {
	return func(c echo.Context) error {
		h, ctx := hubOf(c), c.Request().Context()
		held, err := deps.Attempts.TakeHeldAttempt(ctx, c.Param("attempt"), h.session.ID)
		if linkhub.ErrorCode(err) == linkhub.ENOTFOUND {
			return linkhub.Errorf(linkhub.ENOTFOUND, "%s", h.text.ChoiceGone)
		} else if err != nil {
			return err
		}
		i := slices.IndexFunc(held.Choices, func(ch linkhub.Choice) bool { return ch.ID == c.FormValue("choice") })
		if i < 0 {
			_ = deps.Attempts.FinishAttempt(ctx, held.ID, linkhub.AttemptFailed, "", held.Report)
			return linkhub.Errorf(linkhub.EINVALID, "%s", h.text.ChoiceGone)
		}
		t, err := findHubTarget(c, deps, h, held.ProfileID)
		if err != nil {
			return err
		}
		metadata := maps.Clone(held.Metadata)
		if metadata == nil {
			metadata = map[string]string{}
		}
		maps.Copy(metadata, held.Choices[i].Metadata)
		rv := storedReportView(held.Report, h.text)
		if _, ok := metadata[duplicateOf]; ok {
			if err := chooseDuplicate(ctx, deps, h, t, held.Choices[i], metadata); err != nil {
				_ = deps.Attempts.FinishAttempt(ctx, held.ID, linkhub.AttemptFailed, "", held.Report)
				return err
			}
		} else {
			rv.Summary = []views.KeyValue{{Key: t.spec.Name, Value: held.Choices[i].Name}}
		}
		return finishLink(c, deps, h, t, held.ID, held.Report, held.Values, metadata, held.Secrets, rv)
	}
}

// readHubForm reads the form's fields: non-secret values as typed, secrets
// wrapped at once so they never sit in a plain string map.
func readHubForm(c echo.Context, fields []linkhub.Field) (map[string]string, map[string]secret.Value) {
	typed, secrets := map[string]string{}, map[string]secret.Value{}
	for _, f := range fields {
		if f.Secret {
			secrets[f.ID] = secret.New(c.FormValue(f.ID))
		} else {
			typed[f.ID] = c.FormValue(f.ID)
		}
	}
	return typed, secrets
}

// credentials merges the profile's values and secrets with the user's; in a
// relink a blank secret means the stored one.
func (t *hubTarget) credentials(ctx context.Context, deps Deps, typed map[string]string, userSecrets map[string]secret.Value) (linkhub.Credentials, error) {
	creds := linkhub.Credentials{Values: maps.Clone(t.profile.Values), Secrets: map[string]secret.Value{}}
	if creds.Values == nil {
		creds.Values = map[string]string{}
	}
	maps.Copy(creds.Values, typed)
	if len(t.profile.StoredSecrets) > 0 {
		ps, err := deps.Profiles.FindProfileSecrets(ctx, t.profile.ID)
		if err != nil {
			return linkhub.Credentials{}, err
		}
		maps.Copy(creds.Secrets, ps)
	}
	if t.account != nil {
		as, err := deps.Accounts.FindAccountSecrets(ctx, t.account.ID)
		if err != nil {
			return linkhub.Credentials{}, err
		}
		for k, v := range as {
			if _, ok := userSecrets[k]; ok {
				creds.Secrets[k] = v
			}
		}
	}
	for k, v := range userSecrets {
		if !v.IsZero() {
			creds.Secrets[k] = v
		}
	}
	return creds, nil
}

// accountValues are the non-secret values the account stores: the user's
// fields, normalised by the test where it did.
func accountValues(fields []linkhub.Field, normalised, typed map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		if f.Secret {
			continue
		}
		if v, ok := normalised[f.ID]; ok {
			out[f.ID] = v
		} else if typed[f.ID] != "" {
			out[f.ID] = typed[f.ID]
		}
	}
	return out
}

// renderFailure shows the form again with the failed stage, the field
// errors and every non-secret value kept; an embedding page is told too.
func renderFailure(c echo.Context, h *hubState, t *hubTarget, typed map[string]string, report linkhub.Report) error {
	if st, ok := report.Failed(); ok && st.Name == linkhub.StageValidate {
		return renderInputErrors(c, h, t, typed, report.FieldErrors)
	}
	v := t.formView(h, typed)
	rv := views.NewHubReportView(report, h.text)
	if h.session.EmbedOrigin != "" {
		code, msg := linkhub.ReasonInvalidInput, views.English.FailureTitle
		if st, ok := report.Failed(); ok {
			code = st.Reason
			if st.Hint != "" {
				msg = st.Hint
			}
		}
		rv.Message = postMessage(map[string]any{"type": "error", "error": map[string]string{"code": code, "message": msg}})
	}
	v.ReportView = &rv
	for i := range v.Fields {
		v.Fields[i].Error = report.FieldErrors[v.Fields[i].ID]
	}
	markReentry(v.Fields, h.text)
	// A failed test is a result, not an error: 200, so the host page's
	// console stays clean of a failed load inside its iframe.
	return render(c, http.StatusOK, views.HubForm(v))
}

// finishLink stores the account (or swaps a relinked account's credentials),
// records the attempt and shows the success screen.
func finishLink(c echo.Context, deps Deps, h *hubState, t *hubTarget, attemptID string, stored linkhub.AttemptReport,
	values, metadata map[string]string, secrets map[string]secret.Value, rv views.HubReportView) error {
	ctx := c.Request().Context()
	s := h.session
	at := linkhub.LinkAttempt{ID: attemptID, Report: stored,
		Actor: linkhub.Actor{Kind: "end_user", ID: s.OriginOwnerID, Label: s.OriginOwnerName, IP: c.RealIP()}}
	var a *linkhub.Account
	var err error
	if t.account != nil {
		a, err = deps.Accounts.RelinkAccount(ctx, t.account.ID, values, metadata, secrets, at)
	} else {
		now := time.Now()
		a = &linkhub.Account{ProfileID: t.profile.ID, ConnectorID: t.profile.ConnectorID,
			OriginOwnerID: s.OriginOwnerID, OriginOwnerName: s.OriginOwnerName, OriginUsername: s.OriginUsername,
			Label: s.Label, Values: values, Metadata: metadata, SessionMetadata: s.Metadata, LastTestedAt: &now}
		err = deps.Accounts.LinkAccount(ctx, a, secrets, at)
	}
	if err != nil {
		_ = deps.Attempts.FinishAttempt(ctx, attemptID, linkhub.AttemptFailed, "", stored)
		if linkhub.ErrorCode(err) == linkhub.ESPENT { // another tab or window linked first
			return renderExpired(c, deps, err)
		}
		return err
	}
	return renderDone(c, h, t, a, rv)
}

// formSubmission is the form's submission id; none (an older page) means
// the retry of a submission is not recognised.
func formSubmission(c echo.Context, text views.HubText) (string, error) {
	s := c.FormValue("submission")
	if len(s) > 64 || strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
	}) {
		return "", linkhub.Errorf(linkhub.EINVALID, "%s", text.FormOutdated)
	}
	return s, nil
}

// renderLinked shows the success screen of a submission that linked its
// account already: a retry after an answer that never arrived (a cut
// connection, a restart) learns the outcome instead of linking again.
func renderLinked(c echo.Context, deps Deps, h *hubState, t *hubTarget, done *linkhub.Attempt) error {
	a, err := deps.Accounts.FindAccountByID(c.Request().Context(), done.AccountID)
	if err != nil {
		return err
	}
	return renderDone(c, h, t, a, storedReportView(done.Report, h.text))
}

// renderDone shows the success screen for account a and tells an
// embedding page.
func renderDone(c echo.Context, h *hubState, t *hubTarget, a *linkhub.Account, rv views.HubReportView) error {
	s := h.session
	for _, kv := range h.text.Summary {
		if m := a.Metadata[kv.Key]; m != "" {
			rv.Summary = append(rv.Summary, views.KeyValue{Key: kv.Value, Value: m})
		}
	}
	for _, o := range t.spec.MetadataLabels { // connectors defined as data name their own
		if m := a.Metadata[o.Value]; m != "" {
			rv.Summary = append(rv.Summary, views.KeyValue{Key: o.Label, Value: m})
		}
	}
	v := views.HubDoneView{HubFrame: h.frame(), Profile: hubProfile(t.profile, t.spec),
		Report: rv, ReturnURL: s.ReturnURL, TargetOrigin: s.EmbedOrigin}
	if s.EmbedOrigin != "" {
		v.Message = postMessage(map[string]any{"type": "success", "account": map[string]string{
			"id": a.ID, "connector": a.ConnectorID, "profile_id": a.ProfileID, "origin_owner_id": a.OriginOwnerID}})
	}
	return render(c, http.StatusOK, views.HubDone(v))
}

// postMessage encodes a message for the embedding page.
func postMessage(m map[string]any) string {
	m["source"] = "linkhub"
	b, _ := json.Marshal(m)
	return string(b)
}

// storedReportView shows a stored report's stages.
func storedReportView(r linkhub.AttemptReport, text views.HubText) views.HubReportView {
	v := views.HubReportView{OK: true}
	for _, s := range r.Stages {
		title := text.Stage[s.Name]
		v.Stages = append(v.Stages, views.HubStage{Name: s.Name, Title: title, Status: s.Status,
			DurationMS: s.DurationMS, HTTPStatus: s.HTTPStatus, Hint: s.Hint})
	}
	return v
}
