package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

// TestAudit_InTheChange: each admin change writes its audit entry, as the
// actor given, in the change's own transaction: when the entry cannot be
// written (an actor kind the log refuses) the change fails and nothing of
// it is stored.
func TestAudit_InTheChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	profiles, accounts := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	audit := postgres.NewAuditService(db)
	admin := linkhub.Actor{Kind: "admin", ID: "a-1", Label: "ada@example.com", IP: "192.0.2.7"}
	bad := linkhub.Actor{Kind: "robot", ID: "r-1"} // the log's check refuses it
	p := MustProfile(t, profiles, "Sophos", nil)
	a := MustAccount(t, accounts, p.ID, "org-1", nil)
	enabled := false

	for _, tc := range []struct {
		name, action, target string
		change               func(linkhub.Actor) error
		unchanged            func() bool // after a failed change
	}{
		{"CreateProfile", linkhub.ActionProfileCreated, "", func(ac linkhub.Actor) error {
			return profiles.CreateProfile(ctx, ac, &linkhub.Profile{ConnectorID: "jamf", Name: "Jamf", Enabled: true}, nil)
		}, func() bool {
			list, err := profiles.FindProfiles(ctx, linkhub.ProfileFilter{})
			return err == nil && len(list) == 1
		}},
		{"SetAccountStatus", linkhub.ActionAccountDisabled, a.ID, func(ac linkhub.Actor) error {
			_, err := accounts.SetAccountStatus(ctx, ac, a.ID, linkhub.AccountDisabled, "disabled_by_admin")
			return err
		}, func() bool {
			got, err := accounts.FindAccountByID(ctx, a.ID)
			return err == nil && got.Status == linkhub.AccountActive
		}},
		{"RecordTestResult", linkhub.ActionAccountTested, a.ID, func(ac linkhub.Actor) error {
			_, err := accounts.RecordTestResult(ctx, a.ID, linkhub.TestResult{Status: linkhub.AccountError, Reason: "vendor_down",
				TestedAt: time.Now(), CredentialVersion: a.CredentialVersion, Actor: &ac})
			return err
		}, func() bool {
			got, err := accounts.FindAccountByID(ctx, a.ID)
			return err == nil && got.LastTestedAt == nil
		}},
		{"UpdateProfile", linkhub.ActionProfileDisabled, p.ID, func(ac linkhub.Actor) error {
			_, err := profiles.UpdateProfile(ctx, ac, p.ID, linkhub.ProfileUpdate{Enabled: &enabled})
			return err
		}, func() bool {
			got, err := profiles.FindProfileByID(ctx, p.ID)
			return err == nil && got.Enabled
		}},
		{"DeleteAccount", linkhub.ActionAccountDeleted, a.ID, func(ac linkhub.Actor) error {
			return accounts.DeleteAccount(ctx, ac, a.ID)
		}, func() bool {
			_, err := accounts.FindAccountByID(ctx, a.ID)
			return err == nil
		}},
		{"DeleteProfile", linkhub.ActionProfileDeleted, p.ID, func(ac linkhub.Actor) error {
			_, err := profiles.DeleteProfile(ctx, ac, p.ID, false)
			return err
		}, func() bool {
			_, err := profiles.FindProfileByID(ctx, p.ID)
			return err == nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.change(bad); err == nil {
				t.Fatal("the change succeeded without its audit entry")
			}
			if !tc.unchanged() {
				t.Fatal("a change whose audit entry failed was stored")
			}
			if err := tc.change(admin); err != nil {
				t.Fatal(err)
			}
			list, _, err := audit.FindAuditEntries(ctx, linkhub.AuditFilter{Action: &tc.action, Actor: &admin.Label})
			if err != nil || len(list) != 1 {
				t.Fatalf("got %d %s entries (%v), want 1", len(list), tc.action, err)
			}
			if e := list[0]; e.Actor.Kind != "admin" || e.Actor.ID != "a-1" || e.Actor.IP != "192.0.2.7" || tc.target != "" && e.TargetID != tc.target {
				t.Errorf("got entry %+v, want the admin's on %s", e, tc.target)
			}
		})
	}
}
