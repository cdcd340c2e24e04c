package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.AdminService = (*AdminService)(nil)

// AdminService is a linkhub.AdminService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type AdminService struct {
	FindAdminByIDFn      func(ctx context.Context, id string) (*linkhub.Admin, error)
	FindAdminsFn         func(ctx context.Context) ([]*linkhub.Admin, error)
	CreateAdminFn        func(ctx context.Context, actor linkhub.Actor, email, password string) (*linkhub.Admin, error)
	UpdateAdminFn        func(ctx context.Context, actor linkhub.Actor, id string, upd linkhub.AdminUpdate) (*linkhub.Admin, error)
	FindAdminByEmailFn   func(ctx context.Context, email string) (*linkhub.Admin, error)
	IssueSetupTokenFn    func(ctx context.Context) (string, error)
	CheckSetupTokenFn    func(ctx context.Context, token string) error
	CreateFirstAdminFn   func(ctx context.Context, token, email, password, ip string) (*linkhub.Admin, error)
	AuthenticateFn       func(ctx context.Context, email, password, ip string) (*linkhub.Admin, string, error)
	FindAdminBySessionFn func(ctx context.Context, token string) (*linkhub.Admin, error)
	DeleteSessionFn      func(ctx context.Context, actor linkhub.Actor, token string) error
}

// FindAdminByID calls FindAdminByIDFn.
func (m *AdminService) FindAdminByID(ctx context.Context, id string) (*linkhub.Admin, error) {
	return m.FindAdminByIDFn(ctx, id)
}

// FindAdmins calls FindAdminsFn.
func (m *AdminService) FindAdmins(ctx context.Context) ([]*linkhub.Admin, error) {
	return m.FindAdminsFn(ctx)
}

// CreateAdmin calls CreateAdminFn.
func (m *AdminService) CreateAdmin(ctx context.Context, actor linkhub.Actor, email, password string) (*linkhub.Admin, error) {
	return m.CreateAdminFn(ctx, actor, email, password)
}

// UpdateAdmin calls UpdateAdminFn.
func (m *AdminService) UpdateAdmin(ctx context.Context, actor linkhub.Actor, id string, upd linkhub.AdminUpdate) (*linkhub.Admin, error) {
	return m.UpdateAdminFn(ctx, actor, id, upd)
}

// FindAdminByEmail calls FindAdminByEmailFn.
func (m *AdminService) FindAdminByEmail(ctx context.Context, email string) (*linkhub.Admin, error) {
	return m.FindAdminByEmailFn(ctx, email)
}

// IssueSetupToken calls IssueSetupTokenFn.
func (m *AdminService) IssueSetupToken(ctx context.Context) (string, error) {
	return m.IssueSetupTokenFn(ctx)
}

// CheckSetupToken calls CheckSetupTokenFn.
func (m *AdminService) CheckSetupToken(ctx context.Context, token string) error {
	return m.CheckSetupTokenFn(ctx, token)
}

// CreateFirstAdmin calls CreateFirstAdminFn.
func (m *AdminService) CreateFirstAdmin(ctx context.Context, token, email, password, ip string) (*linkhub.Admin, error) {
	return m.CreateFirstAdminFn(ctx, token, email, password, ip)
}

// Authenticate calls AuthenticateFn.
func (m *AdminService) Authenticate(ctx context.Context, email, password, ip string) (*linkhub.Admin, string, error) {
	return m.AuthenticateFn(ctx, email, password, ip)
}

// FindAdminBySession calls FindAdminBySessionFn.
func (m *AdminService) FindAdminBySession(ctx context.Context, token string) (*linkhub.Admin, error) {
	return m.FindAdminBySessionFn(ctx, token)
}

// DeleteSession calls DeleteSessionFn.
func (m *AdminService) DeleteSession(ctx context.Context, actor linkhub.Actor, token string) error {
	return m.DeleteSessionFn(ctx, actor, token)
}
