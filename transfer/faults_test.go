package transfer_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/transfer"
)

// TestFaults makes copies fail in every way a copy can fail, into an
// existing table with rows on PostgreSQL (COPY) and on MariaDB (LOAD
// DATA), and checks each time that the error says what failed and the
// table holds what it held before.
func TestFaults(t *testing.T) {
	c := open(t, "pg", "my", "lite")
	lite := c.lite
	exec(t, lite, `CREATE TABLE seq (id INTEGER PRIMARY KEY)`,
		`WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 3000) INSERT INTO seq SELECT x FROM s`)

	for _, target := range []struct {
		name        string
		db, admin   *sql.DB
		dupContains string // what the duplicate-key error says
	}{
		{"postgresql", c.pg, c.pgAdmin, "row 1500"},
		{"mariadb", c.my, c.myAdmin, "Duplicate entry '1'"},
	} {
		t.Run(target.name, func(t *testing.T) {
			tb := unique("vap_copy_fault")
			dropLater(t, target.admin, tb)
			exec(t, target.admin, "CREATE TABLE "+tb+" (id BIGINT PRIMARY KEY, v VARCHAR(20), n INT)",
				"INSERT INTO "+tb+" VALUES (1, 'one', 1), (2, 'two', 2)")
			before := read(t, target.db, "SELECT id, v, n FROM "+tb+" ORDER BY id")
			unchanged := func(t *testing.T) {
				t.Helper()
				sameRows(t, "target after a failed copy", read(t, target.db, "SELECT id, v, n FROM "+tb+" ORDER BY id"), before)
			}
			fail := func(t *testing.T, src *sql.DB, opt transfer.Options, want ...string) error {
				t.Helper()
				if opt.Table == "" {
					opt.Table = tb
				}
				_, err := transfer.Copy(context.Background(), src, target.db, opt)
				if err == nil {
					t.Fatal("copy succeeded")
				}
				for _, w := range want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
				t.Log(err)
				unchanged(t)
				return err
			}
			pgRows := func(expr string) string {
				// generate_series in the select list yields its rows one
				// by one, in order: an error at row N comes after N-1 rows.
				return "SELECT " + expr + " FROM (SELECT generate_series(1, 3000) AS g) s"
			}

			t.Run("bad-table-name", func(t *testing.T) {
				fail(t, c.pg, transfer.Options{Query: "SELECT 5 AS id", Table: tb + "; DROP TABLE " + tb}, "table name")
				fail(t, c.pg, transfer.Options{Query: "SELECT 5 AS id", Table: tb + "_missing"}, tb+"_missing")
			})
			t.Run("column-missing", func(t *testing.T) {
				fail(t, c.pg, transfer.Options{Query: "SELECT 5 AS id, 'x' AS nope"}, `no column "nope"`)
			})
			t.Run("type-mismatch", func(t *testing.T) {
				fail(t, c.pg, transfer.Options{Query: "SELECT 5::bigint AS id, now() AS n"}, "column n", "cannot be written")
			})
			t.Run("type-mismatch-mid-stream", func(t *testing.T) {
				// SQLite's CASE has no declared type: its values are
				// integers until row 1800 brings a text.
				err := fail(t, lite, transfer.Options{Query: "SELECT id + 10 AS id, 'v' AS v, CASE WHEN id = 1800 THEN 'abc' ELSE id END AS n FROM seq ORDER BY id"}, "row 1800", "column n")
				if le := (*registry.LoadError)(nil); !errors.As(err, &le) || le.Row != 1800 {
					t.Errorf("error %v is not a LoadError at row 1800", err)
				}
			})
			t.Run("value-out-of-range", func(t *testing.T) {
				fail(t, c.pg, transfer.Options{Query: pgRows("g + 10 AS id, CASE WHEN g = 2200 THEN 9999999999 ELSE g END AS n")}, "row 2200")
			})
			t.Run("constraint-violation", func(t *testing.T) {
				// Row 1500 repeats id 1, which the table holds.
				fail(t, c.pg, transfer.Options{Query: pgRows("CASE WHEN g = 1500 THEN 1 ELSE g + 10 END AS id, 'x' AS v")}, target.dupContains)
			})
			t.Run("source-error-mid-stream", func(t *testing.T) {
				// Division by zero at row 2500, after two batches went out.
				fail(t, c.pg, transfer.Options{Query: pgRows("g + 10 AS id, (1 / (g - 2500))::int AS n")}, "division by zero", "the source failed after")
			})
			t.Run("cancel", func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				marker := unique("vap_copy_cancel")
				opt := transfer.Options{
					Query:    "SELECT g + 10 AS id, '" + marker + "' AS v FROM (SELECT generate_series(1, 50000000) AS g) s",
					Table:    tb,
					Progress: func(n int64) { cancel() },
				}
				_, err := transfer.Copy(ctx, c.pg, target.db, opt)
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("error %v, want context.Canceled", err)
				}
				unchanged(t)
				// The source statement stops on the server.
				deadline := time.Now().Add(30 * time.Second)
				for {
					var n int
					if err := c.pgAdmin.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()", marker).Scan(&n); err != nil {
						t.Fatal(err)
					}
					if n == 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("the source statement still runs after the copy was cancelled")
					}
					time.Sleep(50 * time.Millisecond)
				}
			})
			t.Run("create-fails", func(t *testing.T) {
				// A failed copy into a new table leaves no table and no
				// staging table behind.
				name := unique("vap_copy_new")
				dropLater(t, target.admin, name)
				_, err := transfer.Copy(context.Background(), c.pg, target.db, transfer.Options{Query: pgRows("g AS id, (1 / (g - 2500))::int AS n"), Table: name, Create: true})
				if err == nil || !strings.Contains(err.Error(), "division by zero") {
					t.Fatalf("error %v, want division by zero", err)
				}
				var n int
				q := "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '" + name + "%'"
				if err := target.admin.QueryRow(q).Scan(&n); err != nil || n != 0 {
					t.Errorf("%d tables named %s… after a failed create (%v)", n, name, err)
				}
				// And an existing table is not created over.
				_, err = transfer.Copy(context.Background(), c.pg, target.db, transfer.Options{Query: "SELECT 5 AS id", Table: tb, Create: true})
				if err == nil || !strings.Contains(err.Error(), "already exists") {
					t.Errorf("create over an existing table: %v", err)
				}
				unchanged(t)
			})
			if target.name == "mariadb" {
				t.Run("non-transactional-engine", func(t *testing.T) {
					name := unique("vap_copy_myisam")
					dropLater(t, target.admin, name)
					exec(t, target.admin, "CREATE TABLE "+name+" (id BIGINT) ENGINE=MyISAM")
					_, err := transfer.Copy(context.Background(), c.pg, target.db, transfer.Options{Query: "SELECT 1 AS id", Table: name})
					if err == nil || !strings.Contains(err.Error(), "MyISAM engine, which has no transactions") {
						t.Fatalf("copy into a MyISAM table: %v", err)
					}
					var n int
					if err := target.admin.QueryRow("SELECT COUNT(*) FROM " + name).Scan(&n); err != nil || n != 0 {
						t.Errorf("%d rows (%v) in the MyISAM table", n, err)
					}
				})
			}
			t.Run("then-a-good-copy", func(t *testing.T) {
				res, err := transfer.Copy(context.Background(), c.pg, target.db, transfer.Options{Query: pgRows("g + 10 AS id, 'v' || g AS v, g AS n"), Table: tb})
				if err != nil || res.Rows != 3000 {
					t.Fatalf("copy: %+v, %v", res, err)
				}
				var n int
				if err := target.admin.QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", tb)).Scan(&n); err != nil || n != 3002 {
					t.Fatalf("%d rows (%v), want 3002", n, err)
				}
			})
		})
	}
}
