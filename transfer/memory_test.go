package transfer_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/vapsql/vap/transfer"
)

// TestMemoryFlat copies 150,000 rows of about 120 bytes (18 MB of values)
// PostgreSQL → MariaDB and samples the heap after every batch: it stays
// within a few batches' worth, not the result's size.
func TestMemoryFlat(t *testing.T) {
	c := open(t, "pg", "my")
	tb := unique("vap_copy_mem")
	dropLater(t, c.myAdmin, tb)
	const rows = 150_000
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	calls := 0
	res, err := transfer.Copy(context.Background(), c.pg, c.my, transfer.Options{
		Query:  "SELECT g AS id, repeat(md5(g::text), 3) || 'ü' AS v, g * 0.5 AS f FROM (SELECT generate_series(1, 150000) AS g) s",
		Table:  tb,
		Create: true,
		Progress: func(int64) {
			calls++
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != rows || calls < 100 {
		t.Fatalf("%+v after %d progress calls", res, calls)
	}
	grown := int64(peak) - int64(base)
	t.Logf("heap grew by %.1f MiB at most while copying %d rows", float64(grown)/(1<<20), rows)
	if grown > 12<<20 {
		t.Errorf("heap grew by %d MiB copying %d rows: memory follows the rows", grown>>20, rows)
	}
}
