package jamf

import "github.com/linkhub/linkhub/internal/linkhub"

var _ linkhub.InputChecker = (*Connector)(nil)

// CheckInput implements linkhub.InputChecker: an address NormalizeURL refuses
// is the user's to fix before any test runs.
func (c *Connector) CheckInput(creds linkhub.Credentials) map[string]string {
	if _, err := NormalizeURL(creds.Values[FieldURL], c.cfg.AllowHTTP); err != nil {
		return map[string]string{FieldURL: linkhub.ErrorMessage(err)}
	}
	return nil
}
