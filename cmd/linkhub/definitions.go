package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/definitions"
	"github.com/linkhub/linkhub/internal/connector/engine"
)

// loadDefinitions reads LINKHUB_CONNECTORS_DIR: every *.yaml there must be a
// valid definition with an id of its own. The error lists each problem as
// file:line: field: message.
func loadDefinitions(dir string) ([]*definition.Definition, error) {
	if dir == "" {
		return nil, nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%q is not a readable folder", dir)
	}
	defs, err := definition.LoadFS(os.DirFS(dir), dir)
	if err != nil {
		return nil, fmt.Errorf("bad connector definition:\n%w", err)
	}
	if err := connector.CheckIDs(defs); err != nil {
		return nil, err
	}
	return defs, nil
}

// hostsVar is the variable that points a defined connector's hosts
// elsewhere, e.g. LINKHUB_CONNECTOR_CROWDSTRIKE_HOSTS.
func hostsVar(id string) string { return "LINKHUB_CONNECTOR_" + strings.ToUpper(id) + "_HOSTS" }

// retiredHosts are the start-up settings of vendors that became
// definitions, with what replaces each.
var retiredHosts = map[string]string{
	"LINKHUB_NINJAONE_URLS":  "LINKHUB_CONNECTOR_NINJAONE_HOSTS (instance.REGION=URL, e.g. instance.eu=https://eu.example.test)",
	"LINKHUB_SOPHOS_ID_URL":  "LINKHUB_CONNECTOR_SOPHOS_HOSTS (id=URL)",
	"LINKHUB_SOPHOS_API_URL": "LINKHUB_CONNECTOR_SOPHOS_HOSTS (api=URL)",
}

// connectorHosts reads LINKHUB_CONNECTOR_<ID>_HOSTS of every defined
// connector: host=url or host.region=url, comma-separated. Only the
// environment sets them: their names depend on the connectors.
func connectorHosts(getenv func(string) string, extra []*definition.Definition) (map[string]map[string]string, error) {
	// A setting of a vendor that became a definition is refused, not
	// ignored: the deployment would reach the real vendor instead.
	for old, now := range retiredHosts {
		if strings.TrimSpace(getenv(old)) != "" {
			return nil, configErrorf("%s is gone: set %s instead", old, now)
		}
	}
	out := map[string]map[string]string{}
	defs := extra
	// The built-in definitions are parsed only when one of them is
	// overridden: a command that needs no connector starts faster.
	for _, id := range definitions.IDs() {
		if strings.TrimSpace(getenv(hostsVar(id))) != "" {
			defs = append(connector.Builtins(), extra...)
			break
		}
	}
	for _, d := range defs {
		name := hostsVar(d.ID)
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		keys := engine.OverrideKeys(d)
		m := map[string]string{}
		for _, part := range strings.Split(v, ",") {
			k, u, _ := strings.Cut(strings.TrimSpace(part), "=")
			k, u = strings.TrimSpace(k), strings.TrimSpace(u)
			if !slices.Contains(keys, k) {
				return nil, configErrorf("%s: %q: unknown host %q (one of %s)", name, part, k, strings.Join(keys, ", "))
			}
			if err := optionalHTTPURL(u); err != nil || u == "" {
				return nil, configErrorf("%s: %q: the URL of %s is not an http(s) URL like https://api.example.com", name, part, k)
			}
			if err := optionalHTTPSURL(u); err != nil {
				return nil, configErrorf("%s: %q: the URL of %s is plain http: %s", name, part, k, httpsOnly)
			}
			m[k] = u
		}
		out[d.ID] = m
	}
	return out, nil
}
