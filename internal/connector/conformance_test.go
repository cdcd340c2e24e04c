package connector_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/engine"
	"github.com/linkhub/linkhub/internal/linkhub"
)

// reasons are the reason codes a stage may report.
var reasons = []string{linkhub.ReasonInvalidInput, linkhub.ReasonAddressNotAllowed, linkhub.ReasonDNSNotFound,
	linkhub.ReasonConnectionRefused, linkhub.ReasonTLSInvalid, linkhub.ReasonTimeout, linkhub.ReasonBadCredentials,
	linkhub.ReasonUnknownClient, linkhub.ReasonScopeNotGranted, linkhub.ReasonNotVendor, linkhub.ReasonVendorUnavailable,
	linkhub.ReasonUnexpectedResponse, linkhub.ReasonPermissionMissing, linkhub.ReasonVendorTooOld}

// TestConformance holds every built-in definition to what a connector must
// have: it passes the schema and the semantic checks, CEL compiled
// (definition.Parse below; Builtins parses lazily), both guides have content, every reason code it can report is
// a known one with a hint, every action can be probed without a write, and
// the vendor has its fake and its tests.
func TestConformance(t *testing.T) {
	defs := connector.Builtins()
	if len(defs) < 2 {
		t.Fatalf("got %d built-in definitions, want at least 2", len(defs))
	}
	for _, d := range defs {
		t.Run(d.ID, func(t *testing.T) {
			if filepath.Base(d.Source) != d.ID+".yaml" {
				t.Fatalf("got file %s, want %s.yaml: definitions.IDs reads ids from file names", d.Source, d.ID)
			}
			b, err := os.ReadFile(filepath.Join("definitions", filepath.Base(d.Source)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := definition.Parse(d.Source, b); err != nil {
				t.Fatalf("got %v", err)
			}
			for _, g := range []definition.Guide{d.AdminGuide, d.UserGuide} {
				if g.Title == "" || len(g.Sections) == 0 {
					t.Fatalf("got an empty guide %+v", g)
				}
			}
			steps := 0
			for _, s := range d.UserGuide.Sections {
				steps += len(s.Steps)
			}
			if steps == 0 {
				t.Fatal("the user guide has no steps")
			}
			for reason, hint := range engine.Hints(d) {
				if !slices.Contains(reasons, reason) || hint == "" {
					t.Errorf("reason %q: got hint %q, want a known reason with a hint", reason, hint)
				}
			}
			for _, a := range d.Actions {
				if a.Probe == "" && a.Method != "GET" {
					t.Errorf("action %s: a %s without a probe cannot have its permission checked", a.ID, a.Method)
				}
			}
			for _, f := range []string{filepath.Join("fake", d.ID+".go"), filepath.Join("engine", d.ID+"_test.go")} {
				if _, err := os.Stat(f); err != nil {
					t.Errorf("got no %s: every definition has its fake and its tests", f)
				}
			}
		})
	}
}
