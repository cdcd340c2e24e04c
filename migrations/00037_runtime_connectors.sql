-- +goose Up
-- Connectors an admin defines at runtime (console or API): every save is a
-- new version of the definition's YAML, kept with who saved it and when;
-- runtime_connectors.version names the one that runs.
CREATE TABLE runtime_connectors (
    id         text        PRIMARY KEY,
    version    integer     NOT NULL CHECK (version > 0),
    -- replaces: the definition knowingly takes the place of the built-in
    -- (or file) connector of the same id; without it such an id is refused.
    replaces   boolean     NOT NULL DEFAULT false,
    disabled   boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE runtime_connector_versions (
    connector_id text        NOT NULL REFERENCES runtime_connectors (id) ON DELETE CASCADE,
    version      integer     NOT NULL CHECK (version > 0),
    source       text        NOT NULL,
    replaces     boolean     NOT NULL,
    actor_kind   text        NOT NULL,
    actor_id     text        NOT NULL,
    actor_label  text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connector_id, version)
);

-- One row: raised by every change, so a replica compares one number to know
-- whether its connectors are current, even after a missed notification.
-- The row lock also puts concurrent changes one after the other.
CREATE TABLE runtime_connectors_generation (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    generation bigint  NOT NULL
);
INSERT INTO runtime_connectors_generation (generation) VALUES (0);

-- +goose Down
DROP TABLE runtime_connectors_generation;
DROP TABLE runtime_connector_versions;
DROP TABLE runtime_connectors;
