package tdspeer_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/tdspeer"
)

// TestThroughVap proves a stored connection of each SQL Server type name
// reaches the peer through the vap driver with vap's default encryption
// (encrypt=true, certificate verified against options.certificate), runs
// a parameterised query, and that a wrong password fails with 18456 and
// no trace of the password.
func TestThroughVap(t *testing.T) {
	p := startPeer(t, tdspeer.Config{})
	st := testenv.Store(t)
	fields := func(password string) map[string]string {
		return map[string]string{
			"host":                "localhost",
			"port":                strconv.Itoa(p.Port()),
			"user_name":           testUser,
			"password":            password,
			"dbname":              p.Database(),
			"options.certificate": p.CAFile(),
		}
	}
	ctx := testContext(t)
	for _, typ := range []string{"mssql", "mssql+pyodbc", "mssql+pymysql", "mssql+pymssql"} {
		t.Run(typ, func(t *testing.T) {
			testenv.Put(t, st, "peer-"+typ, typ, fields(testPassword))
			db := testenv.OpenDB(t, st, "peer-"+typ)
			var n int64
			var d, s string
			if err := db.QueryRowContext(ctx, "SELECT CAST(@p1 AS INT) + 1, CAST(1.5 AS DECIMAL(4,2)), @p2", 41, "ü").Scan(&n, &d, &s); err != nil {
				t.Fatalf("query: %v", err)
			}
			if n != 42 || d != "1.50" || s != "ü" {
				t.Errorf("got %d %q %q", n, d, s)
			}
		})
	}
	const wrong = "Wrong-Passw0rd-xyz"
	testenv.Put(t, st, "peer-wrong", "mssql", fields(wrong))
	err := testenv.OpenDB(t, st, "peer-wrong").PingContext(ctx)
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 18456 {
		t.Fatalf("wrong password: %v, want error 18456", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error holds the password: %v", err)
	}
}
