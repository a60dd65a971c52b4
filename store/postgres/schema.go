package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// schemaVersion is the version of the store's tables this package writes.
const schemaVersion = 2

// NotifyChannel is the channel every store's trigger notifies. The payload
// is a JSON object {"schema": …, "name": <hex of the name>}; "name" is left
// out when any record may have changed (TRUNCATE, an oversized name).
const NotifyChannel = "vap_store"

// migrations[i] brings the schema from version i to i+1, one statement at a
// time, in the migration transaction. %[1]s is the quoted schema name.
var migrations = [][]string{{
	`CREATE TABLE %[1]s.vap_connections (
		name       bytea PRIMARY KEY,
		type       text NOT NULL,
		fields     text NOT NULL,
		version    bigint NOT NULL,
		created_at timestamptz NOT NULL,
		updated_at timestamptz NOT NULL
	)`,
	`CREATE FUNCTION %[1]s.vap_notify() RETURNS trigger LANGUAGE plpgsql AS $$
	DECLARE
		payload text;
	BEGIN
		IF TG_LEVEL = 'STATEMENT' THEN
			payload := json_build_object('schema', TG_TABLE_SCHEMA)::text;
		ELSIF TG_OP = 'DELETE' THEN
			payload := json_build_object('schema', TG_TABLE_SCHEMA, 'name', encode(OLD.name, 'hex'))::text;
		ELSE
			payload := json_build_object('schema', TG_TABLE_SCHEMA, 'name', encode(NEW.name, 'hex'))::text;
		END IF;
		IF octet_length(payload) > 7000 THEN
			payload := json_build_object('schema', TG_TABLE_SCHEMA)::text;
		END IF;
		PERFORM pg_notify('` + NotifyChannel + `', payload);
		RETURN NULL;
	END $$`,
	`CREATE TRIGGER vap_connections_notify AFTER INSERT OR UPDATE OR DELETE ON %[1]s.vap_connections
		FOR EACH ROW EXECUTE FUNCTION %[1]s.vap_notify()`,
	`CREATE TRIGGER vap_connections_truncate AFTER TRUNCATE ON %[1]s.vap_connections
		FOR EACH STATEMENT EXECUTE FUNCTION %[1]s.vap_notify()`,
}, {
	// One row per name ever inserted: the last version of a deleted name
	// (0 while it was never deleted). A re-created name continues above it,
	// so a name's versions never repeat. Insert and Delete lock the name's
	// row first, which orders them per name.
	`CREATE TABLE %[1]s.vap_tombstones (
		name    bytea PRIMARY KEY,
		version bigint NOT NULL
	)`,
}}

// migrate creates the schema and its tables, or brings them up to
// schemaVersion, in one transaction under an advisory lock.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	q := pgx.Identifier{schema}.Sanitize()
	// Fast path, one round trip: a store already at schemaVersion needs
	// nothing, and every process that opens the store (each short-lived Flow)
	// would otherwise pay a transaction, a lock and three statements.
	// Anything else (no schema yet, an older or newer version, an error)
	// takes the locked path below, which decides.
	var cur string
	if err := pool.QueryRow(ctx, `SELECT value FROM `+q+`.vap_meta WHERE key = 'schema_version'`).Scan(&cur); err == nil && cur == strconv.Itoa(schemaVersion) {
		return nil
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store/postgres: migrate: %w", err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('vap-store-schema:' || $1, 0))`, schema); err != nil {
		return fmt.Errorf("store/postgres: migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+q); err != nil {
		return fmt.Errorf("store/postgres: create schema %q: %w", schema, err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+q+`.vap_meta (key text PRIMARY KEY, value text NOT NULL)`); err != nil {
		return fmt.Errorf("store/postgres: migrate: %w", err)
	}
	v := 0
	var s string
	err = tx.QueryRow(ctx, `SELECT value FROM `+q+`.vap_meta WHERE key = 'schema_version'`).Scan(&s)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return fmt.Errorf("store/postgres: migrate: %w", err)
	default:
		if v, err = strconv.Atoi(s); err != nil {
			return fmt.Errorf("store/postgres: schema %q: corrupt schema_version", schema)
		}
	}
	if v > schemaVersion {
		return fmt.Errorf("store/postgres: store schema version %d is newer than this vap (%d); upgrade vap", v, schemaVersion)
	}
	if v == schemaVersion {
		return tx.Commit(ctx)
	}
	for i := v; i < schemaVersion; i++ {
		for _, stmt := range migrations[i] {
			if _, err := tx.Exec(ctx, fmt.Sprintf(stmt, q)); err != nil {
				return fmt.Errorf("store/postgres: migrate to %d: %w", i+1, err)
			}
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO `+q+`.vap_meta (key, value) VALUES ('schema_version', $1)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, strconv.Itoa(schemaVersion)); err != nil {
		return fmt.Errorf("store/postgres: migrate: %w", err)
	}
	return tx.Commit(ctx)
}
