package postgres_test

import (
	"context"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
)

// TestUnstorableText: text PostgreSQL refuses (a NUL, invalid UTF-8, a NUL in
// jsonb spelled \u0000), in a text column or a jsonb map, anywhere in it, is
// EINVALID with a message, not an internal error, and nothing is written.
func TestUnstorableText(t *testing.T) {
	db := pgtest.DB(t)
	ctx := context.Background()
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	p := MustProfile(t, profiles, "Sophos", nil)
	for name, a := range map[string]*linkhub.Account{
		"NULInText":         {OriginOwnerName: "a\x00b"},
		"InvalidUTF8InText": {OriginOwnerName: "a\xff\xfeb"},
		"NULInJSONBValue":   {Metadata: map[string]string{"version": "11.7\x00"}},
		"NULInJSONBKey":     {Metadata: map[string]string{"v\x00": "11.7"}},
		"NULInNestedJSONB":  {SessionMetadata: map[string]any{"a": []any{map[string]any{"b": "\x00"}}}},
		"NULInValues":       {Values: map[string]string{"url": "https://a\x00b"}},
	} {
		t.Run(name, func(t *testing.T) {
			a.ProfileID, a.OriginOwnerID = p.ID, "owner-"+name
			if a.OriginOwnerName == "" {
				a.OriginOwnerName = "Owner"
			}
			err := accounts.CreateAccount(ctx, a, nil)
			if linkhub.ErrorCode(err) != linkhub.EINVALID || linkhub.ErrorMessage(err) == "" {
				t.Fatalf("got %v (code %s), want EINVALID with a message", err, linkhub.ErrorCode(err))
			}
		})
	}
	list, _, err := accounts.FindAccounts(ctx, linkhub.AccountFilter{})
	if err != nil || len(list) != 0 {
		t.Fatalf("got %d accounts (%v), want none stored", len(list), err)
	}
}
