package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/postgres"
)

// TestMigrateFromSchema1 turns a fresh schema back into what a vap with
// schema version 1 wrote (no tombstones table), then opens it again: the
// migration keeps the records, and a name deleted and re-created afterwards
// continues above its old version.
func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	admin := testenv.Postgres(t)
	schema := tempSchema(t)
	b, err := postgres.Open(ctx, storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	q := pgx.Identifier{schema}.Sanitize()
	for _, stmt := range []string{
		`DROP TABLE ` + q + `.vap_tombstones`,
		`UPDATE ` + q + `.vap_meta SET value = '1' WHERE key = 'schema_version'`,
		`INSERT INTO ` + q + `.vap_connections VALUES ('old'::bytea, 'sqlite', '{"path":{"v":"/x.db"}}', 3, now(), now())`,
	} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}

	b, err = postgres.Open(ctx, storeURL(t, schema))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if v, err := b.Version(ctx, "old"); err != nil || v != 3 {
		t.Fatalf("after migration: version %d, %v; want the record kept at 3", v, err)
	}
	if err := b.Delete(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	r := &backend.Record{Name: "old", Type: "sqlite", Fields: map[string]backend.SealedField{"path": {Value: "/y.db"}}}
	if err := b.Insert(ctx, r); err != nil {
		t.Fatal(err)
	}
	if r.Version != 4 {
		t.Fatalf("re-created at version %d, want 4", r.Version)
	}
}
