package connector_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// runtimeDef is testdata/acme.yaml with the id and the host given.
func runtimeDef(id, host string) string {
	b, err := os.ReadFile("testdata/acme.yaml")
	if err != nil {
		panic(err)
	}
	return strings.NewReplacer("id: acme", "id: "+id, "https://api.acme.example", host).Replace(string(b))
}

func problems(t *testing.T, err error) []linkhub.DefinitionProblem {
	t.Helper()
	var de *linkhub.DefinitionError
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a *linkhub.DefinitionError", err)
	}
	return de.Problems
}

func TestRuntime_Check(t *testing.T) {
	rt := connector.NewRuntime(connector.NewRegistry(connector.Config{}), nil)
	t.Run("OK", func(t *testing.T) {
		spec, err := rt.Check("pasted.yaml", "", runtimeDef("acme", "https://api.acme.example"), false)
		if err != nil {
			t.Fatal(err)
		}
		if spec.ID != "acme" || spec.Name != "Acme Cloud" || len(spec.Fields) != 1 {
			t.Errorf("got %+v, want the acme spec", spec)
		}
	})
	tests := []struct {
		name, id, src string
		replaces      bool
		want          string
	}{
		{"ErrBuiltinID", "", runtimeDef("okta", "https://x.example"), false,
			`pasted.yaml:3: id: "okta" is the id of the built-in connector Okta; tick "replaces the built-in Okta" to run this definition in its place, or give it another id`},
		{"ErrReplacesNothing", "", runtimeDef("acme", "https://x.example"), true,
			`pasted.yaml:3: id: there is no built-in or file connector "acme" to replace; untick "replaces" or use the id of the one to replace`},
		{"ErrOtherID", "other", runtimeDef("acme", "https://x.example"), false,
			`pasted.yaml:3: id: "acme" is not the id of the connector being saved, "other"; an id never changes`},
		{"ErrSchema", "", strings.Replace(runtimeDef("acme", "https://x.example"), "kind: secret", "kind: password", 1), false,
			`pasted.yaml:8: fields[0].kind: value must be one of 'text', 'url', 'uuid', 'secret', 'select'`},
		{"ErrEmpty", "", "", false, `pasted.yaml:1: the file is empty`},
		{"ErrNotText", "", "id: a\x00", false, `pasted.yaml: the definition is not UTF-8 text`},
		{"ErrTooLong", "", strings.Repeat("#", connector.MaxDefinitionBytes+1), false,
			`pasted.yaml: the definition is 128 KiB; at most 128 KiB are accepted`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rt.Check("pasted.yaml", tt.id, tt.src, tt.replaces)
			ps := problems(t, err)
			if len(ps) != 1 || ps[0].String() != tt.want {
				t.Errorf("got %v, want %q", ps, tt.want)
			}
		})
	}
	t.Run("Replaces", func(t *testing.T) {
		if _, err := rt.Check("pasted.yaml", "", runtimeDef("okta", "https://x.example"), true); err != nil {
			t.Errorf("got %v, want a flagged replacement accepted", err)
		}
	})
}

// TestRuntime_TestPrivateAddress: an admin's definition pointing at a
// private address is refused by the same SSRF policy as every vendor call,
// before any credential is sent.
func TestRuntime_TestPrivateAddress(t *testing.T) {
	rt := connector.NewRuntime(connector.NewRegistry(connector.Config{}), nil)
	for _, host := range []string{"https://10.1.2.3", "https://127.0.0.1:8443", "https://[::1]", "https://169.254.169.254"} {
		rep, err := rt.Test(context.Background(), "pasted.yaml", "", runtimeDef("acme", host), false, linkhub.TestInput{
			Credentials: linkhub.Credentials{Secrets: map[string]secret.Value{"api_key": secret.New("k-123")}}})
		if err != nil {
			t.Fatal(err)
		}
		st, failed := rep.Failed()
		if !failed || st.Name != linkhub.StageAddress || st.Reason != linkhub.ReasonAddressNotAllowed {
			t.Errorf("%s: got %+v, want the address stage failed with %s", host, rep.Stages, linkhub.ReasonAddressNotAllowed)
		}
	}
}

// TestRuntime_JumpCloud runs the JumpCloud definition an admin wrote from
// the vendor's facts (internal/e2e/testdata/jumpcloud.yaml) against the fake
// JumpCloud, which it was not written alongside.
func TestRuntime_JumpCloud(t *testing.T) {
	jc := fake.NewJumpCloud(t)
	src, err := os.ReadFile("../e2e/testdata/jumpcloud.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def := strings.NewReplacer("https://console.jumpcloud.com", jc.URL, "https://console.eu.jumpcloud.com", jc.URL).Replace(string(src))
	rt := connector.NewRuntime(connector.NewRegistry(fake.Config(5*time.Second, jc.Server.Server)), nil)
	run := func(key, org string) linkhub.Report {
		t.Helper()
		rep, err := rt.Test(context.Background(), "jumpcloud.yaml", "", def, false, linkhub.TestInput{
			Credentials: linkhub.Credentials{Values: map[string]string{"region": "us", "org_id": org},
				Secrets: map[string]secret.Value{"api_key": secret.New(key)}},
			Actions: []string{"list_users", "list_systems", "list_user_groups"}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := run(jc.ClientSecret, ""); !rep.OK() || rep.Metadata["jumpcloud_users"] == "" {
		t.Fatalf("got %+v, want the key to work and the users counted", rep.Stages)
	}
	wrong := strings.Repeat("0", 40)
	if st, _ := run(wrong, "").Failed(); st.Reason != linkhub.ReasonBadCredentials {
		t.Errorf("wrong key: got %+v, want %s", st, linkhub.ReasonBadCredentials)
	}
	jc.MultiTenant = true
	if st, _ := run(jc.ClientSecret, "").Failed(); st.Reason != linkhub.ReasonUnknownClient || !strings.Contains(st.Hint, "several organisations") {
		t.Errorf("multi-tenant without org: got %+v, want the organisation asked for", st)
	}
	if rep := run(jc.ClientSecret, jc.Orgs[0]); !rep.OK() {
		t.Errorf("multi-tenant with org: got %+v, want it to work", rep.Stages)
	}
}

// TestRuntime_FileConnector: a connector from LINKHUB_CONNECTORS_DIR is
// shown as a file one, and a runtime definition takes its id only when
// flagged to replace it.
func TestRuntime_FileConnector(t *testing.T) {
	d, err := definition.Parse("dir/filed.yaml", []byte(runtimeDef("filed", "https://api.filed.example")))
	if err != nil {
		t.Fatal(err)
	}
	reg := connector.NewRegistry(connector.Config{}, d)
	if o, r := reg.Origin("filed"); o != linkhub.OriginFile || r != "" {
		t.Errorf("got origin %q replaces %q, want file", o, r)
	}
	if o, _ := reg.Origin("okta"); o != linkhub.OriginBuiltin {
		t.Errorf("got origin %q for okta, want built-in", o)
	}
	_, err = connector.NewRuntime(reg, nil).Check("pasted.yaml", "", runtimeDef("filed", "https://x.example"), false)
	if ps := problems(t, err); len(ps) != 1 || !strings.Contains(ps[0].Message, `the file connector Acme Cloud; tick "replaces the file Acme Cloud"`) {
		t.Errorf("got %v, want the file connector named", ps)
	}
}
