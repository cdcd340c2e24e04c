package linking

import (
	"context"
	"maps"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// Form is what a user typed in the hub's form: non-secret values as typed,
// secrets wrapped at once.
type Form struct {
	Values  map[string]string
	Secrets map[string]secret.Value
}

// Credentials is the one way credentials are built, for the hub's tests, the
// admin's, health re-tests and token fetches: the profile's values and
// secrets, then the account's stored ones (a nil account has none), then the
// form (nil for stored credentials). With a form the account fills only the
// form's own fields, as the form showed them: a blank secret keeps the
// stored one. Where two have a value the later wins; a blank secret never does.
func Credentials(p *linkhub.Profile, profileSecrets map[string]secret.Value, a *linkhub.Account,
	accountSecrets map[string]secret.Value, form *Form) linkhub.Credentials {
	c := linkhub.Credentials{Values: map[string]string{}, Secrets: map[string]secret.Value{}}
	maps.Copy(c.Values, p.Values)
	maps.Copy(c.Secrets, profileSecrets)
	inForm := func(id string, secret bool) bool {
		if form == nil {
			return true
		}
		if secret {
			_, ok := form.Secrets[id]
			return ok
		}
		_, ok := form.Values[id]
		return ok
	}
	if a != nil {
		for k, v := range a.Values {
			if inForm(k, false) {
				c.Values[k] = v
			}
		}
		for k, v := range accountSecrets {
			if !v.IsZero() && inForm(k, true) {
				c.Secrets[k] = v
			}
		}
	}
	if form != nil {
		maps.Copy(c.Values, form.Values)
		for k, v := range form.Secrets {
			if !v.IsZero() {
				c.Secrets[k] = v
			}
		}
	}
	return c
}

// findCredentials reads the stored secrets Credentials needs (a profile's
// only when it holds some: most hold none, which spares a transaction) and
// merges them with a and form.
func findCredentials(ctx context.Context, profiles linkhub.ProfileService, accounts linkhub.AccountService,
	p *linkhub.Profile, a *linkhub.Account, form *Form) (linkhub.Credentials, error) {
	var psec, asec map[string]secret.Value
	var err error
	if len(p.StoredSecrets) > 0 {
		if psec, err = profiles.FindProfileSecrets(ctx, p.ID); err != nil {
			return linkhub.Credentials{}, err
		}
	}
	if a != nil {
		if asec, err = accounts.FindAccountSecrets(ctx, a.ID); err != nil {
			return linkhub.Credentials{}, err
		}
	}
	return Credentials(p, psec, a, asec, form), nil
}

// StoredTestInput is what a test or a token request of a's stored
// credentials runs on: the profile's and the account's credentials merged
// and the profile's enabled actions.
func StoredTestInput(ctx context.Context, profiles linkhub.ProfileService, accounts linkhub.AccountService, a *linkhub.Account) (linkhub.TestInput, error) {
	p, err := profiles.FindProfileByID(ctx, a.ProfileID)
	if err != nil {
		return linkhub.TestInput{}, err
	}
	creds, err := findCredentials(ctx, profiles, accounts, p, a, nil)
	if err != nil {
		return linkhub.TestInput{}, err
	}
	return linkhub.TestInput{Credentials: creds, Actions: p.Actions}, nil
}
