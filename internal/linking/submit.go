package linking

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

// Submission is one post of the hub's form.
type Submission struct {
	Session *linkhub.ConnectSession
	// Handle is the hub session's, to re-read the connect session.
	Handle string
	Target *Target
	Form   Form
	// ID is the form's submission id: its retry finds the first outcome.
	// Empty (an older page) means a retry is not recognised.
	ID string
	IP string
	// Allow takes one test from the rate limits; it is asked once the input
	// is well-formed, before an attempt starts.
	Allow func() bool
}

// OutcomeKind is what became of a submission or a choice.
type OutcomeKind int

// The outcomes of a submission.
const (
	// Linked: the account is stored (or a relinked account's credentials swapped).
	Linked OutcomeKind = iota + 1
	// Invalid: the input is the user's to fix; no vendor call, no attempt.
	Invalid
	// Limited: too many tests for this session or address.
	Limited
	// Failed: the vendor test failed; nothing is stored.
	Failed
	// Choose: the test passed and found choices (e.g. Sophos tenants).
	Choose
	// Duplicate: the user already linked this vendor identity; the
	// choices ask whether to replace it or link another account.
	Duplicate
)

// Outcome is the result of Submit or Choose.
type Outcome struct {
	Kind   OutcomeKind
	Target *Target
	// Report is the test this request ran; Stored, when set instead, the
	// report of an earlier test (a retried submission, a choice).
	Report linkhub.Report
	Stored *linkhub.AttemptReport
	// Account is the linked account (Linked), or the one already linked
	// with the same identity (Duplicate).
	Account     *linkhub.Account
	FieldErrors map[string]string // Invalid
	// FieldRules says the fields' own rules found FieldErrors (missing, not
	// a UUID, not an option), which a caller may word in the user's language.
	FieldRules bool
	AttemptID  string           // Choose, Duplicate
	Choices    []linkhub.Choice // Choose, Duplicate
	// Identity is the vendor identity both accounts share (Duplicate).
	Identity string
	// Chosen is the name of the choice a Choose linked with (a tenant).
	Chosen string
}

// ErrFormOutdated is a submission id that no page of ours sent.
var ErrFormOutdated = linkhub.Errorf(linkhub.EINVALID, "This form is out of date. Reload the page and fill it in again.")

// checkSubmissionID refuses ids that no form of ours holds.
func checkSubmissionID(s string) error {
	if len(s) > 64 || strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_')
	}) {
		return ErrFormOutdated
	}
	return nil
}

// Submit tests what the user typed against the vendor and links the
// account, holds the test for the user's choice, or says what failed. A
// spent session links nothing more (ErrLinkUsed), but the retry of the
// submission that spent it (its answer lost) finds its result.
func (s *Service) Submit(ctx context.Context, sub Submission) (*Outcome, error) {
	if err := checkSubmissionID(sub.ID); err != nil {
		return nil, err
	}
	cs, t := sub.Session, sub.Target
	if cs.Spent() {
		if sub.ID == "" {
			return nil, ErrLinkUsed
		}
		done, err := s.attempts.FindLinkedSubmission(ctx, cs.ID, sub.ID)
		if linkhub.ErrorCode(err) == linkhub.ENOTFOUND {
			return nil, ErrLinkUsed
		} else if err != nil {
			return nil, err
		}
		return s.linked(ctx, t, done)
	}
	creds, err := findCredentials(ctx, s.profiles, s.accounts, t.Profile, t.Account, &sub.Form)
	if err != nil {
		return nil, err
	}
	// A missing or malformed entry is the user's to fix: no vendor call,
	// no test used up, no attempt, nothing told to the host.
	if errs, rules := t.checkInput(ctx, creds); errs != nil {
		return &Outcome{Kind: Invalid, Target: t, FieldErrors: errs, FieldRules: rules}, nil
	}
	if !sub.Allow() {
		return &Outcome{Kind: Limited, Target: t}, nil
	}
	attempt := &linkhub.Attempt{ConnectSessionID: cs.ID, ProfileID: t.Profile.ID,
		AccountID: cs.AccountID, Kind: linkhub.AttemptLink, IP: sub.IP, Submission: sub.ID}
	if cs.Relink() {
		attempt.Kind = linkhub.AttemptRelink
	}
	if err := s.attempts.CreateAttempt(ctx, attempt); err != nil {
		return nil, err
	}
	if attempt.Status == linkhub.AttemptSucceeded {
		return s.linked(ctx, t, attempt)
	}
	// The request's context carries the user's locale and the progress
	// stream to the connector.
	report := t.Connector.Test(ctx, linkhub.TestInput{Credentials: creds, Actions: t.Profile.Actions})
	stored := linkhub.NewAttemptReport(report)
	if !report.OK() {
		if err := s.attempts.FinishAttempt(ctx, attempt.ID, linkhub.AttemptFailed, "", stored); err != nil {
			return nil, err
		}
		return &Outcome{Kind: Failed, Target: t, Report: report}, nil
	}
	values := accountValues(t.FormFields(), report.Values, sub.Form.Values)
	if len(report.Choices) > 0 {
		held := &linkhub.HeldAttempt{Attempt: *attempt, Values: values, Metadata: report.Metadata,
			Choices: report.Choices, Secrets: sub.Form.Secrets}
		held.Report = stored
		if err := s.attempts.HoldAttempt(ctx, held); err != nil {
			return nil, err
		}
		return &Outcome{Kind: Choose, Target: t, Report: report, AttemptID: attempt.ID, Choices: report.Choices}, nil
	}
	if dup, err := s.findDuplicate(ctx, cs, t, values, report.Metadata); err != nil {
		return nil, err
	} else if dup != nil {
		return s.holdDuplicate(ctx, sub, attempt, stored, values, report.Metadata, dup)
	}
	a, err := s.finish(ctx, cs, t, attempt.ID, stored, values, report.Metadata, sub.Form.Secrets, sub.IP)
	if err != nil {
		return nil, err
	}
	return &Outcome{Kind: Linked, Target: t, Report: report, Account: a}, nil
}

// linked is the outcome of a submission that linked its account already: a
// retry after an answer that never arrived (a cut connection, a restart)
// learns the outcome instead of linking again.
func (s *Service) linked(ctx context.Context, t *Target, done *linkhub.Attempt) (*Outcome, error) {
	a, err := s.accounts.FindAccountByID(ctx, done.AccountID)
	if err != nil {
		return nil, err
	}
	return &Outcome{Kind: Linked, Target: t, Stored: &done.Report, Account: a}, nil
}

// Choose links the account with the choice the user made after a
// successful test: ErrChoiceGone when the held attempt is gone,
// ErrChoiceInvalid when it never offered this choice.
func (s *Service) Choose(ctx context.Context, cs *linkhub.ConnectSession, attemptID, choiceID, ip string) (*Outcome, error) {
	held, err := s.attempts.TakeHeldAttempt(ctx, attemptID, cs.ID)
	if linkhub.ErrorCode(err) == linkhub.ENOTFOUND {
		return nil, ErrChoiceGone
	} else if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(held.Choices, func(ch linkhub.Choice) bool { return ch.ID == choiceID })
	if i < 0 {
		_ = s.attempts.FinishAttempt(ctx, held.ID, linkhub.AttemptFailed, "", held.Report)
		return nil, ErrChoiceInvalid
	}
	t, err := s.Target(ctx, cs, held.ProfileID)
	if err != nil {
		return nil, err
	}
	metadata := maps.Clone(held.Metadata)
	if metadata == nil {
		metadata = map[string]string{}
	}
	maps.Copy(metadata, held.Choices[i].Metadata)
	out := &Outcome{Kind: Linked, Target: t, Stored: &held.Report}
	if _, ok := metadata[duplicateOf]; ok {
		if err := s.chooseDuplicate(ctx, cs, t, held.Choices[i], metadata); err != nil {
			_ = s.attempts.FinishAttempt(ctx, held.ID, linkhub.AttemptFailed, "", held.Report)
			return nil, err
		}
	} else {
		out.Chosen = held.Choices[i].Name
	}
	if out.Account, err = s.finish(ctx, cs, t, held.ID, held.Report, held.Values, metadata, held.Secrets, ip); err != nil {
		return nil, err
	}
	return out, nil
}

// finish stores the account (or swaps a relinked account's credentials) and
// records the attempt. When storing fails the attempt is failed; ESPENT
// means another tab or window linked first.
func (s *Service) finish(ctx context.Context, cs *linkhub.ConnectSession, t *Target, attemptID string, stored linkhub.AttemptReport,
	values, metadata map[string]string, secrets map[string]secret.Value, ip string) (*linkhub.Account, error) {
	at := linkhub.LinkAttempt{ID: attemptID, Report: stored,
		Actor: linkhub.Actor{Kind: "end_user", ID: cs.OriginOwnerID, Label: cs.OriginOwnerName, IP: ip}}
	var a *linkhub.Account
	var err error
	if t.Account != nil {
		a, err = s.accounts.RelinkAccount(ctx, t.Account.ID, values, metadata, secrets, at)
	} else {
		now := time.Now()
		a = &linkhub.Account{ProfileID: t.Profile.ID, ConnectorID: t.Profile.ConnectorID,
			OriginOwnerID: cs.OriginOwnerID, OriginOwnerName: cs.OriginOwnerName, OriginUsername: cs.OriginUsername,
			Label: cs.Label, Values: values, Metadata: metadata, SessionMetadata: cs.Metadata, LastTestedAt: &now}
		err = s.accounts.LinkAccount(ctx, a, secrets, at)
	}
	if err != nil {
		_ = s.attempts.FinishAttempt(ctx, attemptID, linkhub.AttemptFailed, "", stored)
		return nil, err
	}
	return a, nil
}
