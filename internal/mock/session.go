package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.ConnectSessionService = (*ConnectSessionService)(nil)

// ConnectSessionService is a linkhub.ConnectSessionService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type ConnectSessionService struct {
	CreateConnectSessionFn      func(ctx context.Context, actor linkhub.Actor, s *linkhub.ConnectSession) (token string, err error)
	FindConnectSessionByTokenFn func(ctx context.Context, token string) (*linkhub.ConnectSession, error)
	OpenHubSessionFn            func(ctx context.Context, token string) (handle string, s *linkhub.ConnectSession, err error)
	FindHubSessionFn            func(ctx context.Context, handle string) (*linkhub.ConnectSession, error)
	SetHubLocaleFn              func(ctx context.Context, handle, tag string) error
}

// CreateConnectSession calls CreateConnectSessionFn.
func (m *ConnectSessionService) CreateConnectSession(ctx context.Context, actor linkhub.Actor, s *linkhub.ConnectSession) (token string, err error) {
	return m.CreateConnectSessionFn(ctx, actor, s)
}

// FindConnectSessionByToken calls FindConnectSessionByTokenFn.
func (m *ConnectSessionService) FindConnectSessionByToken(ctx context.Context, token string) (*linkhub.ConnectSession, error) {
	return m.FindConnectSessionByTokenFn(ctx, token)
}

// OpenHubSession calls OpenHubSessionFn.
func (m *ConnectSessionService) OpenHubSession(ctx context.Context, token string) (handle string, s *linkhub.ConnectSession, err error) {
	return m.OpenHubSessionFn(ctx, token)
}

// FindHubSession calls FindHubSessionFn.
func (m *ConnectSessionService) FindHubSession(ctx context.Context, handle string) (*linkhub.ConnectSession, error) {
	return m.FindHubSessionFn(ctx, handle)
}

// SetHubLocale calls SetHubLocaleFn.
func (m *ConnectSessionService) SetHubLocale(ctx context.Context, handle, tag string) error {
	return m.SetHubLocaleFn(ctx, handle, tag)
}

var _ linkhub.AttemptService = (*AttemptService)(nil)

// AttemptService is a linkhub.AttemptService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type AttemptService struct {
	CreateAttemptFn        func(ctx context.Context, a *linkhub.Attempt) error
	FindLinkedSubmissionFn func(ctx context.Context, sessionID, submission string) (*linkhub.Attempt, error)
	FinishAttemptFn        func(ctx context.Context, id, status, accountID string, report linkhub.AttemptReport) error
	HoldAttemptFn          func(ctx context.Context, h *linkhub.HeldAttempt) error
	TakeHeldAttemptFn      func(ctx context.Context, id, connectSessionID string) (*linkhub.HeldAttempt, error)
	FindAttemptsFn         func(ctx context.Context, connectSessionID string) ([]*linkhub.Attempt, error)
	FindAccountAttemptsFn  func(ctx context.Context, accountID string, limit int) ([]*linkhub.Attempt, error)
}

// CreateAttempt calls CreateAttemptFn.
func (m *AttemptService) CreateAttempt(ctx context.Context, a *linkhub.Attempt) error {
	return m.CreateAttemptFn(ctx, a)
}

// FindLinkedSubmission calls FindLinkedSubmissionFn.
func (m *AttemptService) FindLinkedSubmission(ctx context.Context, sessionID, submission string) (*linkhub.Attempt, error) {
	return m.FindLinkedSubmissionFn(ctx, sessionID, submission)
}

// FinishAttempt calls FinishAttemptFn.
func (m *AttemptService) FinishAttempt(ctx context.Context, id, status, accountID string, report linkhub.AttemptReport) error {
	return m.FinishAttemptFn(ctx, id, status, accountID, report)
}

// HoldAttempt calls HoldAttemptFn.
func (m *AttemptService) HoldAttempt(ctx context.Context, h *linkhub.HeldAttempt) error {
	return m.HoldAttemptFn(ctx, h)
}

// TakeHeldAttempt calls TakeHeldAttemptFn.
func (m *AttemptService) TakeHeldAttempt(ctx context.Context, id, connectSessionID string) (*linkhub.HeldAttempt, error) {
	return m.TakeHeldAttemptFn(ctx, id, connectSessionID)
}

// FindAttempts calls FindAttemptsFn.
func (m *AttemptService) FindAttempts(ctx context.Context, connectSessionID string) ([]*linkhub.Attempt, error) {
	return m.FindAttemptsFn(ctx, connectSessionID)
}

// FindAccountAttempts calls FindAccountAttemptsFn.
func (m *AttemptService) FindAccountAttempts(ctx context.Context, accountID string, limit int) ([]*linkhub.Attempt, error) {
	return m.FindAccountAttemptsFn(ctx, accountID, limit)
}
