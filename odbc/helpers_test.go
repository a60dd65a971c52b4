package odbc

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/dbsqlpeer"
	"github.com/vapsql/vap/peer/orapeer"
	"github.com/vapsql/vap/peer/tdspeer"
	_ "github.com/vapsql/vap/registry/databricks" // the databricks type, for the peer
	"github.com/vapsql/vap/store"
)

var nameSeq atomic.Int64

// uniqueName returns a name no other test (or test process) uses.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s_%d_%d", prefix, time.Now().UnixNano()%1e9, nameSeq.Add(1))
}

// pgFields are the vap fields of the test PostgreSQL server.
func pgFields(t testing.TB) map[string]string {
	t.Helper()
	u, err := url.Parse(testenv.PostgresURL())
	if err != nil {
		t.Fatalf("%s is not a URL", testenv.EnvPostgres)
	}
	f := map[string]string{"host": u.Hostname(), "user_name": u.User.Username(), "dbname": strings.TrimPrefix(u.Path, "/"),
		"options.sslmode": "disable"}
	if p := u.Port(); p != "" {
		f["port"] = p
	}
	if pw, ok := u.User.Password(); ok {
		f["password"] = pw
	}
	if m := u.Query().Get("sslmode"); m != "" {
		f["options.sslmode"] = m
	}
	return f
}

// mysqlFields are the vap fields of the test MySQL server.
func mysqlFields(t testing.TB) map[string]string {
	t.Helper()
	cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
	if err != nil {
		t.Fatalf("%s is not a MySQL DSN", testenv.EnvMySQL)
	}
	host, port, _ := strings.Cut(cfg.Addr, ":")
	f := map[string]string{"host": host, "user_name": cfg.User, "dbname": cfg.DBName, "options.tls": "false"}
	if port != "" {
		f["port"] = port
	}
	if cfg.Passwd != "" {
		f["password"] = cfg.Passwd
	}
	return f
}

// pgStore returns a private store holding a postgresql connection, its
// name, and the server's admin handle.
func pgStore(t testing.TB) (*store.Store, string, *sql.DB) {
	t.Helper()
	admin := testenv.Postgres(t)
	st := testenv.Store(t)
	testenv.Put(t, st, "pg", "postgresql", pgFields(t))
	return st, "pg", admin
}

// sqliteFields are the fields of a fresh SQLite database.
func sqliteFields(t testing.TB) map[string]string {
	return map[string]string{"path": filepath.Join(t.TempDir(), "odbc.db")}
}

// peerToken is the personal access token of the test warehouse peers.
const peerToken = "dapi-odbc-peer-token"

// databricksFields starts a local Databricks SQL warehouse peer for the test
// and returns the fields of a databricks connection to it. The databricks
// type answers the driver's feature-flag request in process, so nothing
// goes to port 443.
func databricksFields(t testing.TB) map[string]string {
	t.Helper()
	return databricksFieldsWith(t, dbsqlpeer.Config{})
}

// databricksFieldsWith is databricksFields with the peer configured as cfg
// (its token set here).
func databricksFieldsWith(t testing.TB, cfg dbsqlpeer.Config) map[string]string {
	t.Helper()
	cfg.Token = peerToken
	p, err := dbsqlpeer.Start(cfg)
	if err != nil {
		t.Fatalf("dbsqlpeer.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("dbsqlpeer Close: %v", err)
		}
	})
	return map[string]string{
		"server_hostname": p.Host(),
		"port":            strconv.Itoa(p.Port()),
		"http_path":       p.HTTPPath(),
		"access_token":    peerToken,
	}
}

// mssqlFields starts a local SQL Server peer for the test and returns the
// fields of an mssql connection to it, with vap's default encrypt=true and
// the peer's CA as the certificate to trust.
func mssqlFields(t testing.TB) map[string]string {
	t.Helper()
	const user, password = "odbc", "odbc-peer-password"
	p, err := tdspeer.Start(tdspeer.Config{User: user, Password: password})
	if err != nil {
		t.Fatalf("tdspeer.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("tdspeer Close: %v", err)
		}
	})
	return map[string]string{
		"host": p.Host(), "port": strconv.Itoa(p.Port()), "user_name": user, "password": password,
		"dbname": p.Database(), "options.certificate": p.CAFile(),
	}
}

// oracleFields starts a local Oracle peer for the test and returns the
// fields of an oracle connection to it.
func oracleFields(t testing.TB) map[string]string {
	t.Helper()
	_, fields := oraclePeer(t)
	return fields
}

// oraclePeer is oracleFields with the peer, to watch its sessions.
func oraclePeer(t testing.TB) (*orapeer.Peer, map[string]string) {
	t.Helper()
	const user, password = "odbc", "odbc-peer-password"
	p, err := orapeer.Start(orapeer.Config{User: user, Password: password})
	if err != nil {
		t.Fatalf("orapeer.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Errorf("orapeer Close: %v", err)
		}
	})
	return p, map[string]string{
		"host": p.Host(), "port": strconv.Itoa(p.Port()), "user_name": user, "password": password, "dbname": p.Service(),
	}
}
