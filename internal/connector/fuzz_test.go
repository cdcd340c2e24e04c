package connector_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/linkhub/linkhub/internal/connector"
	"github.com/linkhub/linkhub/internal/connector/fake"
	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// FuzzVendorMetadata lets a vendor answer anything where Linkhub reads what
// it stores: Jamf Pro's version answer, any bytes, through the registry's
// connector as the hub and the health checker get it. Whatever the answer,
// every text of the report that is stored (metadata, choices, hints,
// notes) is storable, a storable version is kept as it is, and an
// unstorable one is kept with a note.
func FuzzVendorMetadata(f *testing.F) {
	for _, s := range []string{`{"version":"11.7.1-t1718024583"}`, `{"version":"11.7\u0000"}`, "{\"version\":\"a\xff\xfeb\"}",
		`{"version":"\ud800"}`, `{"version":"\\u0000"}`, `{"version":""}`, `{"version":1}`, `[]`, `{"version":"` + strings.Repeat("9", 5000) + `"}`} {
		f.Add(s)
	}
	j := fake.NewJamf(f)
	c, _ := connector.NewRegistry(fake.Config(5*time.Second, j.Server.Server)).Get("jamf")
	in := linkhub.TestInput{Credentials: linkhub.Credentials{
		Values:  map[string]string{"url": j.URL, "client_id": j.ClientID},
		Secrets: map[string]secret.Value{"client_secret": secret.New(j.ClientSecret)},
	}}
	f.Fuzz(func(t *testing.T, body string) {
		j.AnswerVersion(body)
		r := c.Test(context.Background(), in)
		texts := append([]string(nil), r.Notes...)
		for k, v := range r.Metadata {
			texts = append(texts, k, v)
		}
		for _, s := range r.Stages {
			texts = append(texts, s.Hint, s.Reason)
		}
		for _, ch := range r.Choices {
			texts = append(texts, ch.ID, ch.Name, ch.Detail)
			for k, v := range ch.Metadata {
				texts = append(texts, k, v)
			}
		}
		for _, s := range texts {
			if !linkhub.ValidText(s) {
				t.Fatalf("answer %q: report holds unstorable text %q", body, s)
			}
		}
		var answer struct{ Version string }
		if json.Unmarshal([]byte(body), &answer) != nil || !r.OK() {
			return
		}
		got, kept := r.Metadata["jamf_version"]
		switch {
		case !kept:
			t.Fatalf("answer %q: linked without the version", body)
		case linkhub.ValidText(answer.Version) && (got != answer.Version || len(r.Notes) != 0):
			t.Fatalf("answer %q: got version %q and notes %q, want %q as it is", body, got, r.Notes, answer.Version)
		case !linkhub.ValidText(answer.Version) && len(r.Notes) != 1:
			t.Fatalf("answer %q: got notes %q, want one saying what was replaced", body, r.Notes)
		}
	})
}
