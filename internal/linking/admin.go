package linking

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// ErrNothingToTest is a profile that holds no credentials of its own.
var ErrNothingToTest = linkhub.Errorf(linkhub.EINVALID,
	"This profile holds no credentials to test: fill in its shared credentials first.")

// TestProfile runs the connector's test on profile id's own values, secrets
// and actions, and records who ran it and the outcome in the audit log.
func (s *Service) TestProfile(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Profile, linkhub.Connector, linkhub.Report, error) {
	p, err := s.profiles.FindProfileByID(ctx, id)
	if err != nil {
		return nil, nil, linkhub.Report{}, err
	}
	conn, ok := s.connectors.Get(p.ConnectorID)
	if !ok {
		return nil, nil, linkhub.Report{}, linkhub.Errorf(linkhub.EUNAVAILABLE,
			"The connector %q of this profile is not available in this version.", p.ConnectorID)
	}
	secrets, err := s.profiles.FindProfileSecrets(ctx, p.ID)
	if err != nil {
		return nil, nil, linkhub.Report{}, err
	}
	if len(secrets) == 0 && len(p.Values) == 0 {
		return p, conn, linkhub.Report{}, ErrNothingToTest
	}
	creds := Credentials(p, secrets, nil, nil, nil)
	report := conn.Test(ctx, linkhub.TestInput{Credentials: creds, Actions: p.Actions})
	details := map[string]string{"name": p.Name, "result": "passed"}
	if st, failed := report.Failed(); failed {
		details["result"], details["stage"], details["reason"] = "failed", string(st.Name), st.Reason
	}
	if err := s.audit.CreateAuditEntry(ctx, &linkhub.AuditEntry{Actor: actor, Action: linkhub.ActionProfileTested,
		TargetKind: "profile", TargetID: p.ID, Details: details}); err != nil {
		return nil, nil, linkhub.Report{}, err
	}
	return p, conn, report, nil
}

// TestAccount re-tests account id on its stored credentials, recorded like
// a scheduled test (status, last test, discovered metadata, webhooks) and
// audited as actor's in the same transaction.
func (s *Service) TestAccount(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error) {
	return s.tester.TestAccount(ctx, &actor, id)
}
