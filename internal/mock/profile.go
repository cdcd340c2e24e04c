package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

var _ linkhub.ProfileService = (*ProfileService)(nil)

// ProfileService is a linkhub.ProfileService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type ProfileService struct {
	FindProfileByIDFn    func(ctx context.Context, id string) (*linkhub.Profile, error)
	FindProfilesFn       func(ctx context.Context, filter linkhub.ProfileFilter) ([]*linkhub.Profile, error)
	FindProfileSecretsFn func(ctx context.Context, id string) (map[string]secret.Value, error)
	CreateProfileFn      func(ctx context.Context, actor linkhub.Actor, p *linkhub.Profile, secrets map[string]secret.Value) error
	UpdateProfileFn      func(ctx context.Context, actor linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error)
	DeleteProfileFn      func(ctx context.Context, actor linkhub.Actor, id string, cascade bool) (int, error)
}

// FindProfileByID calls FindProfileByIDFn.
func (m *ProfileService) FindProfileByID(ctx context.Context, id string) (*linkhub.Profile, error) {
	return m.FindProfileByIDFn(ctx, id)
}

// FindProfiles calls FindProfilesFn.
func (m *ProfileService) FindProfiles(ctx context.Context, filter linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
	return m.FindProfilesFn(ctx, filter)
}

// FindProfileSecrets calls FindProfileSecretsFn.
func (m *ProfileService) FindProfileSecrets(ctx context.Context, id string) (map[string]secret.Value, error) {
	return m.FindProfileSecretsFn(ctx, id)
}

// CreateProfile calls CreateProfileFn.
func (m *ProfileService) CreateProfile(ctx context.Context, actor linkhub.Actor, p *linkhub.Profile, secrets map[string]secret.Value) error {
	return m.CreateProfileFn(ctx, actor, p, secrets)
}

// UpdateProfile calls UpdateProfileFn.
func (m *ProfileService) UpdateProfile(ctx context.Context, actor linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error) {
	return m.UpdateProfileFn(ctx, actor, id, upd)
}

// DeleteProfile calls DeleteProfileFn.
func (m *ProfileService) DeleteProfile(ctx context.Context, actor linkhub.Actor, id string, cascade bool) (int, error) {
	return m.DeleteProfileFn(ctx, actor, id, cascade)
}
