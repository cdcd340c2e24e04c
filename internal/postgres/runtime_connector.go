package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/linkhub/linkhub/internal/linkhub"
)

// connectorChannel is where every change of a runtime connector is
// announced (its payload the new generation), so each process reloads at once.
const connectorChannel = "linkhub_connectors_changed"

var _ linkhub.RuntimeConnectorService = (*RuntimeConnectorService)(nil)

// RuntimeConnectorService stores the connectors admins define at runtime.
type RuntimeConnectorService struct {
	db *DB
}

// NewRuntimeConnectorService returns a RuntimeConnectorService on db.
func NewRuntimeConnectorService(db *DB) *RuntimeConnectorService {
	return &RuntimeConnectorService{db: db}
}

type runtimeConnectorRow struct {
	ID        string    `db:"id"`
	Version   int       `db:"version"`
	Source    string    `db:"source"`
	Replaces  bool      `db:"replaces"`
	Disabled  bool      `db:"disabled"`
	SavedBy   string    `db:"actor_label"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
}

const runtimeConnectorSelect = `
	SELECT c.id, c.version, v.source, c.replaces, c.disabled, v.actor_label, c.created_at, c.updated_at
	FROM runtime_connectors c JOIN runtime_connector_versions v ON v.connector_id = c.id AND v.version = c.version`

// FindRuntimeConnectors returns every runtime connector, by id.
func (s *RuntimeConnectorService) FindRuntimeConnectors(ctx context.Context) ([]*linkhub.RuntimeConnector, error) {
	rows, _ := s.db.Pool.Query(ctx, runtimeConnectorSelect+` ORDER BY c.id`)
	list, err := pgx.CollectRows(rows, pgx.RowToAddrOfStructByName[runtimeConnectorRow])
	if err != nil {
		return nil, fmt.Errorf("find runtime connectors: %w", err)
	}
	out := make([]*linkhub.RuntimeConnector, len(list))
	for i, r := range list {
		out[i] = (*linkhub.RuntimeConnector)(r)
	}
	return out, nil
}

// FindRuntimeConnector returns ENOTFOUND when there is no such connector.
func (s *RuntimeConnectorService) FindRuntimeConnector(ctx context.Context, id string) (*linkhub.RuntimeConnector, error) {
	return findRuntimeConnector(ctx, s.db.Pool, id)
}

func findRuntimeConnector(ctx context.Context, q querier, id string) (*linkhub.RuntimeConnector, error) {
	rows, _ := q.Query(ctx, runtimeConnectorSelect+` WHERE c.id = $1`, id)
	r, err := pgx.CollectOneRow(rows, pgx.RowToAddrOfStructByName[runtimeConnectorRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find runtime connector: %w", err)
	}
	return (*linkhub.RuntimeConnector)(r), nil
}

// FindRuntimeConnectorVersions returns every version, newest first.
func (s *RuntimeConnectorService) FindRuntimeConnectorVersions(ctx context.Context, id string) ([]*linkhub.RuntimeConnectorVersion, error) {
	if _, err := s.FindRuntimeConnector(ctx, id); err != nil {
		return nil, err
	}
	rows, _ := s.db.Pool.Query(ctx, `
		SELECT version, source, replaces, actor_label, created_at FROM runtime_connector_versions
		WHERE connector_id = $1 ORDER BY version DESC`, id)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*linkhub.RuntimeConnectorVersion, error) {
		var v linkhub.RuntimeConnectorVersion
		err := row.Scan(&v.Version, &v.Source, &v.Replaces, &v.SavedBy, &v.CreatedAt)
		return &v, err
	})
	if err != nil {
		return nil, fmt.Errorf("find runtime connector versions: %w", err)
	}
	return list, nil
}

// SaveRuntimeConnector stores source as the next version of id.
func (s *RuntimeConnectorService) SaveRuntimeConnector(ctx context.Context, actor linkhub.Actor, id, source string, replaces bool) (*linkhub.RuntimeConnector, error) {
	var out *linkhub.RuntimeConnector
	err := pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := nextGeneration(ctx, tx); err != nil {
			return err
		}
		var version int
		err := tx.QueryRow(ctx, `
			INSERT INTO runtime_connectors AS c (id, version, replaces) VALUES ($1, 1, $2)
			ON CONFLICT (id) DO UPDATE SET version = c.version + 1, replaces = $2, updated_at = now()
			RETURNING version`, id, replaces).Scan(&version)
		if err != nil {
			return fmt.Errorf("save runtime connector: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO runtime_connector_versions (connector_id, version, source, replaces, actor_kind, actor_id, actor_label)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, version, source, replaces, actorKind(actor), actor.ID, actor.Label); err != nil {
			return fmt.Errorf("save runtime connector version: %w", err)
		}
		if err := insertAudit(ctx, tx, actor, linkhub.ActionConnectorSaved, "connector", id, map[string]string{
			"version": strconv.Itoa(version), "replaces": strconv.FormatBool(replaces)}); err != nil {
			return err
		}
		out, err = findRuntimeConnector(ctx, tx, id)
		return err
	})
	return out, err
}

// SetRuntimeConnectorDisabled turns a runtime connector off or on; one that
// profiles use stays on.
func (s *RuntimeConnectorService) SetRuntimeConnectorDisabled(ctx context.Context, actor linkhub.Actor, id string, disabled bool) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := nextGeneration(ctx, tx); err != nil {
			return err
		}
		if disabled {
			if err := refuseInUse(ctx, tx, id, "disabled"); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE runtime_connectors SET disabled = $2, updated_at = now() WHERE id = $1`, id, disabled)
		if err != nil {
			return fmt.Errorf("set runtime connector disabled: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		action := linkhub.ActionConnectorEnabled
		if disabled {
			action = linkhub.ActionConnectorDisabled
		}
		return insertAudit(ctx, tx, actor, action, "connector", id, nil)
	})
}

// DeleteRuntimeConnector removes the connector and its versions, unless
// profiles use it.
func (s *RuntimeConnectorService) DeleteRuntimeConnector(ctx context.Context, actor linkhub.Actor, id string) error {
	return pgx.BeginFunc(ctx, s.db.Pool, func(tx pgx.Tx) error {
		if err := nextGeneration(ctx, tx); err != nil {
			return err
		}
		if err := refuseInUse(ctx, tx, id, "deleted"); err != nil {
			return err
		}
		var versions int
		err := tx.QueryRow(ctx, `DELETE FROM runtime_connectors WHERE id = $1 RETURNING version`, id).Scan(&versions)
		if errors.Is(err, pgx.ErrNoRows) {
			return linkhub.Errorf(linkhub.ENOTFOUND, "There is no runtime connector %q.", id)
		}
		if err != nil {
			return fmt.Errorf("delete runtime connector: %w", err)
		}
		return insertAudit(ctx, tx, actor, linkhub.ActionConnectorDeleted, "connector", id,
			map[string]string{"versions": strconv.Itoa(versions)})
	})
}

// RuntimeConnectorsGeneration returns the number every change raises.
func (s *RuntimeConnectorService) RuntimeConnectorsGeneration(ctx context.Context) (int64, error) {
	var g int64
	if err := s.db.Pool.QueryRow(ctx, `SELECT generation FROM runtime_connectors_generation`).Scan(&g); err != nil {
		return 0, fmt.Errorf("read runtime connectors generation: %w", err)
	}
	return g, nil
}

// OnRuntimeConnectorsChanged has fn called whenever the account listener
// (ListenAccountChanges, whose connection also listens for connector
// changes) hears a change of a runtime connector, or starts listening again.
func (db *DB) OnRuntimeConnectorsChanged(fn func()) { db.onConnectors.Store(&fn) }

func (db *DB) connectorsChanged() {
	if fn := db.onConnectors.Load(); fn != nil {
		(*fn)()
	}
}

// nextGeneration raises the generation and announces it at commit. Its row
// lock puts changes one after the other.
func nextGeneration(ctx context.Context, tx pgx.Tx) error {
	var g int64
	if err := tx.QueryRow(ctx, `UPDATE runtime_connectors_generation SET generation = generation + 1 RETURNING generation`).Scan(&g); err != nil {
		return fmt.Errorf("raise runtime connectors generation: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, connectorChannel, strconv.FormatInt(g, 10)); err != nil {
		return fmt.Errorf("announce runtime connector change: %w", err)
	}
	return nil
}

// refuseInUse returns ECONFLICT when profiles use connector id. The share
// lock holds off a profile created meanwhile until the change commits.
func refuseInUse(ctx context.Context, tx pgx.Tx, id, what string) error {
	if _, err := tx.Exec(ctx, `LOCK TABLE profiles IN SHARE MODE`); err != nil {
		return fmt.Errorf("lock profiles: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM profiles WHERE connector_id = $1`, id).Scan(&n); err != nil {
		return fmt.Errorf("count profiles of connector: %w", err)
	}
	if n > 0 {
		return linkhub.Errorf(linkhub.ECONFLICT,
			"The connector %q is used by %d profile(s) and cannot be %s. Delete those profiles first.", id, n, what)
	}
	return nil
}

func actorKind(a linkhub.Actor) string {
	if a.Kind == "" {
		return "system"
	}
	return a.Kind
}
