package stdlib_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	pgxstdlib "github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	"github.com/vapsql/vap/store/backend"
)

const missingText = "No connection found with name: %s. Please check your connection name and verify that a connection with that name exists in the connection store."

func TestSQLOpenDefaultStore(t *testing.T) {
	ctx := context.Background()
	c := &store.Connection{Name: "driver-default-sqlite", Type: "sqlite"}
	c.Set("path", filepath.Join(t.TempDir(), "d.db"), false)
	if err := stdlib.DefaultStore().Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("vap", "driver-default-sqlite")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&v); err != nil || v == "" {
		t.Fatalf("query: %q %v", v, err)
	}
}

func TestMissingName(t *testing.T) {
	for _, name := range []string{"no-such-connection", "databricks-default", "ünïcode name"} {
		_, err := sql.Open("vap", name)
		if err == nil || err.Error() != fmt.Sprintf(missingText, name) || !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("sql.Open(%q): %v", name, err)
		}
		_, err = stdlib.NewConnector(name, stdlib.WithStore(testenv.Store(t)))
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("NewConnector: %v", err)
		}
	}
}

func TestEnvOverrideThroughSQLOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "env.db")
	t.Setenv("VAP_CONN_FROM_THE_ENV", fmt.Sprintf(`{"connection_type": "sqlite", "path": %q}`, path))
	db, err := sql.Open("vap", "from-the-env")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	var file string
	if err := db.QueryRow("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil || file != path {
		t.Fatalf("database file %q (%v), want %q", file, err, path)
	}
}

// TestRealDriverConnUnwrapped checks that database/sql holds the real
// driver's connection, not a wrapper.
func TestRealDriverConnUnwrapped(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	testenv.Put(t, st, "lite", "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "x.db")})
	db := testenv.OpenDB(t, st, "lite")
	c, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		if _, ok := dc.(interface{ Serialize() ([]byte, error) }); !ok {
			return fmt.Errorf("driver conn is %T, not modernc's", dc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// countingBackend counts how often the store is read in full (resolution)
// and how often only the version is checked.
type countingBackend struct {
	backend.Backend
	gets, versions atomic.Int64
}

func (b *countingBackend) Get(ctx context.Context, name string) (*backend.Record, error) {
	b.gets.Add(1)
	return b.Backend.Get(ctx, name)
}

func (b *countingBackend) Version(ctx context.Context, name string) (int64, error) {
	b.versions.Add(1)
	return b.Backend.Version(ctx, name)
}

// TestResolvedOncePerOpen checks that sql.Open resolves (decrypts) the name
// once, that each new physical connection costs one version check, and that
// an update in the store is used by connections opened after it.
func TestResolvedOncePerOpen(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	h, _ := store.NewKeyset()
	inner, err := backend.Open(ctx, filepath.Join(home, "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	cb := &countingBackend{Backend: inner}
	st := store.Open(store.WithBackend(cb), store.WithKeyset(h), store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	defer st.Close()
	pathA, pathB := filepath.Join(home, "a.db"), filepath.Join(home, "b.db")
	c := &store.Connection{Name: "lite", Type: "sqlite"}
	c.Set("path", pathA, false)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	db := testenv.OpenDB(t, st, "lite")
	db.SetMaxIdleConns(0) // every query opens a physical connection
	file := func() string {
		var f string
		if err := db.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&f); err != nil {
			t.Fatal(err)
		}
		return f
	}
	for range 5 {
		if f := file(); f != pathA {
			t.Fatalf("file %s", f)
		}
	}
	if g, v := cb.gets.Load(), cb.versions.Load(); g != 1 || v != 5 {
		t.Fatalf("after 5 connections: %d resolutions, %d version checks; want 1 and 5", g, v)
	}
	c.Set("path", pathB, false)
	if err := st.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	if f := file(); f != pathB {
		t.Fatalf("after update, new connection uses %s, want %s", f, pathB)
	}
	if g := cb.gets.Load(); g != 2 {
		t.Fatalf("resolutions after one update: %d, want 2", g)
	}
	if err := st.Delete(ctx, "lite"); err != nil {
		t.Fatal(err)
	}
	_, err = db.ExecContext(ctx, "SELECT 1")
	if err == nil || err.Error() != fmt.Sprintf(missingText, "lite") {
		t.Fatalf("after delete: %v", err)
	}
}

func TestPostgres(t *testing.T) {
	testenv.Postgres(t)
	ctx := context.Background()
	st := testenv.Store(t)
	testenv.Put(t, st, "pg", "postgresql", map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"})
	testenv.Put(t, st, "rs", "sqlalchemy-redshift", map[string]string{"host": "127.0.0.1", "port": "5432", "user_name": "root", "dbname": "test"})
	testenv.Put(t, st, "pg-alias", "postgres", map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.application_name": "vap-alias-test"})
	tests := []struct {
		conn    string
		wantSSL bool
		app     string
	}{
		{"pg", false, "vap"},
		{"rs", true, "vap"}, // redshift defaults to sslmode=require
		{"pg-alias", true, "vap-alias-test"},
	}
	for _, tc := range tests {
		t.Run(tc.conn, func(t *testing.T) {
			db := testenv.OpenDB(t, st, tc.conn)
			var user, dbname, app string
			var ssl bool
			err := db.QueryRowContext(ctx, `SELECT current_user, current_database(), current_setting('application_name'),
				coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)`).Scan(&user, &dbname, &app, &ssl)
			if err != nil {
				t.Fatal(err)
			}
			if user != "root" || dbname != "test" || ssl != tc.wantSSL || app != tc.app {
				t.Fatalf("user=%s db=%s ssl=%v app=%s", user, dbname, ssl, app)
			}
			c, _ := db.Conn(ctx)
			defer c.Close()
			if err := c.Raw(func(dc any) error {
				if _, ok := dc.(*pgxstdlib.Conn); !ok {
					return fmt.Errorf("conn is %T", dc)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestMySQL(t *testing.T) {
	testenv.MySQL(t)
	ctx := context.Background()
	st := testenv.Store(t)
	testenv.Put(t, st, "maria", "mysql", map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test"})
	db := testenv.OpenDB(t, st, "maria")
	var dbname string
	var now any
	if err := db.QueryRowContext(ctx, "SELECT database(), NOW()").Scan(&dbname, &now); err != nil {
		t.Fatal(err)
	}
	if dbname != "test" {
		t.Fatalf("database %s", dbname)
	}
	if _, ok := now.(interface{ IsZero() bool }); !ok { // ParseTime gives time.Time
		t.Fatalf("NOW() scanned as %T, want time.Time", now)
	}
	c, _ := db.Conn(ctx)
	defer c.Close()
	c.Raw(func(dc any) error {
		if strings.Contains(fmt.Sprintf("%T", dc), "vap") {
			t.Errorf("conn is wrapped: %T", dc)
		}
		return nil
	})
}
