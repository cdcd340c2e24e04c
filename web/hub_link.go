package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/views"
)

// handleHubConnect handles POST /hub/:handle/profiles/:profile/connect: it
// tests what the user typed against the vendor and links the account, offers
// the choices the test found, or shows the form again with the failure.
func handleHubConnect(linker Linking, store linkhub.SettingsService, limits *hubLimiters) echo.HandlerFunc {
	return func(c echo.Context) error {
		h, ctx := hubOf(c), c.Request().Context()
		t, err := findHubTarget(c, linker, h, c.Param("profile"))
		if err != nil {
			return err
		}
		form := readHubForm(c, t.formFields())
		out, err := linker.Submit(ctx, linking.Submission{Session: h.session, Handle: h.handle, Target: t.Target,
			Form: form, ID: c.FormValue("submission"), IP: c.RealIP(),
			Allow: func() bool { return limits.allow(h.session.ID, c.RealIP()) }})
		switch {
		case errors.Is(err, linking.ErrFormOutdated):
			return linkhub.Errorf(linkhub.EINVALID, "%s", h.text.FormOutdated)
		case linkhub.ErrorCode(err) == linkhub.ESPENT:
			return renderExpired(c, store, err)
		case err != nil:
			return err
		}
		switch out.Kind {
		case linking.Invalid:
			errs := out.FieldErrors
			if out.FieldRules {
				errs = fieldMessages(t.formFields(), linkhub.Credentials{Values: form.Values, Secrets: form.Secrets}, errs, h.text)
			}
			return renderInputErrors(c, h, t, form.Values, errs)
		case linking.Limited:
			v := t.formView(h, form.Values)
			v.FormError = h.text.TooManyAttempts
			return render(c, http.StatusTooManyRequests, views.HubForm(v))
		case linking.Failed:
			return renderFailure(c, h, t, form.Values, out.Report)
		case linking.Choose:
			return render(c, http.StatusOK, views.HubChoice(views.HubChoiceView{HubFrame: h.frame(),
				Profile: hubProfile(t.Profile, t.spec), AttemptID: out.AttemptID, Choices: out.Choices}))
		case linking.Duplicate:
			return renderDuplicate(c, h, t, out)
		}
		return renderDone(c, h, t, out.Account, reportView(out, h.text))
	}
}

// handleHubChoose handles POST /hub/:handle/attempts/:attempt/choose: it
// links the account with the choice the user made after a successful test.
func handleHubChoose(linker Linking, store linkhub.SettingsService) echo.HandlerFunc {
	return func(c echo.Context) error {
		h, ctx := hubOf(c), c.Request().Context()
		out, err := linker.Choose(ctx, h.session, c.Param("attempt"), c.FormValue("choice"), c.RealIP())
		switch {
		case errors.Is(err, linking.ErrChoiceGone):
			return linkhub.Errorf(linkhub.ENOTFOUND, "%s", h.text.ChoiceGone)
		case errors.Is(err, linking.ErrChoiceInvalid):
			return linkhub.Errorf(linkhub.EINVALID, "%s", h.text.ChoiceGone)
		case errors.Is(err, linking.ErrNotAllowed):
			return linkhub.Errorf(linkhub.ENOTFOUND, "%s", h.text.NotAllowedIntro)
		case linkhub.ErrorCode(err) == linkhub.ESPENT: // another tab or window linked first
			return renderExpired(c, store, err)
		case err != nil:
			return err
		}
		t := h.target(out.Target)
		rv := reportView(out, h.text)
		if out.Chosen != "" {
			rv.Summary = []views.KeyValue{{Key: t.spec.Name, Value: out.Chosen}}
		}
		return renderDone(c, h, t, out.Account, rv)
	}
}

// readHubForm reads the form's fields: non-secret values as typed, secrets
// wrapped at once so they never sit in a plain string map.
func readHubForm(c echo.Context, fields []linkhub.Field) linking.Form {
	f := linking.Form{Values: map[string]string{}, Secrets: map[string]secret.Value{}}
	for _, field := range fields {
		if field.Secret {
			f.Secrets[field.ID] = secret.New(c.FormValue(field.ID))
		} else {
			f.Values[field.ID] = c.FormValue(field.ID)
		}
	}
	return f
}

// reportView shows the report of an outcome: the test this request ran, or
// the stored one of an earlier test.
func reportView(out *linking.Outcome, text views.HubText) views.HubReportView {
	if out.Stored != nil {
		return storedReportView(*out.Stored, text)
	}
	return views.NewHubReportView(out.Report, text)
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
	v := views.HubDoneView{HubFrame: h.frame(), Profile: hubProfile(t.Profile, t.spec),
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
