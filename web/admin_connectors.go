package web

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/views"
)

// maxDefinitionUpload bounds an uploaded definition file as read; a larger
// one is refused by the runtime's own limit with its message.
const maxDefinitionUpload = 256 << 10

// connectorProfileCounts counts the profiles of each connector id.
func connectorProfileCounts(c echo.Context, profiles linkhub.ProfileService) (map[string]int, error) {
	list, err := profiles.FindProfiles(c.Request().Context(), linkhub.ProfileFilter{})
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for _, p := range list {
		n[p.ConnectorID]++
	}
	return n, nil
}

// handleConnectorList handles GET /admin/connectors: built-in, file and runtime connectors.
func handleConnectorList(runtime RuntimeConnectors, profiles linkhub.ProfileService) echo.HandlerFunc {
	return func(c echo.Context) error {
		cat, err := runtime.Catalog(c.Request().Context())
		if err != nil {
			return err
		}
		counts, err := connectorProfileCounts(c, profiles)
		if err != nil {
			return err
		}
		var v views.ConnectorsView
		for _, e := range cat {
			r := views.ConnectorRow{ID: e.Spec.ID, Name: e.Spec.Name, Origin: e.Origin, Replaces: e.Replaces,
				Broken: e.Broken, Profiles: counts[e.Spec.ID]}
			if e.Runtime != nil {
				r.Version, r.Disabled = e.Runtime.Version, e.Runtime.Disabled
			}
			v.Rows = append(v.Rows, r)
		}
		return render(c, http.StatusOK, views.Connectors(v))
	}
}

// handleConnectorNew handles GET /admin/connectors/new.
func handleConnectorNew() echo.HandlerFunc {
	return func(c echo.Context) error {
		return render(c, http.StatusOK, views.ConnectorForm(views.ConnectorFormView{}))
	}
}

// handleConnectorEdit handles GET /admin/connectors/runtime/:connector: the current
// version in the form, and the history.
func handleConnectorEdit(runtime RuntimeConnectors, profiles linkhub.ProfileService) echo.HandlerFunc {
	return func(c echo.Context) error {
		v, err := connectorFormView(c, runtime, profiles, c.Param("connector"))
		if err != nil {
			return err
		}
		v.Source, v.Replaces = v.History[0].Source, v.History[0].Replaces
		return render(c, http.StatusOK, views.ConnectorForm(v))
	}
}

// connectorFormView is the edit page of runtime connector id without the form's
// values: its state and history.
func connectorFormView(c echo.Context, runtime RuntimeConnectors, profiles linkhub.ProfileService, id string) (views.ConnectorFormView, error) {
	ctx := c.Request().Context()
	if !connectorIDRE.MatchString(id) {
		return views.ConnectorFormView{}, linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
	}
	rc, err := runtime.Find(ctx, id)
	if err != nil {
		return views.ConnectorFormView{}, err
	}
	vs, err := runtime.Versions(ctx, id)
	if err != nil {
		return views.ConnectorFormView{}, err
	}
	counts, err := connectorProfileCounts(c, profiles)
	if err != nil {
		return views.ConnectorFormView{}, err
	}
	v := views.ConnectorFormView{ID: id, Name: id, Version: rc.Version, Disabled: rc.Disabled, Profiles: counts[id]}
	if spec, err := runtime.Check(id+".yaml", id, rc.Source, rc.Replaces); err == nil {
		v.Name = spec.Name
	}
	for _, ver := range vs {
		v.History = append(v.History, views.ConnectorVersionRow{Version: ver.Version, SavedBy: ver.SavedBy, When: fmtTime(ver.CreatedAt),
			Replaces: ver.Replaces, Source: ver.Source, Current: ver.Version == rc.Version})
	}
	return v, nil
}

// handleConnectorSubmit handles POST /admin/connectors and POST
// /admin/connectors/runtime/:connector: op "check" validates, "test" runs
// the live test, "save" stores a new version. Only a save changes anything.
func handleConnectorSubmit(runtime RuntimeConnectors, profiles linkhub.ProfileService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("connector")
		v := views.ConnectorFormView{}
		if id != "" {
			var err error
			if v, err = connectorFormView(c, runtime, profiles, id); err != nil {
				return err
			}
		}
		file, source, err := definitionInput(c, id)
		if err != nil {
			return err
		}
		v.Source, v.Replaces = source, c.FormValue("replaces") != ""
		ctx := c.Request().Context()
		spec, err := runtime.Check(file, id, source, v.Replaces)
		if showProblems(&v, err) {
			return render(c, http.StatusUnprocessableEntity, views.ConnectorForm(v))
		} else if err != nil {
			return err
		}
		switch c.FormValue("op") {
		case "save":
			rc, err := runtime.Save(ctx, actor(c), file, id, source, v.Replaces)
			if showProblems(&v, err) {
				return render(c, http.StatusUnprocessableEntity, views.ConnectorForm(v))
			} else if err != nil {
				return err
			}
			return sess.redirectWithFlash(c, "/admin/connectors/runtime/"+rc.ID, "success",
				"Saved version "+strconv.Itoa(rc.Version)+" of “"+spec.Name+"”: it is offered in the profile catalogue now.")
		case "test":
			in := testInput(c, spec)
			rep, err := runtime.Test(ctx, file, id, source, v.Replaces, in)
			if err != nil {
				return err
			}
			rv := views.NewHubReportView(rep, views.English)
			v.Report = &rv
			for _, f := range spec.Fields {
				if msg := rep.FieldErrors[f.ID]; msg != "" {
					v.FieldErrors = append(v.FieldErrors, views.KeyValue{Key: f.Label, Value: msg})
				}
			}
			v.Fields = testFields(spec, in, rep.FieldErrors)
		default:
			v.Fields = testFields(spec, linkhub.TestInput{}, nil)
		}
		v.Valid = "The definition is valid: “" + spec.Name + "” (" + spec.ID + ")."
		return render(c, http.StatusOK, views.ConnectorForm(v))
	}
}

// showProblems puts a refused definition's problems into v.
func showProblems(v *views.ConnectorFormView, err error) bool {
	var de *linkhub.DefinitionError
	if !errors.As(err, &de) {
		return false
	}
	for _, p := range de.Problems {
		v.Problems = append(v.Problems, p.String())
	}
	return true
}

// definitionInput returns the definition's text and the name its problems
// carry: an uploaded file's, or the pasted text's.
func definitionInput(c echo.Context, id string) (file, source string, err error) {
	file = "pasted.yaml"
	if id != "" {
		file = id + ".yaml"
	}
	fh, ferr := c.FormFile("file")
	if ferr != nil || fh.Size == 0 {
		return file, c.FormValue("source"), nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxDefinitionUpload))
	if err != nil {
		return "", "", err
	}
	name := fh.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || !linkhub.ValidText(name) {
		name = "uploaded.yaml"
	}
	return name, string(b), nil
}

// testInput reads the live test's fields; the profile's default actions
// are probed, as on a new profile.
func testInput(c echo.Context, spec linkhub.ConnectorSpec) linkhub.TestInput {
	in := linkhub.TestInput{Credentials: linkhub.Credentials{Values: map[string]string{}, Secrets: map[string]secret.Value{}}}
	for _, f := range spec.Fields {
		val := strings.TrimSpace(c.FormValue("field." + f.ID))
		switch {
		case val == "":
		case f.Secret:
			in.Secrets[f.ID] = secret.New(val)
		default:
			in.Values[f.ID] = val
		}
	}
	for _, a := range spec.Actions {
		if !a.OptIn {
			in.Actions = append(in.Actions, a.ID)
		}
	}
	return in
}

// testFields is the live test's form with the values given back, but never
// a secret.
func testFields(spec linkhub.ConnectorSpec, in linkhub.TestInput, errs map[string]string) []views.ProfileFieldView {
	fields := slices.Clone(spec.Fields)
	out := make([]views.ProfileFieldView, 0, len(fields))
	for _, f := range fields {
		f.Required = false // nothing is required to validate or save
		fv := views.ProfileFieldView{Field: f, Error: errs[f.ID]}
		if !f.Secret {
			fv.Value = in.Values[f.ID]
		}
		out = append(out, fv)
	}
	return out
}

// handleConnectorSetDisabled handles POST /admin/connectors/runtime/:connector/disable
// and /enable; disabling one that profiles use is refused with its reason.
func handleConnectorSetDisabled(runtime RuntimeConnectors, sess *adminSessions, disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("connector")
		if !connectorIDRE.MatchString(id) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		err := runtime.SetDisabled(c.Request().Context(), actor(c), id, disabled)
		if linkhub.ErrorCode(err) == linkhub.ECONFLICT {
			return sess.redirectWithFlash(c, "/admin/connectors/runtime/"+id, "error", linkhub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		msg := "Enabled the connector: it is offered again."
		if disabled {
			msg = "Disabled the connector: it is no longer offered."
		}
		return sess.redirectWithFlash(c, "/admin/connectors/runtime/"+id, "success", msg)
	}
}

// handleConnectorDeletePage handles GET /admin/connectors/runtime/:connector/delete: the
// confirmation, or why it cannot be deleted.
func handleConnectorDeletePage(runtime RuntimeConnectors, profiles linkhub.ProfileService) echo.HandlerFunc {
	return func(c echo.Context) error {
		return renderConnectorDelete(c, runtime, profiles, http.StatusOK, "")
	}
}

// renderConnectorDelete renders the confirmation with the profiles counted now.
func renderConnectorDelete(c echo.Context, runtime RuntimeConnectors, profiles linkhub.ProfileService, status int, msg string) error {
	v, err := connectorFormView(c, runtime, profiles, c.Param("connector"))
	if err != nil {
		return err
	}
	return render(c, status, views.DeleteConnector(views.DeleteConnectorView{ID: v.ID, Versions: len(v.History),
		Profiles: v.Profiles, Error: msg}))
}

// handleConnectorDelete handles POST /admin/connectors/runtime/:connector/delete: refused
// while profiles use the connector.
func handleConnectorDelete(runtime RuntimeConnectors, profiles linkhub.ProfileService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("connector")
		if !connectorIDRE.MatchString(id) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		err := runtime.Delete(c.Request().Context(), actor(c), id)
		if linkhub.ErrorCode(err) == linkhub.ECONFLICT {
			return renderConnectorDelete(c, runtime, profiles, http.StatusConflict, linkhub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/connectors", "success", "Deleted the connector “"+id+"” and its history.")
	}
}
