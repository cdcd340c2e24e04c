package linkhub

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// MaxProfileNameLen is the longest profile name, in bytes.
const MaxProfileNameLen = 100

// ProfileProblems is what is wrong with a profile for its connector, one
// message per input: "name", "actions" or a field id. As an error it is
// EINVALID about its first input (in key order).
type ProfileProblems map[string]string

func (pp ProfileProblems) first() string {
	keys := make([]string, 0, len(pp))
	for k := range pp {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys[0]
}

func (pp ProfileProblems) Error() string {
	k := pp.first()
	return fmt.Sprintf("%d problem(s) with the profile, first %s: %s", len(pp), k, pp[k])
}

// Unwrap makes ErrorCode, ErrorMessage and ErrorField see an EINVALID
// *Error about the first input.
func (pp ProfileProblems) Unwrap() error {
	k := pp.first()
	return FieldError(k, pp[k])
}

// CheckProfile returns what is wrong with p for the connector of spec, or
// nil: a name (required, storable, at most MaxProfileNameLen), the
// profile-level fields it requires (a secret counts when p stores it), a
// value of each field's kind, and at least one action when the connector
// has some (linked accounts can only do what the profile enables). Values
// are checked as stored: trimmed, UUIDs lower-cased by the caller.
func CheckProfile(spec ConnectorSpec, p *Profile) ProfileProblems {
	pp := ProfileProblems{}
	switch name := strings.TrimSpace(p.Name); {
	case name == "":
		pp["name"] = "Name is required."
	case !ValidText(name):
		pp["name"] = "Name holds characters that cannot be stored (a NUL byte or broken UTF-8). Type it again."
	case len(name) > MaxProfileNameLen:
		pp["name"] = fmt.Sprintf("Name must be at most %d characters.", MaxProfileNameLen)
	}
	for _, f := range spec.Fields {
		required := f.Required && f.Scope == ScopeProfile
		if f.Secret {
			if required && !p.HasSecret(f.ID) {
				pp[f.ID] = f.Label + " is required."
			}
			continue
		}
		v := p.Values[f.ID]
		if v == "" {
			if required {
				pp[f.ID] = f.Label + " is required."
			}
			continue
		}
		if msg := checkProfileValue(f, v); msg != "" {
			pp[f.ID] = msg
		}
	}
	if len(spec.Actions) > 0 && len(p.Actions) == 0 {
		pp["actions"] = "Choose at least one action: linked accounts can only do what the profile enables."
	}
	if len(pp) == 0 {
		return nil
	}
	return pp
}

// checkProfileValue returns what is wrong with value for f, or "".
func checkProfileValue(f Field, value string) string {
	if !ValidText(value) {
		return f.Label + " holds characters that cannot be stored (a NUL byte or broken UTF-8). Type it again."
	}
	switch f.Kind {
	case KindURL:
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return f.Label + " must be a full address starting with https://, like https://yourcompany.example.com."
		}
	case KindUUID:
		if !uuidRE.MatchString(value) {
			return f.Label + " must be an ID like 5c4b6a1e-8f2d-4e3a-b1c0-9d8e7f6a5b4c."
		}
	case KindSelect:
		if !hasOption(f.Options, value) {
			return "Choose one of the " + f.Label + " options."
		}
	}
	return ""
}
