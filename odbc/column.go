package odbc

import (
	"time"
	"unsafe"
)

// Column describes one result column.
type Column struct {
	// Name is the column's name as the database reports it.
	Name string `json:"name"`
	// DatabaseType is the driver's type name ("INT8", "VARCHAR", "NUMBER"…).
	DatabaseType string `json:"database_type"`
	// Kind is the normalized kind of the column's values.
	Kind Kind `json:"kind"`
	// Nullable is false only when the driver reports the column NOT NULL.
	Nullable bool `json:"nullable"`
	// JSON marks a KindString column whose values are JSON text, each
	// checked to be valid JSON: Databricks' ARRAY, MAP and STRUCT (see
	// "Complex types" in the package doc).
	JSON bool `json:"json,omitempty"`
	// Precision and Scale are a KindDecimal column's total and fractional
	// digits, as the driver declares them (NUMERIC(12,2): 12 and 2).
	// Precision is 0 when unknown, Scale -1; both are 0 for other kinds.
	Precision int `json:"precision,omitempty"`
	Scale     int `json:"scale,omitempty"`
	// Time says what a KindTime column holds: a date, a time of day, or a
	// timestamp with or without a time zone; empty when unknown.
	Time TimeType `json:"time,omitempty"`
}

// TimeType is what the values of a KindTime column stand for. They are all
// time.Time in UTC (see Kind); TimeType keeps what the database meant.
type TimeType string

// The time types.
const (
	// TimeDate is a calendar date (DATE; Oracle's DATE, which has a time
	// of day, is a TimeTimestamp): midnight UTC.
	TimeDate TimeType = "date"
	// TimeOfDay is a time of day (TIME): January 1 of year 0, UTC.
	TimeOfDay TimeType = "time"
	// TimeTimestamp is a timestamp without a time zone (TIMESTAMP,
	// DATETIME): its wall clock, in UTC.
	TimeTimestamp TimeType = "timestamp"
	// TimeTimestampTZ is a point in time (TIMESTAMPTZ, DATETIMEOFFSET,
	// Databricks' TIMESTAMP), converted to UTC.
	TimeTimestampTZ TimeType = "timestamptz"
)

// colData stores one column: a typed slice for the column's kind and a
// NULL bitmap. A NULL stores the kind's zero value. Strings, decimals and
// byte slices share one byte arena, value i being data[ends[i-1]:ends[i]].
type colData struct {
	kind  Kind
	n     int
	nulls []uint64 // bit i set: row i is NULL; empty until the first NULL
	i64   []int64
	f64   []float64
	bools []bool
	times []time.Time
	data  []byte
	ends  []int
	anys  []any
}

func (c *colData) setNull() {
	w := c.n >> 6
	if w >= len(c.nulls) {
		c.nulls = append(c.nulls, make([]uint64, w+1-len(c.nulls))...)
	}
	c.nulls[w] |= 1 << (c.n & 63)
}

func (c *colData) isNull(i int) bool {
	w := i >> 6
	return w < len(c.nulls) && c.nulls[w]&(1<<(i&63)) != 0
}

func (c *colData) hasNulls() bool { return len(c.nulls) > 0 }

// appendNull appends a NULL.
func (c *colData) appendNull() {
	c.setNull()
	switch c.kind {
	case KindInt64:
		c.i64 = append(c.i64, 0)
	case KindFloat64:
		c.f64 = append(c.f64, 0)
	case KindBool:
		c.bools = append(c.bools, false)
	case KindTime:
		c.times = append(c.times, time.Time{})
	case KindDecimal, KindString, KindBytes:
		c.ends = append(c.ends, len(c.data))
	case KindAny:
		c.anys = append(c.anys, nil)
	}
	c.n++
}

func (c *colData) appendInt64(v int64) {
	if len(c.i64) == cap(c.i64) {
		c.i64 = grow(c.i64, 1)
	}
	c.i64 = append(c.i64, v)
	c.n++
}

func (c *colData) appendFloat64(v float64) {
	if len(c.f64) == cap(c.f64) {
		c.f64 = grow(c.f64, 1)
	}
	c.f64 = append(c.f64, v)
	c.n++
}

func (c *colData) appendBool(v bool) {
	if len(c.bools) == cap(c.bools) {
		c.bools = grow(c.bools, 1)
	}
	c.bools = append(c.bools, v)
	c.n++
}

func (c *colData) appendTime(v time.Time) {
	if len(c.times) == cap(c.times) {
		c.times = grow(c.times, 1)
	}
	c.times = append(c.times, v)
	c.n++
}

func (c *colData) appendBytes(b []byte) {
	if len(c.data)+len(b) > cap(c.data) {
		c.data = grow(c.data, len(b))
	}
	c.data = append(c.data, b...)
	c.endValue()
}

func (c *colData) appendString(s string) {
	if len(c.data)+len(s) > cap(c.data) {
		c.data = grow(c.data, len(s))
	}
	c.data = append(c.data, s...)
	c.endValue()
}

// endValue ends a var-length value written to the arena.
func (c *colData) endValue() {
	if len(c.ends) == cap(c.ends) {
		c.ends = grow(c.ends, 1)
	}
	c.ends = append(c.ends, len(c.data))
	c.n++
}

// grow returns s with room for at least n more elements, doubling its
// capacity: append grows large slices by about 1.25×, which for a
// million-row column allocates (and copies) five times the final size.
func grow[T any](s []T, n int) []T {
	ns := make([]T, len(s), max(2*cap(s), len(s)+n, 64))
	copy(ns, s)
	return ns
}

func (c *colData) appendAny(v any) { c.anys = append(c.anys, v); c.n++ }

// raw returns value i of a var-length column, aliasing the arena.
func (c *colData) raw(i int) []byte {
	start := 0
	if i > 0 {
		start = c.ends[i-1]
	}
	return c.data[start:c.ends[i]:c.ends[i]]
}

// str returns value i of a var-length column as a string: sharing the arena
// when stable (the arena is never written again), a copy otherwise.
func (c *colData) str(i int, stable bool) string {
	b := c.raw(i)
	if stable {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return string(b)
}

// value returns row i as its kind's Go type, or nil for NULL.
func (c *colData) value(i int, stable bool) any {
	if c.isNull(i) {
		return nil
	}
	switch c.kind {
	case KindInt64:
		return c.i64[i]
	case KindFloat64:
		return c.f64[i]
	case KindBool:
		return c.bools[i]
	case KindTime:
		return c.times[i]
	case KindDecimal, KindString:
		return c.str(i, stable)
	case KindBytes:
		b := c.raw(i)
		if stable {
			return b
		}
		return append([]byte(nil), b...)
	case KindAny:
		return c.anys[i]
	}
	return nil
}

// size is the column's data size as MaxBytes counts it.
func (c *colData) size() int64 {
	switch c.kind {
	case KindInt64, KindFloat64:
		return int64(c.n) * 8
	case KindBool:
		return int64(c.n)
	case KindTime:
		return int64(c.n) * 24
	case KindDecimal, KindString, KindBytes:
		return int64(len(c.data)) + int64(c.n)*8
	case KindAny:
		return int64(c.n) * 16
	}
	return 0
}

// reset empties the column, keeping its buffers.
func (c *colData) reset() {
	c.n = 0
	c.nulls = c.nulls[:0] // setNull appends zeroed words
	c.i64, c.f64, c.bools, c.times = c.i64[:0], c.f64[:0], c.bools[:0], c.times[:0]
	c.data, c.ends = c.data[:0], c.ends[:0]
	clear(c.anys)
	c.anys = c.anys[:0]
}

// setKind gives a column of KindNull (unknown type, only NULLs so far) its
// kind, storing zero values for the NULLs seen.
func (c *colData) setKind(k Kind) {
	n := c.n
	c.kind = k
	switch k {
	case KindInt64:
		c.i64 = make([]int64, n, max(n, 16))
	case KindFloat64:
		c.f64 = make([]float64, n, max(n, 16))
	case KindBool:
		c.bools = make([]bool, n, max(n, 16))
	case KindTime:
		c.times = make([]time.Time, n, max(n, 16))
	case KindDecimal, KindString, KindBytes:
		c.ends = make([]int, n, max(n, 16))
	case KindAny:
		c.anys = make([]any, n, max(n, 16))
	}
}

// toAny turns the column into KindAny, keeping its values (copied out of
// the arena).
func (c *colData) toAny() {
	vals := make([]any, c.n, max(c.n, 16))
	for i := range c.n {
		vals[i] = c.value(i, false)
	}
	*c = colData{kind: KindAny, n: c.n, nulls: c.nulls, anys: vals}
}
