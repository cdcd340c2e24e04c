package kit

import "github.com/linkhub/linkhub/internal/linkhub"

// ValidateFields checks creds against fields; see linkhub.ValidateFields,
// which the hub also runs before it spends a test.
func ValidateFields(fields []linkhub.Field, creds linkhub.Credentials) (map[string]string, map[string]string) {
	return linkhub.ValidateFields(fields, creds)
}
