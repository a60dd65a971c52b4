package arrowrows_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/vapsql/vap/internal/testenv"
	"github.com/vapsql/vap/odbc"
	"github.com/vapsql/vap/odbc/arrowrows"
)

// The odbc benchmark's table (internal/testenv, odbc/testdata/BENCH.md).
const (
	benchTable = testenv.BenchTable
	benchRows  = testenv.BenchRows
	benchQuery = testenv.BenchQuery
)

func benchSetup(b *testing.B, admin *sql.DB) { testenv.EnsurePGBenchTable(b, admin) }

// BenchmarkPG1MFiles reads the 1M-row table with OdbcToRows alone (the
// baseline) and streams it into a Parquet (snappy), Arrow IPC file and
// Arrow IPC stream file on disk, in one run: the ratio file / OdbcToRows is
// what writing a file costs over reading the result.
func BenchmarkPG1MFiles(b *testing.B) {
	c, _ := pgClient(b)
	benchSetup(b, testenv.Postgres(b))
	ctx := context.Background()
	dir := b.TempDir()
	b.Run("OdbcToRows", func(b *testing.B) {
		for b.Loop() {
			r, err := c.OdbcToRows(ctx, benchQuery, "pg", odbc.MaxBytes(0))
			if err != nil || r.Len() != benchRows {
				b.Fatal(err)
			}
		}
	})
	for _, f := range arrowrows.Formats {
		b.Run(string(f), func(b *testing.B) {
			path := filepath.Join(dir, "bench."+string(f))
			for b.Loop() {
				out, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				n, err := arrowrows.WriteFile(out, f, c.StreamBatches(ctx, benchQuery, "pg", odbc.MaxBytes(0)), nil)
				if err != nil || n != benchRows {
					b.Fatal(n, err)
				}
				if err := out.Close(); err != nil {
					b.Fatal(err)
				}
			}
			if fi, err := os.Stat(path); err == nil {
				b.ReportMetric(float64(fi.Size())/(1<<20), "file-MB")
			}
		})
	}
}

// BenchmarkFileMemory streams 100k, 300k and 1M rows of the table into a Parquet
// file and reports the peak heap growth while writing (sampled after a
// collection every 10k rows): it stays flat in the row count, bounded by a
// row group.
func BenchmarkFileMemory(b *testing.B) {
	c, _ := pgClient(b)
	benchSetup(b, testenv.Postgres(b))
	ctx := context.Background()
	dir := b.TempDir()
	for _, n := range []int{100_000, 300_000, 1_000_000} {
		for _, f := range []arrowrows.Format{arrowrows.Parquet, arrowrows.ArrowStream} {
			b.Run(string(f)+"/rows="+strconv.Itoa(n), func(b *testing.B) {
				var peak uint64
				for b.Loop() {
					base := heapInuse()
					seen := 0
					batches := func(yield func(*odbc.Rows, error) bool) {
						for r, err := range c.StreamBatches(ctx, benchQuery+" LIMIT "+strconv.Itoa(n), "pg", odbc.MaxBytes(0)) {
							if r != nil {
								if seen += r.Len(); seen%10_240 == 0 {
									if h := heapInuse(); h > base && h-base > peak {
										peak = h - base
									}
								}
							}
							if !yield(r, err) {
								return
							}
						}
					}
					out, err := os.Create(filepath.Join(dir, "mem."+string(f)))
					if err != nil {
						b.Fatal(err)
					}
					if got, err := arrowrows.WriteFile(out, f, batches, nil); err != nil || got != int64(n) {
						b.Fatal(got, err)
					}
					out.Close()
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			})
		}
	}
}

// heapInuse is the bytes in in-use heap spans, after a collection.
func heapInuse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
