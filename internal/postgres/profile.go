package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
	"github.com/linkhub/linkhub/internal/secret"
)

var _ linkhub.ProfileService = (*ProfileService)(nil)

// ProfileService stores connector profiles and their sealed secrets.
//
// The hub lists profiles on every request, so FindProfiles answers from the
// list of all profiles, believed for ProfileCacheTTL. This process's writes
// forget it at once; other processes see a change within the TTL.
type ProfileService struct {
	db         *DB
	secrets    secretStore
	all        *fresh[[]*linkhub.Profile]
	connectors connectorFinder
}

// connectorFinder finds connectors by id; *connector.Registry is one.
type connectorFinder interface {
	Get(id string) (linkhub.Connector, bool)
}

// ProfileOption configures a ProfileService.
type ProfileOption func(*ProfileService)

// CheckProfilesWith makes the service hold every profile it creates or
// changes to its connector's rules (linkhub.CheckProfile), in the write's
// transaction: a refused profile changes nothing. Without it only the
// name is checked (tests and seeds that store bare profiles).
func CheckProfilesWith(connectors connectorFinder) ProfileOption {
	return func(s *ProfileService) { s.connectors = connectors }
}

// ProfileCacheTTL is how long the list of profiles is believed without
// asking the database again.
const ProfileCacheTTL = time.Second

// NewProfileService returns a ProfileService on db that seals secrets with keys.
func NewProfileService(db *DB, keys *secret.Keyring, opts ...ProfileOption) *ProfileService {
	s := &ProfileService{db: db, secrets: secretStore{keys: keys}, all: newFresh[[]*linkhub.Profile](ProfileCacheTTL)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// withSecrets is p storing the secrets it stores, plus the non-zero ones of
// secrets: what the rules see of a write.
func withSecrets(p *linkhub.Profile, stored []string, secrets map[string]secret.Value) *linkhub.Profile {
	c := p.Clone()
	c.StoredSecrets = slices.Clone(stored)
	for id, v := range secrets {
		if !v.IsZero() && !slices.Contains(c.StoredSecrets, id) {
			c.StoredSecrets = append(c.StoredSecrets, id)
		}
	}
	return c
}

// updated is p as upd would leave it.
func updated(p *linkhub.Profile, upd linkhub.ProfileUpdate) *linkhub.Profile {
	if upd.Name != nil {
		p.Name = *upd.Name
	}
	if upd.Actions != nil {
		p.Actions = *upd.Actions
	}
	if upd.Values != nil {
		p.Values = upd.Values
	}
	return withSecrets(p, p.StoredSecrets, upd.Secrets)
}

// check holds p, as it would be stored, to its connector's rules: nil
// when the service checks no connector rules or p is fine, EINVALID with
// linkhub.ProfileProblems else. An unknown connector has no rules to hold
// it to (its profile pages refuse it before).
func (s *ProfileService) check(p *linkhub.Profile) error {
	if s.connectors == nil {
		return nil
	}
	conn, ok := s.connectors.Get(p.ConnectorID)
	if !ok {
		return nil
	}
	if pp := linkhub.CheckProfile(conn.Spec(), p); pp != nil {
		return pp
	}
	return nil
}

// profileRow is one row of the profiles table.
type profileRow struct {
	ID          string            `db:"id"`
	ConnectorID string            `db:"connector_id"`
	Name        string            `db:"name"`
	Enabled     bool              `db:"enabled"`
	IsDefault   bool              `db:"is_default"`
	Featured    bool              `db:"featured"`
	Actions     []string          `db:"actions"`
	Values      map[string]string `db:"field_values"`
	Secrets     []string          `db:"stored_secrets"`
	CreatedAt   time.Time         `db:"created_at"`
	UpdatedAt   time.Time         `db:"updated_at"`
}

// profileColumns reads a profile with the names of its stored secrets in one
// statement: listing profiles must not open (decrypt) any secret.
const profileColumns = `id::text AS id, connector_id, name, enabled, is_default, featured, actions, field_values,
	ARRAY(SELECT name FROM secrets WHERE owner_kind = 'profile' AND owner_id = profiles.id ORDER BY name) AS stored_secrets,
	created_at, updated_at`

func (r profileRow) profile(masks map[string]string) *linkhub.Profile {
	return &linkhub.Profile{
		ID: r.ID, ConnectorID: r.ConnectorID, Name: r.Name, Enabled: r.Enabled, IsDefault: r.IsDefault, Featured: r.Featured,
		Actions: r.Actions, Values: r.Values, StoredSecrets: r.Secrets, SecretMasks: masks, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// FindProfileByID returns the profile with its secret masks, or ENOTFOUND.
func (s *ProfileService) FindProfileByID(ctx context.Context, id string) (*linkhub.Profile, error) {
	var p *linkhub.Profile
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) (err error) {
		p, err = s.findProfileByID(ctx, tx, id, false)
		return err
	})
	return p, err
}

// FindProfiles returns the profiles that match filter, by name, without
// secret masks (see linkhub.Profile.StoredSecrets). An empty IDs list does
// not filter.
func (s *ProfileService) FindProfiles(ctx context.Context, filter linkhub.ProfileFilter) ([]*linkhub.Profile, error) {
	all, err := s.all.get(ctx, s.findAllProfiles)
	if err != nil {
		return nil, err
	}
	var out []*linkhub.Profile
	for _, p := range all {
		if filter.Matches(p) {
			out = append(out, p.Clone())
		}
	}
	return out, nil
}

// findAllProfiles reads every profile, in the order FindProfiles gives them.
func (s *ProfileService) findAllProfiles(ctx context.Context) ([]*linkhub.Profile, error) {
	rows, _ := s.db.Pool.Query(ctx, `SELECT `+profileColumns+` FROM profiles ORDER BY lower(name), id`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[profileRow])
	if err != nil {
		return nil, fmt.Errorf("find profiles: %w", err)
	}
	out := make([]*linkhub.Profile, len(list))
	for i, r := range list {
		out[i] = r.profile(nil)
	}
	return out, nil
}

// FindProfileSecrets returns the profile's secrets, opened; ENOTFOUND when
// there is no such profile.
func (s *ProfileService) FindProfileSecrets(ctx context.Context, id string) (map[string]secret.Value, error) {
	var out map[string]secret.Value
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if _, err := s.findProfileRow(ctx, tx, id, false); err != nil {
			return err
		}
		var err error
		out, err = s.secrets.findSecrets(ctx, tx, ownerProfile, id)
		return err
	})
	return out, err
}

// CreateProfile stores p and its secrets in one transaction and sets p's id
// and timestamps. Making it the default clears the connector's previous
// default. Returns EINVALID for a missing connector or name, or with
// linkhub.ProfileProblems for what its connector's rules refuse
// (CheckProfilesWith), ECONFLICT when the name is taken. The audit entry
// names actor and the fields set.
func (s *ProfileService) CreateProfile(ctx context.Context, actor linkhub.Actor, p *linkhub.Profile, secrets map[string]secret.Value) error {
	defer s.all.forget()
	p.Name = strings.TrimSpace(p.Name)
	if p.ConnectorID == "" {
		return linkhub.FieldError("connector_id", "Choose a connector.")
	}
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		// The connector's rules name every problem, the name's too.
		if err := s.check(withSecrets(p, nil, secrets)); err != nil {
			return err
		}
		if p.Name == "" {
			return linkhub.FieldError("name", "Name is required.")
		}
		if p.IsDefault {
			if err := clearDefault(ctx, tx, p.ConnectorID, ""); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO profiles (connector_id, name, enabled, is_default, featured, actions, field_values)
			VALUES (@connector_id, @name, @enabled, @is_default, @featured, @actions, @values)
			RETURNING `+profileColumns,
			pgx.NamedArgs{"connector_id": p.ConnectorID, "name": p.Name, "enabled": p.Enabled,
				"is_default": p.IsDefault, "featured": p.Featured, "actions": orEmpty(p.Actions), "values": orEmptyMap(p.Values)})
		if err != nil {
			return profileWriteError(err, p.Name)
		}
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[profileRow])
		if err != nil {
			return profileWriteError(err, p.Name)
		}
		if err := s.secrets.putSecrets(ctx, tx, ownerProfile, r.ID, secrets); err != nil {
			return err
		}
		masks, err := s.secrets.findMasks(ctx, tx, ownerProfile, r.ID)
		if err != nil {
			return err
		}
		*p = *r.profile(masks[r.ID])
		return insertAudit(ctx, tx, actor, linkhub.ActionProfileCreated, "profile", p.ID, profileDetails(p, p.Values, secrets))
	})
}

// profileDetails are the audit details of a profile written: never a
// secret, only the ids of the fields given a value.
func profileDetails(p *linkhub.Profile, values map[string]string, secrets map[string]secret.Value) map[string]string {
	var ids []string
	for id, v := range values {
		if v != "" {
			ids = append(ids, id)
		}
	}
	for id, v := range secrets {
		if !v.IsZero() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return map[string]string{"name": p.Name, "connector": p.ConnectorID, "actions": strings.Join(p.Actions, ","),
		"fields": strings.Join(ids, ","), "default": strconv.FormatBool(p.IsDefault), "featured": strconv.FormatBool(p.Featured)}
}

// UpdateProfile applies upd in one transaction: nil fields and zero secrets
// keep what is stored; non-nil Values replace all values. Returns ENOTFOUND,
// EINVALID for an empty name or with linkhub.ProfileProblems for a result
// its connector's rules refuse, or ECONFLICT when the new name is taken. The
// audit entry names actor: profile.enabled or profile.disabled when upd
// only turns the profile on or off, else profile.updated.
func (s *ProfileService) UpdateProfile(ctx context.Context, actor linkhub.Actor, id string, upd linkhub.ProfileUpdate) (*linkhub.Profile, error) {
	defer s.all.forget()
	defer s.db.accounts.evictAll() // enabling or disabling it changes its accounts' status
	if upd.Name != nil {
		name := strings.TrimSpace(*upd.Name)
		upd.Name = &name
	}
	var p *linkhub.Profile
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		cur, err := s.findProfileRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		// What the admin fills in is held to the rules, on the locked row;
		// turning a profile on or off, or marking it, leaves the rest as it was.
		if upd.Name != nil || upd.Actions != nil || upd.Values != nil || upd.Secrets != nil {
			if err := s.check(updated(cur.profile(nil), upd)); err != nil {
				return err
			}
		}
		if upd.Name != nil && *upd.Name == "" {
			return linkhub.FieldError("name", "Name is required.")
		}
		if upd.IsDefault != nil && *upd.IsDefault {
			if err := clearDefault(ctx, tx, cur.ConnectorID, id); err != nil {
				return err
			}
		}
		// Untyped nil is SQL NULL, which coalesce keeps; a nil map would
		// encode as the JSON null.
		var actions, values any
		if upd.Actions != nil {
			actions = orEmpty(*upd.Actions)
		}
		if upd.Values != nil {
			values = upd.Values
		}
		if _, err := tx.Exec(ctx, `
			UPDATE profiles SET
				name = coalesce(@name, name),
				enabled = coalesce(@enabled, enabled),
				is_default = coalesce(@is_default, is_default),
				featured = coalesce(@featured, featured),
				actions = coalesce(@actions, actions),
				field_values = coalesce(@values, field_values),
				updated_at = now()
			WHERE id = @id`,
			pgx.NamedArgs{"id": id, "name": upd.Name, "enabled": upd.Enabled, "is_default": upd.IsDefault,
				"featured": upd.Featured, "actions": actions, "values": values}); err != nil {
			name := cur.Name
			if upd.Name != nil {
				name = *upd.Name
			}
			return profileWriteError(err, name)
		}
		if upd.Enabled != nil && *upd.Enabled != cur.Enabled {
			if err := setAccountsInactive(ctx, tx, id, !*upd.Enabled); err != nil {
				return err
			}
		}
		if err := s.secrets.putSecrets(ctx, tx, ownerProfile, id, upd.Secrets); err != nil {
			return err
		}
		if p, err = s.findProfileByID(ctx, tx, id, false); err != nil {
			return err
		}
		onlyEnabled := upd.Name == nil && upd.IsDefault == nil && upd.Actions == nil && upd.Values == nil && upd.Secrets == nil
		if upd.Enabled != nil && onlyEnabled {
			action := linkhub.ActionProfileDisabled
			if *upd.Enabled {
				action = linkhub.ActionProfileEnabled
			}
			return insertAudit(ctx, tx, actor, action, "profile", id, map[string]string{"name": p.Name})
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionProfileUpdated, "profile", id, profileDetails(p, upd.Values, upd.Secrets))
	})
	return p, err
}

// DeleteProfile deletes the profile and its secrets, and returns how many
// accounts went with it. When accounts use it, it returns ECONFLICT unless
// cascade is set, which deletes those accounts and their secrets too.
// Returns ENOTFOUND when there is no such profile. The audit entry names
// actor and, with cascade, how many accounts went.
func (s *ProfileService) DeleteProfile(ctx context.Context, actor linkhub.Actor, id string, cascade bool) (int, error) {
	defer s.all.forget()
	defer s.db.accounts.evictAll() // with cascade, its accounts are gone
	var n int
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		// FOR UPDATE also blocks a concurrent account insert (it takes FOR
		// KEY SHARE on the profile), so the count below stays true.
		cur, err := s.findProfileRow(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE profile_id = $1`, id).Scan(&n); err != nil {
			return fmt.Errorf("count accounts of profile: %w", err)
		}
		if n > 0 && !cascade {
			return linkhub.Errorf(linkhub.ECONFLICT,
				"The profile %q is used by %d linked account(s). Delete those accounts first, or delete the profile together with its accounts.", cur.Name, n)
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM secrets WHERE owner_kind = $1
			AND owner_id IN (SELECT id FROM accounts WHERE profile_id = $2)`, ownerAccount, id); err != nil {
			return fmt.Errorf("delete account secrets of profile: %w", err)
		}
		rows, _ := tx.Query(ctx, `DELETE FROM accounts WHERE profile_id = $1 RETURNING `+accountColumns, id)
		deleted, err := pgx.CollectRows(rows, pgx.RowToStructByName[accountRow])
		if err != nil {
			return fmt.Errorf("delete accounts of profile: %w", err)
		}
		for _, r := range deleted {
			if err := accountEvent(ctx, tx, linkhub.EventAccountDeleted, r.account()); err != nil {
				return err
			}
		}
		if err := s.secrets.deleteSecrets(ctx, tx, ownerProfile, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM profiles WHERE id = $1`, id); err != nil {
			if _, ok := pgError(err, codeForeignKeyViolation); ok {
				return linkhub.Errorf(linkhub.ECONFLICT, "The profile %q is still in use and cannot be deleted.", cur.Name)
			}
			return fmt.Errorf("delete profile: %w", err)
		}
		details := map[string]string{"name": cur.Name, "connector": cur.ConnectorID}
		if cascade {
			details["accounts_deleted"] = strconv.Itoa(n)
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionProfileDeleted, "profile", id, details)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// findProfileRow reads one profile row, locked FOR UPDATE when lock is set.
func (s *ProfileService) findProfileRow(ctx context.Context, tx pgx.Tx, id string, lock bool) (profileRow, error) {
	if !validUUID(id) {
		return profileRow{}, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
	}
	q := `SELECT ` + profileColumns + ` FROM profiles WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	rows, _ := tx.Query(ctx, q, id)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[profileRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return profileRow{}, linkhub.Errorf(linkhub.ENOTFOUND, "Profile not found.")
	} else if err != nil {
		return profileRow{}, fmt.Errorf("find profile: %w", err)
	}
	return r, nil
}

// findProfileByID reads one profile with its secret masks.
func (s *ProfileService) findProfileByID(ctx context.Context, tx pgx.Tx, id string, lock bool) (*linkhub.Profile, error) {
	r, err := s.findProfileRow(ctx, tx, id, lock)
	if err != nil {
		return nil, err
	}
	masks, err := s.secrets.findMasks(ctx, tx, ownerProfile, id)
	if err != nil {
		return nil, err
	}
	return r.profile(masks[id]), nil
}

// clearDefault unsets the default profile of a connector, except keep's.
func clearDefault(ctx context.Context, tx pgx.Tx, connectorID, keep string) error {
	_, err := tx.Exec(ctx, `UPDATE profiles SET is_default = false, updated_at = now()
		WHERE connector_id = $1 AND is_default AND id::text <> $2`, connectorID, keep)
	if err != nil {
		return fmt.Errorf("clear default profile: %w", err)
	}
	return nil
}

// profileWriteError translates a unique violation of the name into ECONFLICT.
func profileWriteError(err error, name string) error {
	if pgErr, ok := pgError(err, codeUniqueViolation); ok && pgErr.ConstraintName == "profiles_name" {
		return linkhub.Errorf(linkhub.ECONFLICT, "A profile named %q already exists.", name)
	}
	return fmt.Errorf("write profile: %w", err)
}

// setAccountsInactive follows a profile being disabled (inactive) or enabled
// again: its accounts stop, or resume, being usable, and each fires
// account.status_changed. An account an admin disabled on its own stays
// disabled either way.
func setAccountsInactive(ctx context.Context, tx pgx.Tx, profileID string, inactive bool) error {
	// The old status is read in the same statement: the CTE sees the rows
	// before the update.
	set, from := `status = 'inactive', status_reason = 'profile_disabled'`, `'active', 'error', 'needs_relink'`
	if !inactive {
		// Back to active; the scheduled re-test corrects any that fail now.
		set, from = `status = 'active', status_reason = ''`, `'inactive'`
	}
	rows, _ := tx.Query(ctx, `
		WITH old AS (SELECT id AS old_id, status AS previous FROM accounts
			WHERE profile_id = $1 AND status IN (`+from+`) FOR UPDATE)
		UPDATE accounts SET `+set+`, updated_at = now() FROM old WHERE id = old.old_id
		RETURNING old.previous, `+accountColumns, profileID)
	changed, err := pgx.CollectRows(rows, pgx.RowToStructByName[changedAccountRow])
	if err != nil {
		return fmt.Errorf("set accounts of profile %s inactive=%t: %w", profileID, inactive, err)
	}
	for _, r := range changed {
		if err := statusEvent(ctx, tx, r.Previous, r.account()); err != nil {
			return err
		}
	}
	return nil
}
