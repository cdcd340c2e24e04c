package linkhub

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/linkhub/linkhub/internal/secret"
)

// Profile is a connector profile: one connector as an admin configured it,
// with its profile-level values, secrets and enabled actions.
type Profile struct {
	ID          string
	ConnectorID string
	Name        string
	Enabled     bool
	IsDefault   bool
	Featured    bool // shown first on the hub's picker
	Actions     []string
	Values      map[string]string
	// StoredSecrets are the ids of the secret fields the profile stores,
	// sorted; the secrets themselves are only read by FindProfileSecrets.
	StoredSecrets []string
	// SecretMasks maps each stored secret's id to a mask fit for a page (see
	// secret.Value.Mask). Only FindProfileByID fills it: a mask costs a
	// decryption.
	SecretMasks map[string]string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// HasSecret reports whether the profile stores a secret for field id.
func (p *Profile) HasSecret(id string) bool { return slices.Contains(p.StoredSecrets, id) }

// Clone returns a copy of p that shares no slice or map with it.
func (p *Profile) Clone() *Profile {
	c := *p
	c.Actions, c.StoredSecrets = slices.Clone(p.Actions), slices.Clone(p.StoredSecrets)
	c.Values, c.SecretMasks = maps.Clone(p.Values), maps.Clone(p.SecretMasks)
	return &c
}

// ProfileFilter selects profiles; nil fields do not filter.
type ProfileFilter struct {
	ID          *string
	ConnectorID *string
	Enabled     *bool
	IDs         []string
}

// Matches reports whether p passes the filter. An empty IDs list does not
// filter.
func (f ProfileFilter) Matches(p *Profile) bool {
	return (f.ID == nil || p.ID == *f.ID) && (f.ConnectorID == nil || p.ConnectorID == *f.ConnectorID) &&
		(f.Enabled == nil || p.Enabled == *f.Enabled) && (len(f.IDs) == 0 || slices.Contains(f.IDs, p.ID))
}

// ProfileUpdate changes a profile; nil fields are kept. A secret left out of
// Secrets (or zero) keeps its stored value: forms are write-only.
type ProfileUpdate struct {
	Name      *string
	Enabled   *bool
	IsDefault *bool
	Featured  *bool
	Actions   *[]string
	Values    map[string]string
	Secrets   map[string]secret.Value
}

// ProfileService manages connector profiles.
type ProfileService interface {
	// FindProfileByID returns ENOTFOUND when there is no such profile.
	FindProfileByID(ctx context.Context, id string) (*Profile, error)
	FindProfiles(ctx context.Context, filter ProfileFilter) ([]*Profile, error)
	// FindProfileSecrets returns the profile's stored secrets, decrypted.
	FindProfileSecrets(ctx context.Context, id string) (map[string]secret.Value, error)
	// The writes record actor in the audit log in their own transaction:
	// a failed audit write fails the change.
	// CreateProfile returns ECONFLICT when the name is taken.
	CreateProfile(ctx context.Context, actor Actor, p *Profile, secrets map[string]secret.Value) error
	UpdateProfile(ctx context.Context, actor Actor, id string, upd ProfileUpdate) (*Profile, error)
	// DeleteProfile returns how many accounts went with the profile;
	// ECONFLICT when accounts use it and cascade is false.
	DeleteProfile(ctx context.Context, actor Actor, id string, cascade bool) (int, error)
}
