package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/vapsql/vap/store/backend"
	"github.com/vapsql/vap/store/sqlite"
)

// TestMigrateFromSchema1 opens a store file written by a vap whose schema
// had no tombstones (PRAGMA user_version 1): the migration keeps the
// records, and a name deleted and re-created afterwards continues above its
// old version.
func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE vap_connections (
			name TEXT PRIMARY KEY NOT NULL, type TEXT NOT NULL, fields TEXT NOT NULL,
			version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
		`INSERT INTO vap_connections VALUES ('old', 'sqlite', '{"path":{"v":"/x.db"}}', 3, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')`,
		`PRAGMA user_version = 1`,
	} {
		if _, err := old.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	b, err := sqlite.Open(ctx, path)
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

// TestOpenAtCurrentSchemaTakesNoWriteLock: opening a store already at the
// current schema reads its version and takes no write lock, so a Flow
// resolving a connection is not held up by a writer (vap conn update, a key
// rotation) holding the store's write lock, and does not hold one itself.
func TestOpenAtCurrentSchemaTakesNoWriteLock(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "store.db")
	b, err := sqlite.Open(ctx, path) // creates and migrates it
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	writer, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	conn, err := writer.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, "ROLLBACK")

	octx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	b, err = sqlite.Open(octx, path)
	if err != nil {
		t.Fatalf("open while another connection holds the write lock: %v", err)
	}
	defer b.Close()
	if _, err := b.Version(octx, "nothing"); err == nil {
		t.Fatal("a name never stored has a version")
	}
}
