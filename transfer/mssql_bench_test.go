package transfer_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/peer/tdspeer"
	"github.com/vapsql/vap/transfer"
)

// BenchmarkMSSQLPeerCopy copies 20,000 rows SQLite → the SQL Server peer
// by bulk copy and, on a peer refusing INSERT BULK, by multi-row INSERTs,
// side by side in one run.
func BenchmarkMSSQLPeerCopy(b *testing.B) {
	const user, password, rows = "bench", "bench-peer-password", 20000
	st := testenv.Store(b)
	testenv.Put(b, st, "lite", "sqlite", map[string]string{"path": filepath.Join(b.TempDir(), "bench.db")})
	lite := testenv.OpenDB(b, st, "lite")
	if _, err := lite.Exec(`CREATE TABLE src (id INTEGER, f REAL, s TEXT, ts DATETIME);
		WITH RECURSIVE q(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM q WHERE x < ` + strconv.Itoa(rows) + `)
		INSERT INTO src SELECT x, x * 0.5, 'row ' || x, '2024-01-01 00:00:00' FROM q`); err != nil {
		b.Fatal(err)
	}
	for _, m := range []struct {
		name   string
		noBulk bool
		method string
	}{{"bulk-copy", false, "bulk copy"}, {"insert", true, "INSERT"}} {
		b.Run(m.name, func(b *testing.B) {
			p, err := tdspeer.Start(tdspeer.Config{User: user, Password: password, NoBulkLoad: m.noBulk})
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			st := testenv.Store(b)
			testenv.Put(b, st, "ms", "mssql", map[string]string{
				"host": p.Host(), "port": strconv.Itoa(p.Port()), "user_name": user, "password": password,
				"dbname": p.Database(), "options.certificate": p.CAFile(),
			})
			ms := testenv.OpenDB(b, st, "ms")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := transfer.Copy(context.Background(), lite, ms, transfer.Options{
					Query: "SELECT id, f, s, ts FROM src", Table: "dst" + strconv.Itoa(i), Create: true})
				if err != nil || res.Rows != rows || res.Method != m.method {
					b.Fatalf("%+v, %v", res, err)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
