package conformance_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vapsql/vap/conformance"
	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/registry"
)

// The CI targets run one after another (no t.Parallel): the streaming check
// measures the process's heap.

func randHex() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func mustExec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestSQLite runs the suite on an embedded SQLite file.
func TestSQLite(t *testing.T) {
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-sqlite", "sqlite", map[string]string{
		"path": filepath.Join(t.TempDir(), "conformance.db"), "options.journal_mode": "wal",
	})
	runTarget(t, conformance.Target{Name: "conformance-sqlite", Store: st}, "sqlite")
}

// TestPostgreSQL runs the suite on a private PostgreSQL cluster that checks
// passwords (scram-sha-256), as a role that is not a superuser.
func TestPostgreSQL(t *testing.T) {
	c := testenv.StartPrivatePostgres(t)
	admin := c.Admin(t)
	role, pw := "vapconf_"+randHex(), "pw-"+randHex()
	mustExec(t, admin, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", role, pw))
	mustExec(t, admin, fmt.Sprintf("CREATE DATABASE %s OWNER %s", role, role))
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-postgresql", "postgresql", map[string]string{
		"host": "127.0.0.1", "port": strconv.Itoa(c.Port), "user_name": role, "password": pw, "dbname": role,
		"options.sslmode": "disable",
	})
	runTarget(t, conformance.Target{Name: "conformance-postgresql", Store: st}, "postgresql")
}

// TestRedshift runs the suite for the sqlalchemy-redshift type on the
// machine's PostgreSQL server, which trusts loopback connections.
func TestRedshift(t *testing.T) {
	admin := testenv.Postgres(t)
	u, err := pgURL(testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	role, pw := "vapconf_"+randHex(), "pw-"+randHex()
	mustExec(t, admin, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", role, pw))
	t.Cleanup(func() { admin.Exec("DROP ROLE IF EXISTS " + role) })
	mustExec(t, admin, fmt.Sprintf("CREATE DATABASE %s OWNER %s", role, role))
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + role + " WITH (FORCE)") })
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-redshift", "sqlalchemy-redshift", map[string]string{
		"host": u.host, "port": u.port, "user_name": role, "password": pw, "dbname": role,
		"options.sslmode": "disable",
	})
	runTarget(t, conformance.Target{Name: "conformance-redshift", Store: st, Gaps: map[string]string{
		"password-update": "the machine's PostgreSQL trusts loopback connections; the same pgx path is proven on the postgresql target's scram-sha-256 cluster",
	}}, "sqlalchemy-redshift")
}

// TestMySQL runs the suite on the machine's MariaDB as a user with a
// password (MariaDB checks it).
func TestMySQL(t *testing.T) {
	admin := testenv.MySQL(t)
	host, port, err := mysqlAddr(testenv.MySQLDSN())
	if err != nil {
		t.Fatal(err)
	}
	user, pw := "vapconf_"+randHex(), "pw-"+randHex()
	mustExec(t, admin, fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, pw))
	t.Cleanup(func() { admin.Exec(fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", user)) })
	mustExec(t, admin, "CREATE DATABASE "+user)
	t.Cleanup(func() { admin.Exec("DROP DATABASE IF EXISTS " + user) })
	mustExec(t, admin, fmt.Sprintf("GRANT ALL ON %s.* TO '%s'@'%%'", user, user))
	// PROCESS lets the user read its own transaction's isolation level in
	// information_schema.INNODB_TRX.
	mustExec(t, admin, fmt.Sprintf("GRANT PROCESS ON *.* TO '%s'@'%%'", user))
	st := testenv.Store(t)
	testenv.Put(t, st, "conformance-mysql", "mysql", map[string]string{
		"host": host, "port": port, "user_name": user, "password": pw, "dbname": user,
	})
	runTarget(t, conformance.Target{Name: "conformance-mysql", Store: st}, "mysql")
}

// serverTargets are the types that have a target of their own: a server
// here, or a local peer (TestDatabricksPeer, TestSQLServerPeer).
var serverTargets = []string{"postgresql", "sqlalchemy-redshift", "mysql", "sqlite", "databricks",
	"mssql", "mssql+pyodbc", "mssql+pymysql", "mssql+pymssql", "oracle"}

// TestUnreachableTypes runs what can be proven without a server for every
// other registered type (Oracle): the name resolves
// to its type and native placeholder, a deleted copy gives the exact
// missing-name error, and no secret shows in the errors of a connection
// that a loopback listener refuses. Connect-level behaviour is proven by
// each type's own tests against a loopback listener.
func TestUnreachableTypes(t *testing.T) {
	for _, typ := range registry.Default.Types() {
		if slices.Contains(serverTargets, typ.Name) {
			continue
		}
		t.Run(typ.Name, func(t *testing.T) {
			port := refusingListener(t)
			st := testenv.Store(t)
			name := "conformance-" + typ.Name
			testenv.Put(t, st, name, typ.Name, fieldsFor(typ, port))
			reason := fmt.Sprintf("no %s server can run here; the type's own tests drive the real driver against a loopback listener", typ.Name)
			runTarget(t, conformance.Target{Name: name, Store: st,
				Gaps: conformance.GapsFor(conformance.ServerChecks(), reason)}, typ.Name)
		})
	}
}

// fieldsFor fills a type's required fields, its port, database and first secret
// with values pointing at 127.0.0.1:port.
func fieldsFor(typ *registry.Type, port int) map[string]string {
	f := map[string]string{}
	for _, k := range typ.Required {
		switch k {
		case "host", "server_hostname":
			f[k] = "127.0.0.1"
		case "http_path":
			f[k] = "/sql/1.0/warehouses/conformance"
		default:
			f[k] = "vap_conformance"
		}
	}
	if slices.Contains(typ.Optional, "port") {
		f["port"] = strconv.Itoa(port)
	}
	if slices.Contains(typ.Optional, "dbname") {
		f["dbname"] = "vap_conformance"
	}
	if len(typ.Secrets) > 0 {
		f[typ.Secrets[0]] = "vap-conformance-secret-" + randHex()
	}
	return f
}

// refusingListener accepts connections on 127.0.0.1 and closes them at once.
func refusingListener(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(time.Second))
			c.Close()
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}
