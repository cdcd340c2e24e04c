package connector_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/linkhub"
)

func TestRegistry(t *testing.T) {
	r := connector.NewRegistry(connector.Config{})
	var ids []string
	for _, c := range r.All() {
		ids = append(ids, c.Spec().ID)
	}
	want := []string{"sophos", "jamf", "ninjaone"}
	for _, d := range connector.Builtins() {
		want = append(want, d.ID)
	}
	if !slices.Equal(ids, want) || len(want) < 5 {
		t.Fatalf("got ids %v, want %v", ids, want)
	}
	if _, ok := r.Get("nope"); ok {
		t.Fatal("got a connector for an unknown id")
	}
	for _, id := range ids {
		c, ok := r.Get(id)
		if !ok || c.Spec().ID != id {
			t.Fatalf("Get(%q): got %v, want the connector", id, ok)
		}
	}
}

// TestRegistry_Specs checks what every connector's data must hold for the
// forms, guides and action lists to work.
func TestRegistry_Specs(t *testing.T) {
	searches := map[string]bool{}
	for _, d := range connector.Builtins() {
		for _, a := range d.Actions {
			searches[d.ID+"/"+a.ID] = a.ProbeBody != ""
		}
	}
	for _, c := range connector.NewRegistry(connector.Config{}).All() {
		s := c.Spec()
		t.Run(s.ID, func(t *testing.T) {
			if s.Name == "" || s.Category == "" || !slices.Contains([]string{linkhub.AuthOAuth2ClientCredentials, linkhub.AuthOAuth2Password, linkhub.AuthAPIKey, linkhub.AuthBasic}, s.AuthType) || s.Summary == "" {
				t.Fatalf("got incomplete spec %+v", s)
			}
			logo := filepath.Join("..", "..", strings.TrimPrefix(s.Logo, "/"))
			if b, err := os.ReadFile(logo); err != nil || !strings.Contains(string(b), "<svg") {
				t.Fatalf("got logo %s unreadable or not SVG: %v", logo, err)
			}
			steps := map[string]bool{}
			for _, g := range []linkhub.Guide{s.AdminGuide, s.UserGuide} {
				if g.Title == "" || len(g.Sections) == 0 {
					t.Fatalf("got an empty guide %+v", g)
				}
				for _, sec := range g.Sections {
					for _, st := range sec.Steps {
						steps[st.ID] = true
					}
				}
			}
			secrets := 0
			for _, f := range s.Fields {
				if f.ID == "" || f.Label == "" || f.Scope == "" || f.Kind == "" || f.Help == "" {
					t.Fatalf("got incomplete field %+v", f)
				}
				if !steps[f.GuideStep] {
					t.Fatalf("field %s: got guide step %q, want a step of the user guide", f.ID, f.GuideStep)
				}
				if f.Secret != (f.Kind == linkhub.KindSecret) {
					t.Fatalf("field %s: got secret %v with kind %s", f.ID, f.Secret, f.Kind)
				}
				if f.Secret {
					secrets++
				}
			}
			if secrets != 1 {
				t.Fatalf("got %d secret fields, want 1", secrets)
			}
			if len(s.Actions) < 2 {
				t.Fatalf("got %d actions, want at least 2", len(s.Actions))
			}
			for _, a := range s.Actions {
				// A read is a GET, or a POST search a definition probes with a body.
				read := a.Method == http.MethodGet || a.Method == http.MethodPost && searches[s.ID+"/"+a.ID]
				if a.ID == "" || a.Name == "" || !read || !strings.HasPrefix(a.Path, "/") || a.Privilege == "" {
					t.Fatalf("got incomplete action %+v", a)
				}
			}
		})
	}
}

// TestRegistry_KeepsOptionalInterfaces: the registry's wrapper still shows
// what each connector implements besides linkhub.Connector: Sophos routes
// its calls, Jamf checks its address before any test.
func TestRegistry_KeepsOptionalInterfaces(t *testing.T) {
	r := connector.NewRegistry(connector.Config{})
	for id, want := range map[string]func(linkhub.Connector) bool{
		"sophos": func(c linkhub.Connector) bool { _, ok := c.(linkhub.Router); return ok },
		"jamf":   func(c linkhub.Connector) bool { _, ok := c.(linkhub.InputChecker); return ok },
	} {
		c, ok := r.Get(id)
		if !ok || !want(c) {
			t.Errorf("%s: the registry hides its optional interface", id)
		}
	}
}

// TestRegistry_Extra checks that definitions loaded at start join the
// registry after the built-in connectors, and that a built-in id is refused.
func TestRegistry_Extra(t *testing.T) {
	b, err := os.ReadFile("definitions/okta.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := definition.Parse("acme.yaml", []byte(strings.Replace(string(b), "id: okta", "id: acme", 1)))
	if err != nil {
		t.Fatal(err)
	}
	all := connector.NewRegistry(connector.Config{}, d).All()
	if last := all[len(all)-1].Spec(); last.ID != "acme" || last.Name != "Okta" {
		t.Fatalf("got last connector %s, want acme", last.ID)
	}
	if err := connector.CheckIDs([]*definition.Definition{d}); err != nil {
		t.Fatalf("got %v for a new id", err)
	}
	if err := connector.CheckIDs(connector.Builtins()[:1]); err == nil {
		t.Fatal("got no error for a built-in id")
	}
}
