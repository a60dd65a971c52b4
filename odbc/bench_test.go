package odbc

import (
	"context"
	"database/sql"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vapsql/vap/internal/testenv"
)

// The 1,000,000-row benchmark table (internal/testenv), shared with the
// MySQL benchmark and odbc/arrowrows'.
const (
	benchTable = testenv.BenchTable
	benchRows  = testenv.BenchRows
	benchQuery = testenv.BenchQuery
)

// benchSetup makes sure the PostgreSQL benchTable exists.
func benchSetup(b *testing.B, admin *sql.DB) { testenv.EnsurePGBenchTable(b, admin) }

// BenchmarkPG1M reads the 1M-row table with the floor (COPY TO STDOUT into
// io.Discard), pgx's native Query+Scan, a hand-written database/sql loop,
// the generic database/sql path of odbc, and OdbcToRows, in one run.
func BenchmarkPG1M(b *testing.B) {
	st, name, admin := pgStore(b)
	benchSetup(b, admin)
	ctx := context.Background()

	b.Run("floor_copy", func(b *testing.B) {
		conn, err := pgx.Connect(ctx, testenv.PostgresURL())
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		for b.Loop() {
			if _, err := conn.PgConn().CopyTo(ctx, io.Discard, "COPY ("+benchQuery+") TO STDOUT"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pgx_query_scan", func(b *testing.B) {
		conn, err := pgx.Connect(ctx, testenv.PostgresURL())
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		for b.Loop() {
			var s benchSlices
			rows, err := conn.Query(ctx, benchQuery)
			if err != nil {
				b.Fatal(err)
			}
			var (
				id     int64
				nm     string
				score  float64
				at     time.Time
				amount pgtype.Numeric
				flag   bool
			)
			for rows.Next() {
				if err := rows.Scan(&id, &nm, &score, &at, &amount, &flag); err != nil {
					b.Fatal(err)
				}
				s.add(id, nm, score, at, flag)
				s.nums = append(s.nums, amount)
			}
			if rows.Err() != nil || len(s.ids) != benchRows {
				b.Fatal(rows.Err(), len(s.ids))
			}
		}
	})
	b.Run("sql_scan_loop", func(b *testing.B) { sqlScanLoop(b, "pgx", testenv.PostgresURL()) })
	b.Run("odbc_generic", func(b *testing.B) {
		c := New(WithStore(st), MaxBytes(0))
		c.cfg.generic = true
		defer c.Close()
		for b.Loop() {
			r, err := c.OdbcToRows(ctx, benchQuery, name)
			if err != nil || r.Len() != benchRows {
				b.Fatal(err)
			}
		}
	})
	b.Run("OdbcToRows", func(b *testing.B) {
		c := New(WithStore(st), MaxBytes(0))
		defer c.Close()
		for b.Loop() {
			r, err := c.OdbcToRows(ctx, benchQuery, name)
			if err != nil || r.Len() != benchRows {
				b.Fatal(err)
			}
		}
	})
}

// benchSlices are the typed columns of the hand-written loops.
type benchSlices struct {
	ids     []int64
	names   []string
	scores  []float64
	ats     []time.Time
	amounts []string
	nums    []pgtype.Numeric
	flags   []bool
}

func (s *benchSlices) add(id int64, nm string, score float64, at time.Time, flag bool) {
	s.ids = append(s.ids, id)
	s.names = append(s.names, nm)
	s.scores = append(s.scores, score)
	s.ats = append(s.ats, at)
	s.flags = append(s.flags, flag)
}

// BenchmarkStreamMemory streams 100k and 1M rows of the table and reports
// the peak heap growth while streaming (peak-heap-MB), which stays flat, next
// to the same for a materialized OdbcToRows, which grows with the rows.
func BenchmarkStreamMemory(b *testing.B) {
	st, name, admin := pgStore(b)
	benchSetup(b, admin)
	ctx := context.Background()
	for _, n := range []int{100_000, 1_000_000} {
		q := benchQuery + " LIMIT " + itoa(int64(n))
		b.Run("Stream/rows="+itoa(int64(n)), func(b *testing.B) {
			c := New(WithStore(st))
			defer c.Close()
			var peak uint64
			for b.Loop() {
				base := heapInuse()
				got := 0
				for row, err := range c.Stream(ctx, q, name) {
					if err != nil {
						b.Fatal(err)
					}
					_ = row.Value(1)
					if got++; got%10_000 == 0 {
						if h := heapInuse(); h > base && h-base > peak {
							peak = h - base
						}
					}
				}
				if got != n {
					b.Fatalf("streamed %d rows, want %d", got, n)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
		b.Run("OdbcToRows/rows="+itoa(int64(n)), func(b *testing.B) {
			c := New(WithStore(st))
			defer c.Close()
			var peak uint64
			for b.Loop() {
				base := heapInuse()
				r, err := c.OdbcToRows(ctx, q, name)
				if err != nil || r.Len() != n {
					b.Fatal(err)
				}
				if h := heapInuse(); h > base && h-base > peak {
					peak = h - base
				}
				runtime.KeepAlive(r)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// heapInuse is the bytes in in-use heap spans, after a collection.
func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// sqlScanLoop reads benchQuery with a hand-written database/sql loop into
// typed slices (amount as text), the way a Flow would without odbc.
func sqlScanLoop(b *testing.B, driverName, dsn string) {
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for b.Loop() {
		var s benchSlices
		rows, err := db.QueryContext(ctx, benchQuery)
		if err != nil {
			b.Fatal(err)
		}
		var (
			id     int64
			nm     string
			score  float64
			at     time.Time
			amount string
			flag   bool
		)
		for rows.Next() {
			if err := rows.Scan(&id, &nm, &score, &at, &amount, &flag); err != nil {
				b.Fatal(err)
			}
			s.add(id, nm, score, at, flag)
			s.amounts = append(s.amounts, amount)
		}
		if rows.Err() != nil || len(s.ids) != benchRows {
			b.Fatal(rows.Err(), len(s.ids))
		}
	}
}
