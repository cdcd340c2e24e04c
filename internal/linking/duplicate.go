package linking

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// duplicateOf marks the two choices offered when the user links a vendor
// identity they already linked; its value is the existing account's id. It
// never reaches the stored metadata.
const duplicateOf = "duplicate_of"

// The ids of the two answers to a duplicate identity.
const (
	// ChoiceReplace puts the new credentials on the existing account.
	ChoiceReplace = "replace"
	// ChoiceAnother links a second account.
	ChoiceAnother = "another"
)

// findDuplicate returns the session owner's account of this connector with
// the same vendor identity (the same Jamf Pro server, Sophos tenant, NinjaOne
// region and client), or nil.
func (s *Service) findDuplicate(ctx context.Context, cs *linkhub.ConnectSession, t *Target, values, metadata map[string]string) (*linkhub.Account, error) {
	keys := t.Connector.Spec().Identity
	want := (&linkhub.Account{Values: values, Metadata: metadata}).Identity(keys)
	if t.Account != nil || want == "" {
		return nil, nil
	}
	f := linkhub.AccountFilter{OriginOwnerID: &cs.OriginOwnerID, ConnectorID: &t.Profile.ConnectorID, Limit: 100}
	for {
		list, next, err := s.accounts.FindAccounts(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			if a.Identity(keys) == want {
				return a, nil
			}
		}
		if next == "" {
			return nil, nil
		}
		f.Cursor = next
	}
}

// holdDuplicate keeps the tested credentials sealed, as a tenant choice does,
// and offers the two answers (ChoiceReplace, ChoiceAnother; the caller names
// them in the user's language).
func (s *Service) holdDuplicate(ctx context.Context, sub Submission, attempt *linkhub.Attempt, stored linkhub.AttemptReport,
	values, metadata map[string]string, dup *linkhub.Account) (*Outcome, error) {
	// Another tab may have spent the session while this test ran: the
	// question would lead to a link that cannot be stored.
	if cs, err := s.sessions.FindHubSession(ctx, sub.Handle); err == nil && cs.Spent() || linkhub.ErrorCode(err) == linkhub.ESPENT {
		_ = s.attempts.FinishAttempt(ctx, attempt.ID, linkhub.AttemptFailed, "", stored)
		return nil, ErrLinkUsed
	}
	choices := []linkhub.Choice{
		{ID: ChoiceReplace, Metadata: map[string]string{duplicateOf: dup.ID}},
		{ID: ChoiceAnother, Metadata: map[string]string{duplicateOf: dup.ID}},
	}
	held := &linkhub.HeldAttempt{Attempt: *attempt, Values: values, Metadata: metadata, Choices: choices, Secrets: sub.Form.Secrets}
	held.Report = stored
	if err := s.attempts.HoldAttempt(ctx, held); err != nil {
		return nil, err
	}
	return &Outcome{Kind: Duplicate, Target: sub.Target, Stored: &held.Report, Account: dup, AttemptID: attempt.ID,
		Choices: choices, Identity: dup.Identity(sub.Target.Connector.Spec().Identity)}, nil
}

// chooseDuplicate applies the user's answer to holdDuplicate: replacing makes
// the link a relink of the old account, if it is still the owner's.
func (s *Service) chooseDuplicate(ctx context.Context, cs *linkhub.ConnectSession, t *Target, choice linkhub.Choice, metadata map[string]string) error {
	delete(metadata, duplicateOf)
	if choice.ID != ChoiceReplace {
		return nil
	}
	a, err := s.accounts.FindAccountByID(ctx, choice.Metadata[duplicateOf])
	if linkhub.ErrorCode(err) == linkhub.ENOTFOUND || err == nil && a.OriginOwnerID != cs.OriginOwnerID {
		return ErrChoiceGone
	} else if err != nil {
		return err
	}
	t.Account = a
	return nil
}
