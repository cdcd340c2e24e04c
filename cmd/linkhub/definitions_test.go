package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestRun_BadConnectorDefinitions checks that a bad definition, or a host
// override of an unknown host, stops the start with a config error (exit 2)
// naming the file, line and field, before any database is touched.
func TestRun_BadConnectorDefinitions(t *testing.T) {
	okta, err := os.ReadFile("../../internal/connector/definitions/okta.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := func(name, text string) string {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return d
	}
	own := strings.Replace(string(okta), "id: okta", "id: acme_okta", 1)
	badType := dir("acme.yaml", strings.Replace(own, "type: api_key", "type: token", 1))
	lineOfType := strings.Count(own[:strings.Index(own, "type: api_key")], "\n") + 1
	for _, tt := range []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"BadAuthType", map[string]string{"LINKHUB_CONNECTORS_DIR": badType},
			[]string{"LINKHUB_CONNECTORS_DIR", filepath.Join(badType, "acme.yaml") + ":" + strconv.Itoa(lineOfType) + ": auth.type: value must be one of"}},
		{"BuiltinID", map[string]string{"LINKHUB_CONNECTORS_DIR": dir("okta.yaml", string(okta))},
			[]string{"okta.yaml: id: \"okta\" is a built-in connector"}},
		{"NoFolder", map[string]string{"LINKHUB_CONNECTORS_DIR": "/nonexistent/defs"}, []string{"LINKHUB_CONNECTORS_DIR", "not a readable folder"}},
		{"UnknownHost", map[string]string{"LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS": "api.mars=https://127.0.0.1:1"},
			[]string{"LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS", `unknown host "api.mars"`, "api.us-1"}},
		{"HostNotURL", map[string]string{"LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS": "api.us-1=api.example.com"},
			[]string{"LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS", "not an http(s) URL"}},
		{"DefinedConnectorHost", map[string]string{"LINKHUB_CONNECTORS_DIR": dir("acme.yaml", strings.Replace(own,
			"field: okta_domain\n", "url: https://acme.example.com\n", 1)), "LINKHUB_CONNECTOR_ACME_OKTA_HOSTS": "org=ftp://x"},
			[]string{"LINKHUB_CONNECTOR_ACME_OKTA_HOSTS", "not an http(s) URL"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"serve"}, func(k string) string { return tt.env[k] }, nil, &out)
			var ce *configError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a config error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to hold %q", err, w)
				}
			}
		})
	}
}
