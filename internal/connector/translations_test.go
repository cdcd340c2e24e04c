package connector_test

import (
	"flag"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/definition"
	"github.com/linkhub/linkhub/internal/connector/jamf"
	"github.com/linkhub/linkhub/internal/connector/ninjaone"
	"github.com/linkhub/linkhub/internal/connector/sophos"
	"github.com/linkhub/linkhub/internal/linkhub"
)

var updateGaps = flag.Bool("update-gaps", false, "rewrite testdata/translation-gaps.txt with today's gaps")

const gapsFile = "testdata/translation-gaps.txt"

// TestTranslationGaps lists, for every connector (built-in definitions and
// Go connectors) and hub language, every end-user string that falls back to
// English, and fails on a gap the allowlist does not hold, or on an allowlist
// line that is no gap any more, so the list stays visible and true. Run with
// -update-gaps to rewrite the allowlist after translating. The placeholder,
// verb and warning-count checks ran over every translation already: Parse
// and ParseTranslations refuse a connector whose translations fail them.
func TestTranslationGaps(t *testing.T) {
	var got []string
	add := func(id, tag string, gaps []string) {
		for _, g := range gaps {
			got = append(got, id+" "+tag+" "+g)
		}
	}
	for _, d := range connector.Builtins() {
		for _, tag := range linkhub.Locales[1:] {
			add(d.ID, tag, d.Gaps(tag))
		}
	}
	for _, c := range []struct {
		spec  linkhub.ConnectorSpec
		hints map[string]string
	}{
		{jamf.New(connector.Config{}).Spec(), jamf.Hints()},
		{sophos.New(connector.Config{}).Spec(), sophos.Hints()},
		{ninjaone.New(connector.Config{}).Spec(), ninjaone.Hints()},
	} {
		for _, tag := range linkhub.Locales[1:] {
			add(c.spec.ID, tag, definition.Gaps(definition.English{Spec: c.spec, Hints: c.hints}, c.spec.Text[tag], nil, nil))
		}
	}
	slices.Sort(got)
	counts := map[string]int{}
	for _, g := range got {
		f := strings.Fields(g)
		counts[f[0]+" "+f[1]]++
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%s: %d strings fall back to English", k, counts[k])
	}
	t.Logf("every fallback (%d):\n%s", len(got), strings.Join(got, "\n"))

	if *updateGaps {
		header := "# Connector strings that fall back to English, by connector, language and key.\n" +
			"# TestTranslationGaps fails on a gap not listed here and on a line that is no gap any more;\n" +
			"# go test ./internal/connector/ -run TestTranslationGaps -update-gaps rewrites it.\n"
		if err := os.WriteFile(gapsFile, []byte(header+strings.Join(got, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(gapsFile)
	if err != nil {
		t.Fatal(err)
	}
	var allowed []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			allowed = append(allowed, line)
		}
	}
	for _, g := range got {
		if !slices.Contains(allowed, g) {
			t.Errorf("new gap, not in %s: %s", gapsFile, g)
		}
	}
	for _, a := range allowed {
		if !slices.Contains(got, a) {
			t.Errorf("%s lists %q, which is translated now: remove the line (-update-gaps)", gapsFile, a)
		}
	}
}
