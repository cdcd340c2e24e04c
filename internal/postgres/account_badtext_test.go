package postgres_test

import (
	"context"
	"encoding/base64"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
)

// TestAccountService_FindAccountsBadText: a filter holding what no account
// can hold (a NUL byte, invalid UTF-8: a query parameter may carry both)
// matches nothing rather than failing in the driver, and such a cursor is
// EINVALID.
func TestAccountService_FindAccountsBadText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	profiles, accounts := Services(t, pgtest.DB(t), MustKeyring(t, map[int]string{}, 1, 1))
	MustAccount(t, accounts, MustProfile(t, profiles, "Sophos", nil).ID, "owner-1", nil)
	for name, bad := range map[string]string{"NUL": "a\x00b", "InvalidUTF8": "a\xff\xfeb"} {
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
