package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// hubbVendorFailure posts the Jamf Pro form to a linking service whose test
// failed at the token stage with reason and hint, and checks the user reads
// the hint on the form again, with what they typed but the secret, and a
// 200: a failed test is a result.
func hubbVendorFailure(t *testing.T, reason, hint string, status int) {
	t.Helper()
	e := hubbJamfEnv(t, func(sub linking.Submission) (*linking.Outcome, error) {
		return &linking.Outcome{Kind: linking.Failed, Target: sub.Target, Report: linkhub.Report{Stages: []linkhub.Stage{
			{Name: linkhub.StageAddress, Status: linkhub.StatusPassed},
			{Name: linkhub.StageToken, Status: linkhub.StatusFailed, Reason: reason, HTTPStatus: status, Hint: hint}}}}, nil
	})
	resp, doc := e.post("/hub/h1/profiles/p1/connect", hubbJamfForm("s3cret-value"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(doc.Find("main").Text(), hint) {
		t.Fatalf("got %d %q, want 200 and %q", resp.StatusCode, doc.Find("main").Text(), hint)
	}
	if doc.Find(`[data-testid="hub-form"]`).Length() != 1 || doc.Find(`[data-testid="success"]`).Length() != 0 {
		t.Error("want the form again and no success screen")
	}
	if got := doc.Find(`#f-client_id`).AttrOr("value", ""); got != "linkhub-client" {
		t.Errorf("client id: got %q, want what was typed", got)
	}
}

// TestHub_VendorNeverAnswers: a vendor that never answered is a failed
// test whose timeout words, naming the bound, the user reads on the form.
// The bound, the words and that 200 such links leak nothing are linking's
// (TestService_Submit_VendorNeverAnswers) and the connector's
// (TestJamf_Test_Network/ErrTimeout). No database.
func TestHub_VendorNeverAnswers(t *testing.T) {
	t.Parallel()
	hubbVendorFailure(t, linkhub.ReasonTimeout,
		"acme.jamfcloud.com did not answer within 200ms. Check the address, or try again later.", 0)
}

// TestHub_VendorFlaky: a vendor answering 503 is a failed test whose words
// tell the user it is unavailable and to try again. The 503s, their retry
// and that nothing is stored are linking's (TestService_Submit_VendorFlaky)
// and the connector's (TestJamf_Test_Network/ErrVendorUnavailable). No
// database.
func TestHub_VendorFlaky(t *testing.T) {
	t.Parallel()
	hubbVendorFailure(t, linkhub.ReasonVendorUnavailable,
		"Jamf Pro is busy or unavailable right now. Try again in a few minutes.", http.StatusServiceUnavailable)
}
