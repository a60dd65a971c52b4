package postgres_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/internal/redact"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/registry/postgres"
)

func params(fields map[string]string) registry.Params {
	return registry.NewParams("pg", "postgresql", fields)
}

// hostileEnv sets every PG* variable pgconn reads to a value that would
// change the connection if it leaked into vap's configuration.
func hostileEnv(t *testing.T) {
	for k, v := range map[string]string{
		"PGHOST": "env-host.invalid", "PGPORT": "1", "PGDATABASE": "env_db", "PGUSER": "env_user",
		"PGPASSWORD": "env-password", "PGPASSFILE": "/nonexistent/pgpass", "PGAPPNAME": "env-app",
		"PGCONNECT_TIMEOUT": "1", "PGSSLMODE": "verify-full", "PGSSLKEY": "/nonexistent/key",
		"PGSSLCERT": "/nonexistent/cert", "PGSSLCERTMODE": "require", "PGSSLSNI": "0",
		"PGSSLROOTCERT": "/nonexistent/root.crt", "PGSSLPASSWORD": "env-sslpw", "PGSSLNEGOTIATION": "direct",
		"PGTARGETSESSIONATTRS": "read-only", "PGTZ": "Pacific/Chatham", "PGOPTIONS": "-c search_path=env_schema",
		"PGMINPROTOCOLVERSION": "3.2", "PGMAXPROTOCOLVERSION": "3.2", "PGCHANNELBINDING": "require",
		"PGREQUIREAUTH": "md5", "PGSERVICEFILE": "/nonexistent/pg_service.conf",
	} {
		t.Setenv(k, v)
	}
}

// TestConfigIgnoresPGEnvironment: a stored connection means the same thing
// whatever PG* variables the Flow's process happens to have.
func TestConfigIgnoresPGEnvironment(t *testing.T) {
	fields := map[string]string{"host": "db.internal", "user_name": "ben", "dbname": "sales", "options.sslmode": "disable"}
	want, err := postgres.Config(params(fields), 5432, "prefer")
	if err != nil {
		t.Fatal(err)
	}
	hostileEnv(t)
	got, err := postgres.Config(params(fields), 5432, "prefer")
	if err != nil {
		t.Fatalf("with hostile PG* environment: %v", err)
	}
	if got.Host != want.Host || got.Port != want.Port || got.Database != want.Database || got.User != want.User ||
		got.Password != "" || got.ConnectTimeout != want.ConnectTimeout || got.TLSConfig != nil || len(got.Fallbacks) != 0 ||
		got.SSLNegotiation != want.SSLNegotiation || got.ChannelBinding != want.ChannelBinding || got.RequireAuth != want.RequireAuth ||
		got.MinProtocolVersion != want.MinProtocolVersion || got.MaxProtocolVersion != want.MaxProtocolVersion {
		t.Errorf("PG* environment changed the config:\n got %+v\nwant %+v", got.Config, want.Config)
	}
	if len(got.RuntimeParams) != len(want.RuntimeParams) {
		t.Errorf("runtime params %v, want %v", got.RuntimeParams, want.RuntimeParams)
	}
	for k, v := range want.RuntimeParams {
		if got.RuntimeParams[k] != v {
			t.Errorf("runtime param %s = %q, want %q", k, got.RuntimeParams[k], v)
		}
	}
}

// TestConnectWithHostilePGEnvironment connects to the machine's server with
// every PG* variable set against it.
func TestConnectWithHostilePGEnvironment(t *testing.T) {
	testenv.Postgres(t)
	hostileEnv(t)
	cfg, err := postgres.Config(params(map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"}), 5432, "prefer")
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(stdlib.GetConnector(*cfg))
	defer db.Close()
	var tz, path, app string
	if err := db.QueryRowContext(context.Background(), "SELECT current_setting('TimeZone'), current_setting('search_path'), current_setting('application_name')").Scan(&tz, &path, &app); err != nil {
		t.Fatal(err)
	}
	if tz == "Pacific/Chatham" || path == "env_schema" || app != "vap" {
		t.Fatalf("environment reached the session: TimeZone=%s search_path=%s application_name=%s", tz, path, app)
	}
}

func TestConfigFields(t *testing.T) {
	tests := []struct {
		name   string
		fields map[string]string
		check  func(t *testing.T, host string, port uint16, db, user string, rt map[string]string)
	}{
		{"bracketed IPv6", map[string]string{"host": "[::1]", "user_name": "u"}, func(t *testing.T, host string, port uint16, db, user string, rt map[string]string) {
			if host != "::1" || port != 5432 || db != "u" {
				t.Errorf("host %q port %d db %q", host, port, db)
			}
		}},
		{"bare IPv6 and port", map[string]string{"host": "fe80::1", "port": "6543", "user_name": "u", "dbname": "d"}, func(t *testing.T, host string, port uint16, db, user string, rt map[string]string) {
			if host != "fe80::1" || port != 6543 || db != "d" {
				t.Errorf("host %q port %d db %q", host, port, db)
			}
		}},
		{"database with URL syntax", map[string]string{"host": "h", "user_name": "u@x:y", "dbname": "a/b?c#d %zz"}, func(t *testing.T, host string, port uint16, db, user string, rt map[string]string) {
			if db != "a/b?c#d %zz" || user != "u@x:y" {
				t.Errorf("db %q user %q", db, user)
			}
		}},
		{"runtime options", map[string]string{"host": "h", "user_name": "u", "options.search_path": "s1,public", "options.statement_timeout": "5000", "options.application_name": "flow"}, func(t *testing.T, host string, port uint16, db, user string, rt map[string]string) {
			if rt["search_path"] != "s1,public" || rt["statement_timeout"] != "5000" || rt["application_name"] != "flow" {
				t.Errorf("runtime params %v", rt)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := postgres.Config(params(tc.fields), 5432, "prefer")
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, cfg.Host, cfg.Port, cfg.Database, cfg.User, cfg.RuntimeParams)
		})
	}
}

// An identifier longer than the server keeps is truncated by the server,
// which then echoes its first bytes in errors ("database "…" does not
// exist"): such a name is refused, never sent.
func TestLongIdentifierRefused(t *testing.T) {
	long := "vap-secret-" + strings.Repeat("x", 60) // 71 bytes
	for _, field := range []string{"dbname", "user_name"} {
		fields := map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": "test", "options.sslmode": "disable"}
		fields[field] = long
		p := params(fields)
		err := postgres.PostgreSQL.Validate(p)
		if err == nil {
			t.Fatalf("%s of %d bytes accepted", field, len(long))
		}
		if strings.Contains(err.Error(), long[:20]) {
			t.Fatalf("the error holds the value: %v", err)
		}
		if _, err := postgres.PostgreSQL.Connector(context.Background(), p); err == nil {
			t.Fatalf("%s of %d bytes: a connector was built", field, len(long))
		}
	}
	// The limit is the server's: 63 bytes for PostgreSQL, 127 for Redshift.
	ok := map[string]string{"host": "h", "user_name": strings.Repeat("u", 63), "dbname": strings.Repeat("é", 31)}
	if err := postgres.PostgreSQL.Validate(params(ok)); err != nil {
		t.Fatal(err)
	}
	ok["user_name"] = strings.Repeat("u", 127)
	if err := postgres.Redshift.Validate(registry.NewParams("rs", "sqlalchemy-redshift", ok)); err != nil {
		t.Fatal(err)
	}
}

// pgx's configuration errors print the connection string they parsed; the
// database name (a secret when encrypted) is not in it, in any form.
func TestConfigErrorHoldsNoDBName(t *testing.T) {
	db := "db name/ü-s3cret"
	_, err := postgres.Config(params(map[string]string{"host": "127.0.0.1", "user_name": "root", "dbname": db,
		"options.sslmode": "verify-full", "options.sslrootcert": "/nonexistent/root.crt"}), 5432, "prefer")
	if err == nil {
		t.Fatal("a missing root certificate was accepted")
	}
	if redact.Contains(err.Error(), db) || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("the error holds the database name: %v", err)
	}
}
