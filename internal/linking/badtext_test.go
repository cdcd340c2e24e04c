package linking_test

import (
	"testing"

	"github.com/linkhub/linkhub/internal/linking"
)

// TestService_Submit_BadText: what a browser can send but no row can hold
// (a NUL byte, invalid UTF-8) in a field of the hub's form is an answer,
// never an error, and nothing is stored: in the address, the user's to
// fix before any call; in the client's id or secret, a refusal the vendor
// gives.
func TestService_Submit_BadText(t *testing.T) {
	t.Parallel()
	for name, bad := range map[string]string{"NUL": "a\x00b", "InvalidUTF8": "a\xff\xfeb"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := mustEnv(t)
			p, cs, handle := e.mustStart(t)
			form := e.jamfForm(e.jamf.ClientSecret)
			form.Values["url"] = "https://" + bad + ".jamfcloud.com"
			out, err := e.submit(t, cs, handle, p, form, "sub-1")
			if err != nil || out.Kind != linking.Invalid || out.FieldErrors["url"] == "" {
				t.Fatalf("in the address: got %+v, %v, want the address refused", out, err)
			}
			if n := len(e.jamf.Requests()); n != 0 {
				t.Errorf("the vendor got %d requests, want none", n)
			}
			form = e.jamfForm(bad)
			form.Values["client_id"] = bad
			out, err = e.submit(t, cs, handle, p, form, "sub-2")
			if err != nil || out.Kind != linking.Failed {
				t.Fatalf("in the client: got %+v, %v, want a failed test", out, err)
			}
			if n := len(e.allAccounts(t)); n != 0 {
				t.Errorf("got %d accounts, want none", n)
			}
		})
	}
}
