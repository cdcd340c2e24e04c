package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/views"
)

func connectorCard(spec linkhub.ConnectorSpec) views.ConnectorCard {
	return views.ConnectorCard{ID: spec.ID, Name: spec.Name, Logo: spec.Logo, Category: spec.Category, Summary: spec.Summary}
}

// handleProfileList handles GET /admin/profiles.
func handleProfileList(profiles linkhub.ProfileService, accounts linkhub.AccountService, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		list, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{})
		if err != nil {
			return err
		}
		counts, err := accounts.CountAccountsByProfile(ctx)
		if err != nil {
			return err
		}
		var v views.ProfilesView
		for _, p := range list {
			row := views.ProfileRow{ID: p.ID, Name: p.Name, Connector: views.ConnectorCard{ID: p.ConnectorID, Name: p.ConnectorID},
				Enabled: p.Enabled, Default: p.IsDefault, Featured: p.Featured, Accounts: counts[p.ID]}
			if conn, ok := connectors.Get(p.ConnectorID); ok {
				row.Connector = connectorCard(conn.Spec())
			}
			v.Rows = append(v.Rows, row)
		}
		return render(c, http.StatusOK, views.Profiles(v))
	}
}

// handleProfileNew handles GET /admin/profiles/new: without a connector the
// catalogue, with one the empty form.
func handleProfileNew(connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.QueryParam("connector")
		if id == "" {
			return render(c, http.StatusOK, views.ProfileCatalog(catalogView(c, connectors)))
		}
		conn, ok := connectors.Get(id)
		if !ok {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no connector %q.", id)
		}
		spec := conn.Spec()
		v := profileForm(spec, nil)
		v.Enabled = true
		for i := range v.Actions { // on by default, but for those only some credentials can run
			v.Actions[i].Checked = !v.Actions[i].OptIn
		}
		return render(c, http.StatusOK, views.ProfileForm(v))
	}
}

// profileForm builds the form of spec, filled from p when editing.
func profileForm(spec linkhub.ConnectorSpec, p *linkhub.Profile) views.ProfileFormView {
	v := views.ProfileFormView{Connector: connectorCard(spec), Guide: spec.AdminGuide}
	if p != nil {
		v.ID, v.Name, v.IsDefault, v.Enabled = p.ID, p.Name, p.IsDefault, p.Enabled
		v.Featured = p.Featured
		v.CanTest = len(p.StoredSecrets) > 0 || len(p.Values) > 0
	}
	for _, f := range spec.Fields {
		fv := views.ProfileFieldView{Field: f}
		if p != nil {
			fv.Value = p.Values[f.ID]
			fv.Mask = p.SecretMasks[f.ID]
		}
		if f.Scope == linkhub.ScopeProfile {
			v.Fields = append(v.Fields, fv)
		} else {
			v.Shared = append(v.Shared, fv)
		}
	}
	for _, a := range spec.Actions {
		v.Actions = append(v.Actions, views.ProfileActionView{Action: a, Checked: p != nil && slices.Contains(p.Actions, a.ID)})
	}
	return v
}

// parsedProfile is what a submitted profile form holds.
type parsedProfile struct {
	name      string
	isDefault bool
	featured  bool
	actions   []string
	values    map[string]string
	secrets   map[string]secret.Value
}

// parseProfileForm reads the form into v (values as typed) and returns
// what to store; the profile service holds it to the connector's rules
// (showProfileProblems). Secrets are never put back into the view.
func parseProfileForm(c echo.Context, v *views.ProfileFormView) parsedProfile {
	// The pairs that parse, as the hub reads its form: a malformed pair
	// drops only itself, whichever of FormValue or FormParams ran first.
	_, _ = c.FormParams()
	form := c.Request().Form
	out := parsedProfile{name: strings.TrimSpace(form.Get("name")), isDefault: form.Get("is_default") != "",
		featured: form.Get("featured") != "", values: map[string]string{}, secrets: map[string]secret.Value{}}
	v.Name, v.IsDefault, v.Featured = form.Get("name"), out.isDefault, out.featured
	read := func(list []views.ProfileFieldView) {
		for i := range list {
			f := &list[i]
			val := strings.TrimSpace(form.Get("field." + f.ID))
			if f.Secret {
				if val != "" {
					out.secrets[f.ID] = secret.New(val)
				}
				continue
			}
			if f.Kind == linkhub.KindUUID {
				val = strings.ToLower(val) // as the connectors normalise them
			}
			if f.Value = val; val != "" {
				out.values[f.ID] = val
			}
		}
	}
	read(v.Fields)
	read(v.Shared)
	for i := range v.Actions {
		a := &v.Actions[i]
		a.Checked = slices.Contains(form["actions"], a.ID)
		if a.Checked {
			out.actions = append(out.actions, a.ID)
		}
	}
	return out
}

// handleProfileCreate handles POST /admin/profiles.
func handleProfileCreate(profiles linkhub.ProfileService, connectors Connectors, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		conn, ok := connectors.Get(c.FormValue("connector"))
		if !ok {
			return linkhub.Errorf(linkhub.EINVALID, "Choose a connector from the catalogue.")
		}
		spec := conn.Spec()
		v := profileForm(spec, nil)
		pp := parseProfileForm(c, &v)
		p := &linkhub.Profile{ConnectorID: spec.ID, Name: pp.name, Enabled: true, IsDefault: pp.isDefault,
			Featured: pp.featured, Actions: pp.actions, Values: pp.values}
		err := profiles.CreateProfile(c.Request().Context(), actor(c), p, pp.secrets)
		if err != nil {
			if profileFormError(err, &v) {
				return render(c, http.StatusUnprocessableEntity, views.ProfileForm(v))
			}
			return err
		}
		return sess.redirectWithFlash(c, "/admin/profiles/"+p.ID, "success", "Created the profile “"+p.Name+"”.")
	}
}

// profileFormError puts a service error on the form: each of the rules'
// problems beside its input, a taken name on the name field, other field
// errors on the form. It reports false for errors that are not the user's
// to fix.
func profileFormError(err error, v *views.ProfileFormView) bool {
	var pp linkhub.ProfileProblems
	if errors.As(err, &pp) {
		v.NameError, v.ActionsError = pp["name"], pp["actions"]
		for _, list := range [][]views.ProfileFieldView{v.Fields, v.Shared} {
			for i := range list {
				list[i].Error = pp[list[i].ID]
			}
		}
		return true
	}
	switch code := linkhub.ErrorCode(err); {
	case code == linkhub.ECONFLICT:
		v.NameError = linkhub.ErrorMessage(err)
	case code == linkhub.EINVALID && linkhub.ErrorField(err) == "name":
		v.NameError = linkhub.ErrorMessage(err)
	case code == linkhub.EINVALID:
		v.FormError = linkhub.ErrorMessage(err)
	default:
		return false
	}
	return true
}

// findProfile returns the profile of the :id parameter and its connector.
func findProfile(c echo.Context, profiles linkhub.ProfileService, connectors Connectors) (*linkhub.Profile, linkhub.Connector, error) {
	p, err := profiles.FindProfileByID(c.Request().Context(), c.Param("id"))
	if err != nil {
		return nil, nil, err
	}
	conn, ok := connectors.Get(p.ConnectorID)
	if !ok {
		return nil, nil, linkhub.Errorf(linkhub.EUNAVAILABLE, "The connector %q of this profile is not available in this version.", p.ConnectorID)
	}
	return p, conn, nil
}

// handleProfileEdit handles GET /admin/profiles/:id.
func handleProfileEdit(profiles linkhub.ProfileService, connectors Connectors) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, conn, err := findProfile(c, profiles, connectors)
		if err != nil {
			return err
		}
		return render(c, http.StatusOK, views.ProfileForm(profileForm(conn.Spec(), p)))
	}
}

// handleProfileUpdate handles POST /admin/profiles/:id: blank secrets keep their stored
// values.
func handleProfileUpdate(profiles linkhub.ProfileService, connectors Connectors, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, conn, err := findProfile(c, profiles, connectors)
		if err != nil {
			return err
		}
		v := profileForm(conn.Spec(), p)
		pp := parseProfileForm(c, &v)
		np, err := profiles.UpdateProfile(c.Request().Context(), actor(c), p.ID, linkhub.ProfileUpdate{
			Name: &pp.name, IsDefault: &pp.isDefault, Featured: &pp.featured, Actions: &pp.actions, Values: pp.values, Secrets: pp.secrets})
		if err != nil {
			if profileFormError(err, &v) {
				return render(c, http.StatusUnprocessableEntity, views.ProfileForm(v))
			}
			return err
		}
		return sess.redirectWithFlash(c, "/admin/profiles/"+p.ID, "success", "Saved the profile “"+np.Name+"”.")
	}
}

// handleProfileSetEnabled handles POST /admin/profiles/:id/enable and /disable.
func handleProfileSetEnabled(profiles linkhub.ProfileService, sess *adminSessions, enabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := profiles.UpdateProfile(c.Request().Context(), actor(c), c.Param("id"), linkhub.ProfileUpdate{Enabled: &enabled})
		if err != nil {
			return err
		}
		msg := "Disabled the profile “" + p.Name + "”: its accounts cannot be used until you enable it."
		if enabled {
			msg = "Enabled the profile “" + p.Name + "”."
		}
		return sess.redirectWithFlash(c, "/admin/profiles", "success", msg)
	}
}

// handleProfileTest handles POST /admin/profiles/:id/test: the connector's test with the
// profile's own values, secrets and actions.
func handleProfileTest(linker Linking, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, conn, report, err := linker.TestProfile(c.Request().Context(), actor(c), c.Param("id"))
		if errors.Is(err, linking.ErrNothingToTest) {
			return sess.redirectWithFlash(c, "/admin/profiles/"+p.ID, "error", linkhub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		v := views.ProfileTestView{ID: p.ID, Name: p.Name, Connector: connectorCard(conn.Spec()),
			Report: views.NewHubReportView(report, views.English)}
		for _, f := range conn.Spec().Fields { // in the form's order, by label
			if msg := report.FieldErrors[f.ID]; msg != "" {
				v.FieldErrors = append(v.FieldErrors, views.KeyValue{Key: f.Label, Value: msg})
			}
		}
		return render(c, http.StatusOK, views.ProfileTest(v))
	}
}

// handleProfileDeletePage handles GET /admin/profiles/:id/delete: the confirmation.
func handleProfileDeletePage(profiles linkhub.ProfileService, accounts linkhub.AccountService) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := profiles.FindProfileByID(c.Request().Context(), c.Param("id"))
		if err != nil {
			return err
		}
		return renderProfileDelete(c, accounts, http.StatusOK, p, "")
	}
}

// renderProfileDelete renders the confirmation of deleting p, with its accounts
// counted now.
func renderProfileDelete(c echo.Context, accounts linkhub.AccountService, status int, p *linkhub.Profile, msg string) error {
	counts, err := accounts.CountAccountsByProfile(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, status, views.DeleteProfile(views.DeleteProfileView{ID: p.ID, Name: p.Name, Accounts: counts[p.ID], Error: msg}))
}

// handleProfileDelete handles POST /admin/profiles/:id/delete; accounts using the profile
// go with it only when the admin ticked "cascade".
func handleProfileDelete(profiles linkhub.ProfileService, accounts linkhub.AccountService, sess *adminSessions) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		p, err := profiles.FindProfileByID(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		cascade := c.FormValue("cascade") != ""
		_, err = profiles.DeleteProfile(ctx, actor(c), p.ID, cascade)
		if linkhub.ErrorCode(err) == linkhub.ECONFLICT {
			return renderProfileDelete(c, accounts, http.StatusConflict, p, linkhub.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		return sess.redirectWithFlash(c, "/admin/profiles", "success", "Deleted the profile “"+p.Name+"”.")
	}
}
