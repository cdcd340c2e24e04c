package linkhub

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// InputChecker is a connector with checks of its own on the user's entries
// (Jamf's address) that need no vendor call. The hub runs CheckInput after
// ValidateFields and before it spends a test; messages are by field id, in
// the language of ctx (LocaleFrom), nil when all is well. The staged test
// still checks the same in its validate stage.
type InputChecker interface {
	CheckInput(ctx context.Context, creds Credentials) map[string]string
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// ValidateFields checks creds against fields: required values present,
// UUIDs well formed, select values among the options. It returns the trimmed
// non-secret values and the messages by field id (nil when all is well).
// Vendor packages add their own checks on top (Jamf's URL); the hub runs
// these first, so a form with a missing or malformed entry never reaches a
// vendor nor uses up a test.
func ValidateFields(fields []Field, creds Credentials) (map[string]string, map[string]string) {
	values := map[string]string{}
	errs := map[string]string{}
	for _, f := range fields {
		if f.Secret {
			if f.Required && strings.TrimSpace(creds.Secrets[f.ID].Reveal()) == "" {
				errs[f.ID] = fmt.Sprintf("%s is required.", f.Label)
			}
			continue
		}
		v := strings.TrimSpace(creds.Values[f.ID])
		switch {
		case v == "" && f.Required:
			errs[f.ID] = fmt.Sprintf("%s is required.", f.Label)
		case v == "":
		case f.Kind == KindUUID && !uuidRE.MatchString(v):
			errs[f.ID] = fmt.Sprintf("%s must be a UUID like 1a2b3c4d-0000-4000-8000-123456789abc.", f.Label)
		case f.Kind == KindSelect && !hasOption(f.Options, v):
			errs[f.ID] = fmt.Sprintf("Choose one of the listed options for %s.", f.Label)
		}
		if f.Kind == KindUUID {
			v = strings.ToLower(v)
		}
		if v != "" {
			values[f.ID] = v
		}
	}
	if len(errs) == 0 {
		errs = nil
	}
	return values, errs
}

func hasOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}
