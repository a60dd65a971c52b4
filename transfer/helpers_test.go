package transfer_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
)

var seq atomic.Int64

// unique returns a table name no other test (or process) uses.
func unique(prefix string) string {
	return fmt.Sprintf("%s_%d_%d", prefix, time.Now().UnixNano()%1e9, seq.Add(1))
}

// conns are vap connections (named, opened through the vap driver) to the
// machine's servers and a SQLite file, and admin handles for set-up.
type conns struct {
	pg, my, lite     *sql.DB
	pgAdmin, myAdmin *sql.DB
}

// open opens the connections the test needs: "pg", "my", "lite".
func open(t *testing.T, which ...string) *conns {
	t.Helper()
	st := testenv.Store(t)
	c := &conns{}
	for _, w := range which {
		switch w {
		case "pg":
			c.pgAdmin = testenv.Postgres(t)
			u, err := url.Parse(testenv.PostgresURL())
			if err != nil {
				t.Fatal(err)
			}
			f := map[string]string{"host": u.Hostname(), "user_name": u.User.Username(), "dbname": strings.TrimPrefix(u.Path, "/"), "options.sslmode": "disable"}
			if p := u.Port(); p != "" {
				f["port"] = p
			}
			if pw, ok := u.User.Password(); ok {
				f["password"] = pw
			}
			testenv.Put(t, st, "pg", "postgresql", f)
			c.pg = testenv.OpenDB(t, st, "pg")
		case "my":
			c.myAdmin = testenv.MySQL(t)
			cfg, err := gomysql.ParseDSN(testenv.MySQLDSN())
			if err != nil {
				t.Fatal(err)
			}
			host, port, _ := strings.Cut(cfg.Addr, ":")
			f := map[string]string{"host": host, "user_name": cfg.User, "dbname": cfg.DBName, "options.tls": "false"}
			if port != "" {
				f["port"] = port
			}
			if cfg.Passwd != "" {
				f["password"] = cfg.Passwd
			}
			testenv.Put(t, st, "my", "mysql", f)
			c.my = testenv.OpenDB(t, st, "my")
		case "lite":
			testenv.Put(t, st, "lite", "sqlite", map[string]string{"path": filepath.Join(t.TempDir(), "copy.db")})
			c.lite = testenv.OpenDB(t, st, "lite")
		}
	}
	return c
}

// exec runs statements, failing the test on error.
func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// dropLater drops table on db when the test ends.
func dropLater(t *testing.T, db *sql.DB, table string) {
	t.Cleanup(func() { db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table) })
}

// read returns a query's rows as values, read by odbc.
func read(t *testing.T, db *sql.DB, query string) [][]any {
	t.Helper()
	rows, err := odbc.OdbcToRowsDB(context.Background(), db, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	out := make([][]any, rows.Len())
	for i := range out {
		out[i] = rows.Row(i).Values()
	}
	return out
}

// sameRows compares rows value by value: times as instants, bytes as
// bytes.
func sameRows(t *testing.T, what string, got, want [][]any) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s: row %d has %d values, want %d", what, i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			if !same(got[i][j], want[i][j]) {
				t.Errorf("%s: row %d column %d = %#v, want %#v", what, i, j, got[i][j], want[i][j])
			}
		}
	}
}

func same(a, b any) bool {
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	}
	return reflect.DeepEqual(a, b)
}
