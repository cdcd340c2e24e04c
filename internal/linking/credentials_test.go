package linking_test

import (
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
	"github.com/linkhub/linkhub/internal/secret"
)

func TestCredentials(t *testing.T) {
	t.Parallel()
	p := &linkhub.Profile{Values: map[string]string{"region": "eu", "tenant": "from-profile"}}
	psec := map[string]secret.Value{"partner_secret": secret.New("p-secret"), "client_secret": secret.New("shared")}
	a := &linkhub.Account{Values: map[string]string{"tenant": "from-account", "client_id": "stored-id"}}
	asec := map[string]secret.Value{"client_secret": secret.New("stored"), "api_key": {}}
	for _, tc := range []struct {
		name        string
		account     bool
		form        *linking.Form
		wantValues  map[string]string
		wantSecrets map[string]string
	}{
		{name: "ProfileOnly",
			wantValues:  map[string]string{"region": "eu", "tenant": "from-profile"},
			wantSecrets: map[string]string{"partner_secret": "p-secret", "client_secret": "shared"}},
		{name: "Stored", account: true, // a blank stored secret never hides the profile's
			wantValues:  map[string]string{"region": "eu", "tenant": "from-account", "client_id": "stored-id"},
			wantSecrets: map[string]string{"partner_secret": "p-secret", "client_secret": "stored"}},
		{name: "Form", form: &linking.Form{Values: map[string]string{"client_id": "typed"},
			Secrets: map[string]secret.Value{"client_secret": secret.New("typed-secret")}},
			wantValues:  map[string]string{"region": "eu", "tenant": "from-profile", "client_id": "typed"},
			wantSecrets: map[string]string{"partner_secret": "p-secret", "client_secret": "typed-secret"}},
		// A relink form: a blank secret keeps the stored one, and the
		// account fills only the form's fields.
		{name: "RelinkBlankKeeps", account: true, form: &linking.Form{Values: map[string]string{"client_id": "new-id"},
			Secrets: map[string]secret.Value{"client_secret": {}}},
			wantValues:  map[string]string{"region": "eu", "tenant": "from-profile", "client_id": "new-id"},
			wantSecrets: map[string]string{"partner_secret": "p-secret", "client_secret": "stored"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var acc *linkhub.Account
			var accSec map[string]secret.Value
			if tc.account {
				acc, accSec = a, asec
			}
			got := linking.Credentials(p, psec, acc, accSec, tc.form)
			if len(got.Values) != len(tc.wantValues) {
				t.Errorf("values: got %v, want %v", got.Values, tc.wantValues)
			}
			for k, v := range tc.wantValues {
				if got.Values[k] != v {
					t.Errorf("value %s: got %q, want %q", k, got.Values[k], v)
				}
			}
			if len(got.Secrets) != len(tc.wantSecrets) {
				t.Errorf("secrets: got %d, want %d", len(got.Secrets), len(tc.wantSecrets))
			}
			for k, v := range tc.wantSecrets {
				if got.Secrets[k].Reveal() != v {
					t.Errorf("secret %s: got %q, want %q", k, got.Secrets[k].Reveal(), v)
				}
			}
		})
	}
	if p.Values["tenant"] != "from-profile" || len(psec) != 2 {
		t.Errorf("the profile's maps were changed: %v", p.Values)
	}
}
