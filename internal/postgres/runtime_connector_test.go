package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/pgtest"
	"github.com/linkhub/linkhub/internal/postgres"
)

var rtAdmin = linkhub.Actor{Kind: "admin", ID: "a1", Label: "ops@example.com", IP: "192.0.2.1"}

func TestRuntimeConnectorService_Save(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewRuntimeConnectorService(db)
	gen0, err := s.RuntimeConnectorsGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.SaveRuntimeConnector(ctx, rtAdmin, "acme", "id: acme # v1\n", false)
	if err != nil {
		t.Fatal(err)
	}
	if first.Version != 1 || first.SavedBy != "ops@example.com" || first.Replaces {
		t.Errorf("got %+v, want version 1 saved by ops@example.com", first)
	}
	second, err := s.SaveRuntimeConnector(ctx, linkhub.Actor{Kind: "api_key", ID: "k1", Label: "ci key"}, "acme", "id: acme # v2\n", true)
	if err != nil {
		t.Fatal(err)
	}
	if second.Version != 2 || second.Source != "id: acme # v2\n" || !second.Replaces || second.SavedBy != "ci key" {
		t.Errorf("got %+v, want version 2 with the new source, replacing, saved by the key", second)
	}
	vs, err := s.FindRuntimeConnectorVersions(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[1].Source != "id: acme # v1\n" || vs[1].SavedBy != "ops@example.com" {
		t.Errorf("got versions %+v, want 2 then 1 with their sources and authors", vs)
	}
	if gen, _ := s.RuntimeConnectorsGeneration(ctx); gen != gen0+2 {
		t.Errorf("got generation %d, want %d: every change raises it", gen, gen0+2)
	}
	entries, _, err := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != linkhub.ActionConnectorSaved || entries[0].Details["version"] != "2" ||
		entries[0].Actor.Label != "ci key" || entries[1].Details["version"] != "1" || entries[1].TargetID != "acme" {
		t.Errorf("got audit %+v, want one connector.saved entry per version", entries)
	}
	if _, err := s.FindRuntimeConnector(ctx, "nope"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("got %v, want %s", err, linkhub.ENOTFOUND)
	}
	if _, err := s.FindRuntimeConnectorVersions(ctx, "nope"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("got %v, want %s", err, linkhub.ENOTFOUND)
	}
}

func TestRuntimeConnectorService_InUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewRuntimeConnectorService(db)
	profiles, _ := Services(t, db, MustKeyring(t, map[int]string{}, 1, 1))
	if _, err := s.SaveRuntimeConnector(ctx, rtAdmin, "acme", "id: acme\n", false); err != nil {
		t.Fatal(err)
	}
	p := &linkhub.Profile{ConnectorID: "acme", Name: "Acme", Enabled: true}
	if err := profiles.CreateProfile(ctx, linkhub.SystemActor, p, nil); err != nil {
		t.Fatal(err)
	}
	gen, _ := s.RuntimeConnectorsGeneration(ctx)
	for name, change := range map[string]func() error{
		"deleted":  func() error { return s.DeleteRuntimeConnector(ctx, rtAdmin, "acme") },
		"disabled": func() error { return s.SetRuntimeConnectorDisabled(ctx, rtAdmin, "acme", true) },
	} {
		err := change()
		want := `The connector "acme" is used by 1 profile(s) and cannot be ` + name + `. Delete those profiles first.`
		if linkhub.ErrorCode(err) != linkhub.ECONFLICT || linkhub.ErrorMessage(err) != want {
			t.Errorf("%s: got %v, want %s %q", name, err, linkhub.ECONFLICT, want)
		}
	}
	rc, err := s.FindRuntimeConnector(ctx, "acme")
	if err != nil || rc.Disabled {
		t.Fatalf("got %+v, %v; want the connector kept, enabled", rc, err)
	}
	if g, _ := s.RuntimeConnectorsGeneration(ctx); g != gen {
		t.Errorf("got generation %d, want %d: a refused change changes nothing", g, gen)
	}
	if _, err := profiles.DeleteProfile(ctx, linkhub.SystemActor, p.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRuntimeConnectorDisabled(ctx, rtAdmin, "acme", true); err != nil {
		t.Fatal(err)
	}
	if rc, _ := s.FindRuntimeConnector(ctx, "acme"); !rc.Disabled {
		t.Error("got enabled, want disabled once no profile uses it")
	}
	if err := s.DeleteRuntimeConnector(ctx, rtAdmin, "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindRuntimeConnector(ctx, "acme"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("got %v after delete, want %s", err, linkhub.ENOTFOUND)
	}
	if err := s.DeleteRuntimeConnector(ctx, rtAdmin, "acme"); linkhub.ErrorCode(err) != linkhub.ENOTFOUND {
		t.Errorf("got %v deleting again, want %s", err, linkhub.ENOTFOUND)
	}
	entries, _, _ := postgres.NewAuditService(db).FindAuditEntries(ctx, linkhub.AuditFilter{})
	var actions []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "connector.") { // the profile service audits its own changes
			actions = append(actions, e.Action)
		}
	}
	if got, want := strings.Join(actions, " "), "connector.deleted connector.disabled connector.saved"; got != want {
		t.Errorf("got audit %q, want %q: refusals write nothing", got, want)
	}
}

// TestRuntimeConnectorService_AuditSameTx makes the audit entry fail to be
// written: the change it records must not happen either.
func TestRuntimeConnectorService_AuditSameTx(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.DB(t)
	s := postgres.NewRuntimeConnectorService(db)
	if _, err := s.SaveRuntimeConnector(ctx, rtAdmin, "acme", "id: acme\n", false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `
		CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'audit refused'; END $$;
		CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit();`); err != nil {
		t.Fatal(err)
	}
	gen, _ := s.RuntimeConnectorsGeneration(ctx)
	if _, err := s.SaveRuntimeConnector(ctx, rtAdmin, "acme", "id: acme # v2\n", false); err == nil {
		t.Error("got a save without its audit entry, want an error")
	}
	if err := s.SetRuntimeConnectorDisabled(ctx, rtAdmin, "acme", true); err == nil {
		t.Error("got a disable without its audit entry, want an error")
	}
	if err := s.DeleteRuntimeConnector(ctx, rtAdmin, "acme"); err == nil {
		t.Error("got a delete without its audit entry, want an error")
	}
	rc, err := s.FindRuntimeConnector(ctx, "acme")
	if err != nil || rc.Version != 1 || rc.Disabled {
		t.Errorf("got %+v, %v; want version 1, enabled: nothing changed", rc, err)
	}
	if g, _ := s.RuntimeConnectorsGeneration(ctx); g != gen {
		t.Errorf("got generation %d, want %d", g, gen)
	}
}
