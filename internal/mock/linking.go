package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/linking"
)

// Linking mocks the linking use case as web sees it (*linking.Service's
// methods); an unset function panics, which fails the test.
type Linking struct {
	ProfilesFn      func(ctx context.Context, cs *linkhub.ConnectSession) ([]*linkhub.Profile, error)
	TargetFn        func(ctx context.Context, cs *linkhub.ConnectSession, profileID string) (*linking.Target, error)
	SubmitFn        func(ctx context.Context, sub linking.Submission) (*linking.Outcome, error)
	ChooseFn        func(ctx context.Context, cs *linkhub.ConnectSession, attemptID, choiceID, ip string) (*linking.Outcome, error)
	CreateSessionFn func(ctx context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error)
	RelinkFn        func(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.ConnectSession, string, error)
	TestProfileFn   func(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Profile, linkhub.Connector, linkhub.Report, error)
	TestAccountFn   func(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error)
}

// Profiles calls ProfilesFn.
func (m *Linking) Profiles(ctx context.Context, cs *linkhub.ConnectSession) ([]*linkhub.Profile, error) {
	return m.ProfilesFn(ctx, cs)
}

// Target calls TargetFn.
func (m *Linking) Target(ctx context.Context, cs *linkhub.ConnectSession, profileID string) (*linking.Target, error) {
	return m.TargetFn(ctx, cs, profileID)
}

// Submit calls SubmitFn.
func (m *Linking) Submit(ctx context.Context, sub linking.Submission) (*linking.Outcome, error) {
	return m.SubmitFn(ctx, sub)
}

// Choose calls ChooseFn.
func (m *Linking) Choose(ctx context.Context, cs *linkhub.ConnectSession, attemptID, choiceID, ip string) (*linking.Outcome, error) {
	return m.ChooseFn(ctx, cs, attemptID, choiceID, ip)
}

// CreateSession calls CreateSessionFn.
func (m *Linking) CreateSession(ctx context.Context, actor linkhub.Actor, req linking.SessionRequest) (*linkhub.ConnectSession, string, error) {
	return m.CreateSessionFn(ctx, actor, req)
}

// Relink calls RelinkFn.
func (m *Linking) Relink(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.ConnectSession, string, error) {
	return m.RelinkFn(ctx, actor, id)
}

// TestProfile calls TestProfileFn.
func (m *Linking) TestProfile(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Profile, linkhub.Connector, linkhub.Report, error) {
	return m.TestProfileFn(ctx, actor, id)
}

// TestAccount calls TestAccountFn.
func (m *Linking) TestAccount(ctx context.Context, actor linkhub.Actor, id string) (*linkhub.Account, linkhub.Report, error) {
	return m.TestAccountFn(ctx, actor, id)
}
