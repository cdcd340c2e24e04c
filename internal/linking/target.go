package linking

import (
	"context"
	"slices"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// Target is the profile a hub form works on, with its connector and, in a
// relink, the account.
type Target struct {
	Profile   *linkhub.Profile
	Connector linkhub.Connector
	Account   *linkhub.Account
	// CanGoBack is true when the session offers other profiles too.
	CanGoBack bool
}

// Profiles returns the enabled profiles session s may connect, whose
// connector exists: the relinked account's profile, the session's profiles,
// its connector's, or all.
func (s *Service) Profiles(ctx context.Context, cs *linkhub.ConnectSession) ([]*linkhub.Profile, error) {
	enabled := true
	filter := linkhub.ProfileFilter{Enabled: &enabled}
	switch {
	case cs.Relink():
		a, err := s.accounts.FindAccountByID(ctx, cs.AccountID)
		if err != nil {
			return nil, err
		}
		// A relink works on a disabled profile too: the account exists.
		filter = linkhub.ProfileFilter{ID: &a.ProfileID}
	case len(cs.ProfileIDs) > 0:
		filter.IDs = cs.ProfileIDs
	case cs.ConnectorID != "":
		filter.ConnectorID = &cs.ConnectorID
	}
	list, err := s.profiles.FindProfiles(ctx, filter)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(p *linkhub.Profile) bool {
		_, ok := s.connectors.Get(p.ConnectorID)
		return !ok
	}), nil
}

// Target returns the profile with this id if session cs allows it
// (ErrNotAllowed if not), with the relinked account.
func (s *Service) Target(ctx context.Context, cs *linkhub.ConnectSession, profileID string) (*Target, error) {
	list, err := s.Profiles(ctx, cs)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(list, func(p *linkhub.Profile) bool { return p.ID == profileID })
	if i < 0 {
		return nil, ErrNotAllowed
	}
	t := &Target{Profile: list[i], CanGoBack: len(list) > 1}
	t.Connector, _ = s.connectors.Get(t.Profile.ConnectorID)
	if cs.Relink() {
		if t.Account, err = s.accounts.FindAccountByID(ctx, cs.AccountID); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// FormFields are the fields the user fills: the connector's account fields
// that the profile does not fill at profile level.
func (t *Target) FormFields() []linkhub.Field {
	return t.FieldsOf(t.Connector.Spec())
}

// FieldsOf are FormFields as spec words them: the hub passes the
// connector's spec in the user's language.
func (t *Target) FieldsOf(spec linkhub.ConnectorSpec) []linkhub.Field {
	var out []linkhub.Field
	for _, f := range spec.Fields {
		if f.Scope != linkhub.ScopeAccount || t.Profile.Values[f.ID] != "" || t.Profile.HasSecret(f.ID) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// checkInput runs the checks that need no vendor: the fields' own, then the
// connector's (Jamf's address), by field id; nil when all is well. fieldRules
// says the fields' own rules found them (missing, not a UUID, not an option).
func (t *Target) checkInput(ctx context.Context, creds linkhub.Credentials) (errs map[string]string, fieldRules bool) {
	if _, errs := linkhub.ValidateFields(t.FormFields(), creds); errs != nil {
		return errs, true
	}
	if ic, ok := t.Connector.(linkhub.InputChecker); ok {
		return ic.CheckInput(ctx, creds), false
	}
	return nil, false
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
