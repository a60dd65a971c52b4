package conformance

import (
	"fmt"
	"runtime"
)

// streamRows is the size of the streamed result; each row carries about 200
// bytes, so holding the result would take more than 20 MB.
const streamRows = 100_000

// streamSlack is the heap growth allowed while reading: drivers' buffers and
// a few rows in flight, far below the size of the whole result.
const streamSlack = 8 << 20

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// checkStream reads 100,000 rows, scanning each into Go values, and samples
// the live heap five times while reading. A driver that buffered the result
// would hold it all at the first sample. The measurement is process-wide:
// run it where nothing else allocates in parallel (the package's tests run
// their targets one after another).
func checkStream(e *env) outcome {
	q := e.d.Series(streamRows)
	base := heapInUse()
	rows, err := e.db.QueryContext(e.ctx, q)
	if err != nil {
		return failErr("series query", e.observe(err))
	}
	defer rows.Close()
	var n, sum, peak int64
	for rows.Next() {
		var i int64
		var s string
		if err := rows.Scan(&i, &s); err != nil {
			return failErr("scan", e.observe(err))
		}
		n++
		sum += i
		if len(s) < 200 {
			return fail(fmt.Sprintf("row %d: payload of %d bytes, want 200", n, len(s)))
		}
		if n%(streamRows/5) == 1 || n == streamRows-1 {
			if h := int64(heapInUse()) - int64(base); h > peak {
				peak = h
			}
		}
	}
	if err := rows.Err(); err != nil {
		return failErr("reading rows", e.observe(err))
	}
	want := int64(streamRows) * (streamRows + 1) / 2
	if n != streamRows || sum != want {
		return fail(fmt.Sprintf("read %d rows summing to %d, want %d rows summing to %d", n, sum, streamRows, want))
	}
	if peak > streamSlack {
		return fail(fmt.Sprintf("live heap grew by %d KiB while reading (allowed %d KiB): the result is being buffered", peak>>10, streamSlack>>10))
	}
	return pass(fmt.Sprintf("%d rows, live heap grew at most %d KiB", n, max(peak, 0)>>10))
}
