package mock

import (
	"context"

	"github.com/linkhub/linkhub/internal/linkhub"
)

var _ linkhub.SettingsService = (*SettingsService)(nil)

// SettingsService is a linkhub.SettingsService whose methods call the function of the same
// name with Fn appended; an unset one panics, which fails the test.
type SettingsService struct {
	FindSettingsFn   func(ctx context.Context) (*linkhub.Settings, error)
	UpdateSettingsFn func(ctx context.Context, actor linkhub.Actor, s linkhub.Settings) (*linkhub.Settings, error)
}

// FindSettings calls FindSettingsFn.
func (m *SettingsService) FindSettings(ctx context.Context) (*linkhub.Settings, error) {
	return m.FindSettingsFn(ctx)
}

// UpdateSettings calls UpdateSettingsFn.
func (m *SettingsService) UpdateSettings(ctx context.Context, actor linkhub.Actor, s linkhub.Settings) (*linkhub.Settings, error) {
	return m.UpdateSettingsFn(ctx, actor, s)
}
