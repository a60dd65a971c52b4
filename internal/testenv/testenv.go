package testenv

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // for MySQL's admin handle
	_ "github.com/jackc/pgx/v5/stdlib" // for Postgres's admin handle

	_ "github.com/vapsql/vap/registry/all"
	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
	_ "github.com/vapsql/vap/store/sqlite"
)

// Environment variables read by tests.
const (
	EnvRequire  = "VAP_TEST_REQUIRE_SERVERS" // "1": a missing server fails the test
	EnvPostgres = "VAP_TEST_POSTGRES_DSN"    // admin URL of a PostgreSQL server
	EnvMySQL    = "VAP_TEST_MYSQL_DSN"       // admin DSN of a MySQL/MariaDB server
)

// Defaults are the machine's servers (trust auth, root, database test).
const (
	DefaultPostgres = "postgres://root@127.0.0.1:5432/test?sslmode=disable"
	DefaultMySQL    = "root@tcp(127.0.0.1:3306)/test?parseTime=true"
)

// Required reports whether missing servers must fail tests.
func Required() bool { return os.Getenv(EnvRequire) == "1" }

// Unavailable skips the test, or fails it when servers are required. what
// says what is missing, envVar how to provide it.
func Unavailable(t testing.TB, what, envVar string, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%s unavailable and %s=1: %v (set %s)", what, EnvRequire, err, envVar)
	}
	t.Skipf("%s unavailable (%v): set %s, or run the machine's server", what, err, envVar)
}

func dsn(env, def string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	return def
}

func open(t testing.TB, drv, env, def, what string) *sql.DB {
	t.Helper()
	db, err := sql.Open(drv, dsn(env, def))
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		Unavailable(t, what, env, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Postgres returns an admin handle (superuser) on the test PostgreSQL
// server, through pgx directly.
func Postgres(t testing.TB) *sql.DB {
	t.Helper()
	return open(t, "pgx", EnvPostgres, DefaultPostgres, "PostgreSQL")
}

// PostgresURL returns the admin URL of the test PostgreSQL server.
func PostgresURL() string { return dsn(EnvPostgres, DefaultPostgres) }

// MySQL returns an admin handle (root) on the test MySQL/MariaDB server,
// through go-sql-driver/mysql directly.
func MySQL(t testing.TB) *sql.DB {
	t.Helper()
	return open(t, "mysql", EnvMySQL, DefaultMySQL, "MySQL/MariaDB")
}

// MySQLDSN returns the admin DSN of the test MySQL server.
func MySQLDSN() string { return dsn(EnvMySQL, DefaultMySQL) }

// Store returns a store in a fresh temporary home with a fresh keyset, that
// ignores the process environment (no VAP_CONN_* overrides, no VAP_STORE).
func Store(t testing.TB) *store.Store {
	t.Helper()
	home := t.TempDir()
	st := store.Open(store.WithHome(home), store.WithLookupEnv(func(string) (string, bool) { return "", false }))
	t.Cleanup(func() { st.Close() })
	return st
}

// Put stores connection name of type typ with fields (secret fields are
// recognised by the registry) and fails the test on error.
func Put(t testing.TB, st *store.Store, name, typ string, fields map[string]string) *store.Connection {
	t.Helper()
	c := &store.Connection{Name: name, Type: typ}
	for k, v := range fields {
		c.Set(k, v, false)
	}
	if err := st.Create(context.Background(), c); err != nil {
		t.Fatalf("store %q: %v", name, err)
	}
	got, err := st.Get(context.Background(), name)
	if err != nil {
		t.Fatalf("read back %q: %v", name, err)
	}
	return got
}

// OpenDB opens connection name of st through the vap driver, looking its
// type up in the registry st validates against (a test's private registry,
// or registry.Default), as sql.OpenDB(stdlib.NewConnector(name,
// stdlib.WithStore(st), stdlib.WithRegistry(st.Registry()))) does, and closes
// it when the test ends. A connector error fails the test.
func OpenDB(t testing.TB, st *store.Store, name string) *sql.DB {
	t.Helper()
	c, err := stdlib.NewConnector(name, stdlib.WithStore(st), stdlib.WithRegistry(st.Registry()))
	if err != nil {
		t.Fatalf("connector %q: %v", name, err)
	}
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return db
}
