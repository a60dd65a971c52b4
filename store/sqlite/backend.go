package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	msqlite "modernc.org/sqlite"

	"github.com/vapsql/vap/internal/sqliteuri"
	"github.com/vapsql/vap/store/backend"
)

func init() {
	backend.Register(func(ctx context.Context, u *url.URL) (backend.Backend, error) {
		p := u.Path
		if u.Opaque != "" {
			p = u.Opaque
		}
		if u.Host != "" && u.Host != "localhost" {
			return nil, errors.New("store/sqlite: a sqlite store URL names a local file (sqlite:///path)")
		}
		return Open(ctx, p)
	}, "sqlite", "file")
}

const schemaVersion = 2

// migrations[i] brings the schema from version i (PRAGMA user_version) to
// i+1.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS vap_connections (
		name       TEXT PRIMARY KEY NOT NULL,
		type       TEXT NOT NULL,
		fields     TEXT NOT NULL,
		version    INTEGER NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	)`,
	// The last version of each deleted name: a re-created name continues
	// above it, so a name's versions never repeat.
	`CREATE TABLE IF NOT EXISTS vap_tombstones (
		name    TEXT PRIMARY KEY NOT NULL,
		version INTEGER NOT NULL
	)`,
}

// Backend is a backend.Backend on one SQLite file.
type Backend struct {
	db     *sql.DB
	memory bool // a private in-memory database: nothing else can change it
}

var (
	_ backend.Backend = (*Backend)(nil)
	_ backend.Local   = (*Backend)(nil)
)

// Local implements backend.Local: a SQLite store is a local file (or
// private memory), so a Store may create a keyset for it.
func (b *Backend) Local() bool { return true }

// Open opens (creating it, mode 0600, when missing) the store file at path and
// migrates its schema. A file this process may read but not write is opened
// read-only: reads work, writes fail.
func Open(ctx context.Context, path string) (*Backend, error) {
	if path == "" {
		return nil, errors.New("store/sqlite: empty store path")
	}
	readOnly := false
	if path != sqliteuri.Memory {
		if _, err := os.Stat(path); err != nil {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return nil, fmt.Errorf("store/sqlite: %w", err)
			}
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil && (errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)) {
			// A file this process may read but not write (a read-only
			// mount, another user's file): readable, every write refused.
			f, err = os.Open(path)
			readOnly = err == nil
		}
		if err != nil {
			return nil, fmt.Errorf("store/sqlite: %w", err)
		}
		f.Close()
	}
	params := url.Values{
		"_pragma": {"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)"},
		"_txlock": {"immediate"},
	}
	if readOnly {
		params = url.Values{"_pragma": {"busy_timeout(10000)"}, "mode": {"ro"}}
	}
	conn, err := msqlite.NewConnector(sqliteuri.Build(path, params))
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: %w", err)
	}
	db := sql.OpenDB(conn)
	if path == sqliteuri.Memory {
		db.SetMaxOpenConns(1) // one private in-memory database
	}
	b := &Backend{db: db, memory: path == sqliteuri.Memory}
	if readOnly {
		var v int
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			// A WAL store in a directory this process cannot write has no
			// shared-memory file to read through: read the file as it
			// stands (immutable), which is what a writer leaves on close.
			db.Close()
			params.Set("immutable", "1")
			conn, cerr := msqlite.NewConnector(sqliteuri.Build(path, params))
			if cerr != nil {
				return nil, fmt.Errorf("store/sqlite: %w", cerr)
			}
			db = sql.OpenDB(conn)
			b.db = db
			if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
				db.Close()
				return nil, fmt.Errorf("store/sqlite: read-only store: %w", err)
			}
		}
		if v != schemaVersion {
			db.Close()
			return nil, fmt.Errorf("store/sqlite: the store file is read-only and at schema version %d, not %d: open it once with write access to migrate it", v, schemaVersion)
		}
		return b, nil
	}
	if err := b.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return b, nil
}

// migrate brings the store to schemaVersion. A store already there (every
// open but the first) is one read of its version, with no write lock: a
// Flow resolving a connection neither waits for a writer nor blocks one.
// Otherwise it migrates in an immediate (write-locked) transaction, which
// reads the version again, so that processes starting at once migrate once.
func (b *Backend) migrate(ctx context.Context) error {
	var cur int
	if err := b.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("store/sqlite: migrate: %w", err)
	}
	if cur == schemaVersion {
		return nil
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: migrate: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("store/sqlite: migrate: %w", err)
	}
	if v > schemaVersion {
		return fmt.Errorf("store/sqlite: store schema version %d is newer than this vap (%d); upgrade vap", v, schemaVersion)
	}
	for i := v; i < schemaVersion; i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("store/sqlite: migrate to %d: %w", i+1, err)
		}
	}
	if v < schemaVersion {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion)); err != nil {
			return fmt.Errorf("store/sqlite: migrate: %w", err)
		}
	}
	return tx.Commit()
}

const timeFormat = time.RFC3339Nano

func scanRecord(sc interface{ Scan(...any) error }) (*backend.Record, error) {
	var r backend.Record
	var fields, created, updated string
	if err := sc.Scan(&r.Name, &r.Type, &fields, &r.Version, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return nil, fmt.Errorf("store/sqlite: connection %q: corrupt fields column", r.Name)
	}
	r.CreatedAt, _ = time.Parse(timeFormat, created)
	r.UpdatedAt, _ = time.Parse(timeFormat, updated)
	return &r, nil
}

const selectCols = `SELECT name, type, fields, version, created_at, updated_at FROM vap_connections`

// Get implements backend.Backend.
func (b *Backend) Get(ctx context.Context, name string) (*backend.Record, error) {
	r, err := scanRecord(b.db.QueryRowContext(ctx, selectCols+` WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, backend.NotFound(name)
	}
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: get: %w", err)
	}
	return r, nil
}

// Version implements backend.Backend.
func (b *Backend) Version(ctx context.Context, name string) (int64, error) {
	var v int64
	err := b.db.QueryRowContext(ctx, `SELECT version FROM vap_connections WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, backend.NotFound(name)
	}
	if err != nil {
		return 0, fmt.Errorf("store/sqlite: version: %w", err)
	}
	return v, nil
}

// List implements backend.Backend.
func (b *Backend) List(ctx context.Context) ([]*backend.Record, error) {
	rows, err := b.db.QueryContext(ctx, selectCols+` ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: list: %w", err)
	}
	defer rows.Close()
	var out []*backend.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Insert implements backend.Backend. A name deleted before continues one above
// its tombstone's version.
func (b *Backend) Insert(ctx context.Context, r *backend.Record) error {
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(timeFormat)
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: insert: %w", err)
	}
	defer tx.Rollback()
	var last int64
	err = tx.QueryRowContext(ctx, `SELECT version FROM vap_tombstones WHERE name = ?`, r.Name).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store/sqlite: insert: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO vap_connections (name, type, fields, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`, r.Name, r.Type, string(fields), last+1, now, now)
	if err != nil {
		return fmt.Errorf("store/sqlite: insert: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return backend.ErrExists
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM vap_tombstones WHERE name = ?`, r.Name); err != nil {
		return fmt.Errorf("store/sqlite: insert: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store/sqlite: insert: %w", err)
	}
	r.Version = last + 1
	return nil
}

// Update implements backend.Backend.
func (b *Backend) Update(ctx context.Context, r *backend.Record) error {
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return err
	}
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: update: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE vap_connections SET type = ?, fields = ?, version = version + 1, updated_at = ?
		WHERE name = ? AND version = ?`, r.Type, string(fields), time.Now().UTC().Format(timeFormat), r.Name, r.Version)
	if err != nil {
		return fmt.Errorf("store/sqlite: update: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM vap_connections WHERE name = ?`, r.Name).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return backend.NotFound(r.Name)
		}
		return backend.ErrConflict
	}
	return tx.Commit()
}

// Delete implements backend.Backend. It keeps the record's last version in a
// tombstone, in the same transaction, for Insert to continue from.
func (b *Backend) Delete(ctx context.Context, name string) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: delete: %w", err)
	}
	defer tx.Rollback()
	var v int64
	err = tx.QueryRowContext(ctx, `DELETE FROM vap_connections WHERE name = ? RETURNING version`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return backend.NotFound(name)
	}
	if err != nil {
		return fmt.Errorf("store/sqlite: delete: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO vap_tombstones (name, version) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET version = max(version, excluded.version)`, name, v); err != nil {
		return fmt.Errorf("store/sqlite: delete: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store/sqlite: delete: %w", err)
	}
	return nil
}

// ReplaceAll implements backend.Backend.
func (b *Backend) ReplaceAll(ctx context.Context, fn func(*backend.Record) (*backend.Record, error)) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: replace: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, selectCols+` ORDER BY name`)
	if err != nil {
		return fmt.Errorf("store/sqlite: replace: %w", err)
	}
	var all []*backend.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := time.Now().UTC().Format(timeFormat)
	for _, r := range all {
		nr, err := fn(r)
		if err != nil {
			return err
		}
		fields, err := json.Marshal(nr.Fields)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE vap_connections SET fields = ?, version = version + 1, updated_at = ? WHERE name = ?`,
			string(fields), now, r.Name); err != nil {
			return fmt.Errorf("store/sqlite: replace: %w", err)
		}
	}
	return tx.Commit()
}

// Close implements backend.Backend.
func (b *Backend) Close() error { return b.db.Close() }
