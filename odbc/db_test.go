package odbc

import (
	"context"
	"database/sql"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
)

// TestOdbcToRowsDB runs on *sql.DB handles of the real drivers, opened
// without vap: pgx (fast path) and go-sql-driver/mysql.
func TestOdbcToRowsDB(t *testing.T) {
	cases := []struct {
		name string
		db   func(testing.TB) *sql.DB
		q    string
	}{
		{"pgx", testenv.Postgres, "SELECT 7::int4 AS n, 'a'::text AS s, 1.50::numeric(4,2) AS d, true AS b, NULL::int8 AS z WHERE $1::int = 1"},
		{"mysql", testenv.MySQL, "SELECT CAST(7 AS SIGNED) AS n, 'a' AS s, CAST(1.5 AS DECIMAL(4,2)) AS d, TRUE = TRUE AS b, CAST(NULL AS SIGNED) AS z FROM DUAL WHERE ? = 1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := tc.db(t)
			r, err := OdbcToRowsDB(context.Background(), db, tc.q, 1, MaxRows(5))
			if err != nil {
				t.Fatal(err)
			}
			got := r.Row(0).Values()
			want := []any{int64(7), "a", "1.50", nil, nil}
			for j, w := range want {
				if j == 3 { // TRUE = TRUE is an integer on MySQL, a boolean on PostgreSQL
					continue
				}
				if got[j] != w {
					t.Errorf("column %d: %#v, want %#v", j, got[j], w)
				}
			}
			n := 0
			for row, err := range StreamDB(context.Background(), db, tc.q, 1) {
				if err != nil {
					t.Fatal(err)
				}
				if row.Value(0) != int64(7) {
					t.Errorf("streamed %#v", row.Value(0))
				}
				n++
			}
			if n != 1 {
				t.Errorf("streamed %d rows", n)
			}
		})
	}
}
