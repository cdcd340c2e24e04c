package postgres_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/password"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
	"github.com/linkhub/linkhub/internal/webhook"
)

// unstorableTexts are what a browser or script can send but no row can hold: a
// NUL byte and invalid UTF-8.
var unstorableTexts = map[string]string{"NUL": "a\x00b", "InvalidUTF8": "a\xff\xfeb"}

// TestAccountService_FindAccountsBadText: a filter holding what no account
// can hold (a NUL byte, invalid UTF-8: a query parameter may carry both)
// matches nothing rather than failing in the driver, and such a cursor is
// EINVALID.
func TestAccountService_FindAccountsBadText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	MustAccount(t, accounts, MustProfile(t, profiles, "Sophos", nil).ID, "owner-1", nil)
	for name, bad := range unstorableTexts {
		t.Run(name, func(t *testing.T) {
			for field, f := range map[string]linkhub.AccountFilter{
				"origin_owner_id": {OriginOwnerID: &bad}, "status": {Status: &bad}, "connector": {ConnectorID: &bad},
				"profile_id": {ProfileID: &bad}, "id": {ID: &bad}, "search": {Search: &bad},
			} {
				if list, _, err := accounts.FindAccounts(ctx, f); err != nil || len(list) != 0 {
					t.Errorf("%s: got %d accounts, %v, want none and no error", field, len(list), err)
				}
			}
			for _, cursor := range []string{bad, base64.RawURLEncoding.EncodeToString([]byte("1700000000000000:" + bad))} {
				if _, _, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{Cursor: cursor}); linkhub.ErrorCode(err) != linkhub.EINVALID {
					t.Errorf("cursor %q: got %v, want EINVALID", cursor, err)
				}
			}
		})
	}
}

// TestAdminInputs_BadText: such text in what an admin types is refused as
// theirs to fix on the field that holds it, or matches nothing in a
// filter; never an internal error, and nothing unstorable is stored.
func TestAdminInputs_BadText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles := postgres.NewProfileService(db, kr, postgres.CheckProfilesWith(connector.NewRegistry(connector.Config{})))
	settings := postgres.NewSettingsService(db)
	admins := postgres.NewAdminService(db, password.New(2))
	hooks := postgres.NewWebhookService(db, kr, webhook.URLChecker(connector.Config{AllowPrivate: true}))
	audit := postgres.NewAuditService(db)
	for name, bad := range unstorableTexts {
		t.Run(name, func(t *testing.T) {
			for field, p := range map[string]struct {
				p       *linkhub.Profile
				secrets map[string]secret.Value
			}{
				"name": {&linkhub.Profile{ConnectorID: "jamf", Name: bad, Values: map[string]string{"url": "https://x.jamfcloud.com"}}, nil},
				"url":  {&linkhub.Profile{ConnectorID: "jamf", Name: "J", Values: map[string]string{"url": "https://" + bad + ".jamfcloud.com"}}, nil},
				"client_id": {&linkhub.Profile{ConnectorID: "sophos", Name: "S", Values: map[string]string{"client_id": bad}},
					map[string]secret.Value{"client_secret": secret.New(bad)}},
			} {
				p.p.Enabled, p.p.Actions = true, []string{"list_endpoints"}
				if p.p.ConnectorID == "jamf" {
					p.p.Actions = []string{"get_version"}
				}
				err := profiles.CreateProfile(ctx, linkhub.SystemActor, p.p, p.secrets)
				if pp, ok := err.(linkhub.ProfileProblems); !ok || !strings.Contains(pp[field], "cannot be stored") {
					t.Errorf("profile %s: got %v, want it refused on %s", field, err, field)
				}
			}

			st := linkhub.DefaultSettings()
			st.ProductName = bad
			if _, err := settings.UpdateSettings(ctx, linkhub.SystemActor, st); linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "product_name" {
				t.Errorf("settings: got %v, want EINVALID on product_name", err)
			}

			for what, in := range map[string][2]string{"email": {bad + "@example.com", "correct horse battery 2"},
				"password": {name + "@example.com", bad + " correct horse battery"}} {
				a, err := admins.CreateAdmin(ctx, linkhub.SystemActor, in[0], in[1])
				switch {
				case err == nil && !linkhub.ValidText(a.Email):
					t.Errorf("admin %s: stored the email %q", what, a.Email)
				case err != nil && (linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != "email"):
					t.Errorf("admin %s: got %v, want it stored as text or EINVALID on email", what, err)
				}
			}
			if _, _, err := admins.Authenticate(ctx, bad, bad, "192.0.2.1"); linkhub.ErrorCode(err) != linkhub.EUNAUTHORIZED {
				t.Errorf("sign-in: got %v, want EUNAUTHORIZED", err)
			}

			for field, w := range map[string]*linkhub.Webhook{
				"url":    {URL: "https://" + bad + "/hook", Events: []string{"account.created"}},
				"events": {URL: "https://127.0.0.1/hook", Events: []string{bad}},
			} {
				if _, err := hooks.CreateWebhook(ctx, linkhub.SystemActor, w); linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorField(err) != field {
					t.Errorf("webhook %s: got %v (field %q), want EINVALID", field, err, linkhub.ErrorField(err))
				}
			}

			for field, f := range map[string]linkhub.AuditFilter{"actor": {Actor: &bad}, "action": {Action: &bad}} {
				if list, _, err := audit.FindAuditEntries(ctx, f); err != nil || len(list) != 0 {
					t.Errorf("audit %s: got %d entries, %v, want none and no error", field, len(list), err)
				}
			}
		})
	}
}
