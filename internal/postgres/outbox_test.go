package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
	"github.com/linkhub/linkhub/internal/secret"
)

// outboxEvents returns the outbox's events in order.
func outboxEvents(t *testing.T, pool *pgxpool.Pool) []linkhub.Event {
	t.Helper()
	rows, _ := pool.Query(context.Background(), `SELECT body FROM webhook_events ORDER BY seq`)
	bodies, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		t.Fatal(err)
	}
	out := make([]linkhub.Event, len(bodies))
	for i, b := range bodies {
		if err := json.Unmarshal(b, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func eventTypes(evs []linkhub.Event) string {
	var s []string
	for _, e := range evs {
		s = append(s, e.Type)
	}
	return fmt.Sprint(s)
}

func acceptAnyURL(_ context.Context, u string) (string, error) { return u, nil }

func TestOutbox_AccountEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	hooks := postgres.NewWebhookService(db, kr, acceptAnyURL)
	all := &linkhub.Webhook{URL: "https://a.example/hook", Events: linkhub.WebhookEvents}
	if _, err := hooks.CreateWebhook(ctx, linkhub.SystemActor, all); err != nil {
		t.Fatal(err)
	}
	onlyDeleted := &linkhub.Webhook{URL: "https://b.example/hook", Events: []string{linkhub.EventAccountDeleted}}
	if _, err := hooks.CreateWebhook(ctx, linkhub.SystemActor, onlyDeleted); err != nil {
		t.Fatal(err)
	}
	p := MustProfile(t, profiles, "p", nil)
	a := MustAccount(t, accounts, p.ID, "o1", map[string]secret.Value{"client_secret": secret.New("s3cret-value")})
	if _, err := accounts.ReplaceCredentials(ctx, a.ID, map[string]string{"x": "1"}, map[string]string{"region": "eu"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountError, linkhub.ReasonTimeout); err != nil {
		t.Fatal(err)
	}
	// The same status again (another reason) is no change.
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountError, linkhub.ReasonVendorUnavailable); err != nil {
		t.Fatal(err)
	}
	if err := accounts.DeleteAccount(ctx, linkhub.SystemActor, a.ID); err != nil {
		t.Fatal(err)
	}
	evs := outboxEvents(t, db.Pool)
	want := "[account.created account.updated account.status_changed account.deleted]"
	if got := eventTypes(evs); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if evs[1].Account.Metadata["region"] != "eu" || evs[2].PreviousStatus != "active" || evs[2].Status != "error" {
		t.Fatalf("got %+v and %+v", evs[1].Account, evs[2])
	}
	var raw string
	if err := db.Pool.QueryRow(ctx, `SELECT string_agg(body::text, ' ') FROM webhook_events`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw, "s3cret-value") {
		t.Fatal("an event holds the account's secret")
	}
	var n, deleted int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE endpoint_id = $1) FROM webhook_deliveries`,
		onlyDeleted.ID).Scan(&n, &deleted); err != nil {
		t.Fatal(err)
	}
	if n != 5 || deleted != 1 {
		t.Fatalf("got %d deliveries (%d to the account.deleted endpoint), want 5 (1)", n, deleted)
	}
}

// TestOutbox_RolledBackChangeLeavesNoEvent: a profile disable that fails
// after its accounts went inactive rolls back their events with them.
func TestOutbox_RolledBackChangeLeavesNoEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	a := MustAccount(t, accounts, p.ID, "o1", nil)
	before := len(outboxEvents(t, db.Pool))
	// Storing the profile's secret, the last step of the update, fails.
	if _, err := db.Pool.Exec(ctx, `
		CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
		CREATE TRIGGER refuse BEFORE INSERT ON secrets FOR EACH ROW EXECUTE FUNCTION refuse();`); err != nil {
		t.Fatal(err)
	}
	off := false
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off,
		Secrets: map[string]secret.Value{"client_secret": secret.New("x")}}); err == nil {
		t.Fatal("the update succeeded, want the trigger's failure")
	}
	if got := len(outboxEvents(t, db.Pool)); got != before {
		t.Fatalf("got %d events after the rollback, want %d", got, before)
	}
	if got, _ := accounts.FindAccountByID(ctx, a.ID); got.Status != linkhub.AccountActive {
		t.Fatalf("account status %s, want active", got.Status)
	}
	if _, err := db.Pool.Exec(ctx, `DROP TRIGGER refuse ON secrets`); err != nil {
		t.Fatal(err)
	}
	if _, err := profiles.UpdateProfile(ctx, linkhub.SystemActor, p.ID, linkhub.ProfileUpdate{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	evs := outboxEvents(t, db.Pool)[before:]
	if len(evs) != 1 || evs[0].Type != linkhub.EventAccountStatusChanged || evs[0].Status != linkhub.AccountInactive ||
		evs[0].PreviousStatus != linkhub.AccountActive || evs[0].Account.ID != a.ID {
		t.Fatalf("got %+v, want one active -> inactive for %s", evs, a.ID)
	}
	if _, err := profiles.DeleteProfile(ctx, linkhub.SystemActor, p.ID, true); err != nil {
		t.Fatal(err)
	}
	if evs := outboxEvents(t, db.Pool); evs[len(evs)-1].Type != linkhub.EventAccountDeleted {
		t.Fatalf("last event %s, want account.deleted of the cascade", evs[len(evs)-1].Type)
	}
}

func TestOutbox_RecordTestResult(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	a := MustAccount(t, accounts, p.ID, "o1", nil)
	at := time.Now().UTC().Truncate(time.Second)
	record := func(r linkhub.TestResult) *linkhub.Account {
		t.Helper()
		r.TestedAt, r.CredentialVersion = at, a.CredentialVersion
		got, err := accounts.RecordTestResult(ctx, a.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	start := len(outboxEvents(t, db.Pool))
	record(linkhub.TestResult{Status: linkhub.AccountActive, Metadata: map[string]string{"version": "11"}})
	record(linkhub.TestResult{Status: linkhub.AccountActive, Metadata: map[string]string{"version": "11"}}) // no change, no event
	got := record(linkhub.TestResult{Status: linkhub.AccountError, Reason: linkhub.ReasonTimeout})
	if got.Metadata["version"] != "11" || got.CredentialVersion != a.CredentialVersion || !got.LastTestedAt.Equal(at) {
		t.Fatalf("got %+v: want metadata kept, credential version %d, tested at %s", got, a.CredentialVersion, at)
	}
	if _, err := accounts.SetAccountStatus(ctx, linkhub.SystemActor, a.ID, linkhub.AccountDisabled, "disabled_by_admin"); err != nil {
		t.Fatal(err)
	}
	if got = record(linkhub.TestResult{Status: linkhub.AccountActive}); got.Status != linkhub.AccountDisabled {
		t.Fatalf("a test moved a disabled account to %s", got.Status)
	}
	want := "[account.updated account.status_changed account.status_changed]"
	if got := eventTypes(outboxEvents(t, db.Pool)[start:]); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if _, err := accounts.RecordTestResult(ctx, a.ID, linkhub.TestResult{Status: linkhub.AccountDisabled, CredentialVersion: 1}); linkhub.ErrorCode(err) != linkhub.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
	if _, err := accounts.RecordTestResult(ctx, a.ID, linkhub.TestResult{Status: linkhub.AccountActive}); linkhub.ErrorCode(err) != linkhub.EINVALID {
		t.Fatalf("no credential version: got %v, want EINVALID rather than a result dropped unseen", err)
	}
}

// A scheduled test still running on the old credentials when the user
// relinks must not mark the new ones needs_relink.
func TestOutbox_RecordTestResultAfterRelink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, accounts := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	a := MustAccount(t, accounts, p.ID, "o1", nil)
	relinked, err := accounts.ReplaceCredentials(ctx, a.ID, nil, map[string]string{"version": "12"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := len(outboxEvents(t, db.Pool))
	got, err := accounts.RecordTestResult(ctx, a.ID, linkhub.TestResult{Status: linkhub.AccountNeedsRelink,
		Reason: linkhub.ReasonBadCredentials, TestedAt: time.Now(), CredentialVersion: a.CredentialVersion})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != linkhub.AccountActive || got.Metadata["version"] != "12" || !got.UpdatedAt.Equal(relinked.UpdatedAt) {
		t.Fatalf("got status %s, metadata %v: want the relinked account untouched by the old version's test", got.Status, got.Metadata)
	}
	if evs := outboxEvents(t, db.Pool)[start:]; len(evs) != 0 {
		t.Fatalf("got events %s, want none", eventTypes(evs))
	}
}

func TestOutbox_ConnectSessionFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	kr := MustKeyring(t, map[int]string{}, 1, 1)
	profiles, _ := Services(t, db, kr)
	p := MustProfile(t, profiles, "p", nil)
	cs := &linkhub.ConnectSession{OriginOwnerID: "o", OriginOwnerName: "O", ExpiresAt: time.Now().Add(time.Hour)}
	if _, err := postgres.NewConnectSessionService(db).CreateConnectSession(ctx, linkhub.SystemActor, cs); err != nil {
		t.Fatal(err)
	}
	attempts := postgres.NewAttemptService(db, kr)
	at := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: p.ID}
	if err := attempts.CreateAttempt(ctx, at); err != nil {
		t.Fatal(err)
	}
	report := linkhub.AttemptReport{Stages: []linkhub.AttemptStage{{Name: "validate", Status: "passed"},
		{Name: "token", Status: "failed", Reason: linkhub.ReasonBadCredentials, HTTPStatus: 401}}}
	if err := attempts.FinishAttempt(ctx, at.ID, linkhub.AttemptFailed, "", report); err != nil {
		t.Fatal(err)
	}
	evs := outboxEvents(t, db.Pool)
	if len(evs) != 1 || evs[0].Type != linkhub.EventConnectSessionFailed {
		t.Fatalf("got %s, want one connect_session.failed", eventTypes(evs))
	}
	want := linkhub.EventSessionFault{ID: cs.ID, OriginOwnerID: "o", ProfileID: p.ID, AttemptID: at.ID, Stage: "token", Reason: linkhub.ReasonBadCredentials}
	if got := *evs[0].ConnectSession; got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}
