package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the admin handle

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

// This test links exactly what the Flow links (no internal/testenv, which
// links every type), so the not-linked errors below are the Flow's own.

const defaultPostgres = "postgres://root@127.0.0.1:5432/test?sslmode=disable"

func postgresURL() string {
	if v := os.Getenv("VAP_TEST_POSTGRES_DSN"); v != "" {
		return v
	}
	return defaultPostgres
}

// admin returns a handle on the test PostgreSQL server, or skips (fails
// with VAP_TEST_REQUIRE_SERVERS=1) when there is none.
func admin(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", postgresURL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("VAP_TEST_REQUIRE_SERVERS") == "1" {
			t.Fatalf("PostgreSQL unavailable and VAP_TEST_REQUIRE_SERVERS=1: %v", err)
		}
		t.Skipf("PostgreSQL unavailable (%v): set VAP_TEST_POSTGRES_DSN", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestFromEnvironment(t *testing.T) {
	admin(t)
	u, _ := url.Parse(postgresURL())
	data, _ := json.Marshal(map[string]any{"connection_type": "postgresql", "host": u.Hostname(), "port": u.Port(),
		"user_name": u.User.Username(), "dbname": strings.TrimPrefix(u.Path, "/"), "options": map[string]string{"sslmode": "disable"}})
	t.Setenv("VAP_CONN_LEAN_ENV", string(data))
	n, err := selectOne(context.Background(), "lean-env")
	if err != nil || n != 1 {
		t.Fatalf("SELECT 1 through VAP_CONN_LEAN_ENV: %d, %v", n, err)
	}
}

// pgStore opens a store on a fresh schema of the test server, dropped when
// t ends.
func pgStore(t *testing.T) *store.Store {
	t.Helper()
	db := admin(t)
	var b [6]byte
	rand.Read(b[:])
	schema := "vap_lean_" + hex.EncodeToString(b[:])
	u, _ := url.Parse(postgresURL())
	q := u.Query()
	q.Set("schema", schema)
	u.RawQuery = q.Encode()
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(u.String()), store.WithKeyset(h), store.WithoutEnvOverrides())
	t.Cleanup(func() {
		st.Close()
		db.Exec(`DROP SCHEMA IF EXISTS ` + pgx.Identifier{schema}.Sanitize() + ` CASCADE`)
	})
	return st
}

func TestPostgresStore(t *testing.T) {
	ctx := context.Background()
	st := pgStore(t)
	u, _ := url.Parse(postgresURL())
	c := &store.Connection{Name: "warehouse", Type: "postgresql"}
	c.Set("host", u.Hostname(), false)
	c.Set("port", u.Port(), false)
	c.Set("user_name", u.User.Username(), false)
	c.Set("dbname", strings.TrimPrefix(u.Path, "/"), false)
	c.Set("options.sslmode", "disable", false)
	if err := st.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	conn, err := stdlib.NewConnectorContext(ctx, "warehouse", stdlib.WithStore(st))
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT 1").Scan(&n); err != nil || n != 1 {
		t.Fatalf("SELECT 1: %d, %v", n, err)
	}
}

// TestTypeNotLinked: a stored connection of a type vap ships but this
// program does not link names the package to import.
func TestTypeNotLinked(t *testing.T) {
	t.Setenv("VAP_CONN_LEAN_MARIA", `{"connection_type": "mariadb", "host": "127.0.0.1", "user_name": "root"}`)
	_, err := selectOne(context.Background(), "lean-maria")
	want := `add import _ "github.com/vapsql/vap/registry/mysql"`
	if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, registry.ErrUnknownType) {
		t.Fatalf("got %v, want an unknown-type error holding %s", err, want)
	}
	var ce *stdlib.ConnectError
	if !errors.As(err, &ce) || ce.Conn != "lean-maria" {
		t.Fatalf("not a ConnectError for lean-maria: %#v", err)
	}
}

// TestStoreBackendNotLinked: a store URL whose backend this program does
// not link (the embedded SQLite store) names the package to import.
func TestStoreBackendNotLinked(t *testing.T) {
	h, err := store.NewKeyset()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(store.WithURL(filepath.Join(t.TempDir(), "store.db")), store.WithKeyset(h), store.WithoutEnvOverrides())
	defer st.Close()
	_, err = stdlib.NewConnector("warehouse", stdlib.WithStore(st))
	want := `add import _ "github.com/vapsql/vap/store/sqlite"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want an error holding %s", err, want)
	}
}

// TestLinksPostgresOnly: the Flow's build holds no other family, no other
// store backend and none of their drivers.
func TestLinksPostgresOnly(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the build's packages")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, d := range deps {
		for _, banned := range []string{"vap/registry/mysql", "vap/registry/mssql", "vap/registry/oracle", "vap/registry/sqlite",
			"vap/registry/databricks", "vap/store/sqlite", "vap/driver", "go-sql-driver/mysql", "go-mssqldb", "go-ora", "databricks-sql-go", "modernc.org/sqlite"} {
			if strings.Contains(d, banned) {
				t.Errorf("the lean Flow links %s", d)
			}
		}
	}
	if len(deps) == 0 {
		t.Fatal("go list gave no packages")
	}
}
