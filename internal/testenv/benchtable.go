package testenv

import (
	"context"
	"database/sql"
	"strconv"
	"testing"
)

// The 1,000,000-row table the odbc, odbc/arrowrows and transfer benchmarks
// read (odbc/testdata/BENCH.md): bigint, text (md5), double precision,
// timestamptz, numeric(12,2), boolean.
const (
	BenchTable = "odbc_bench_1m"
	BenchRows  = 1_000_000
	BenchQuery = "SELECT id, name, score, at, amount, flag FROM " + BenchTable
)

// EnsurePGBenchTable makes sure BenchTable exists on admin's PostgreSQL
// server with BenchRows rows, creating it under an advisory lock so that
// benchmarks of several packages run at once create it once.
func EnsurePGBenchTable(tb testing.TB, admin *sql.DB) {
	tb.Helper()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(4004)"); err != nil {
		tb.Fatal(err)
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(4004)")
	var n int64
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+BenchTable).Scan(&n); err == nil && n == BenchRows {
		return
	}
	tb.Logf("creating %s (%d rows)", BenchTable, BenchRows)
	for _, q := range []string{
		"DROP TABLE IF EXISTS " + BenchTable,
		`CREATE TABLE ` + BenchTable + ` AS
		 SELECT i::bigint AS id,
		        md5(i::text) AS name,
		        i * 1.5::float8 / 7 AS score,
		        timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second' AS at,
		        ((i::bigint * 7919) % 100000000 / 100.0)::numeric(12,2) AS amount,
		        i % 3 = 0 AS flag
		 FROM generate_series(1, ` + strconv.Itoa(BenchRows) + `) AS i`,
		"VACUUM ANALYZE " + BenchTable,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			tb.Fatal(err)
		}
	}
}
