package odbc

import (
	"fmt"
	"time"
	"unsafe"
)

// Rows is a materialized query result stored by column: one typed slice per
// column and a NULL mask. It is immutable and safe for concurrent reads.
//
// The slices returned by the typed accessors (Int64s, Strings…) share the
// result's storage: do not modify them. A NULL reads as the zero value there;
// Nulls tells NULLs apart.
type Rows struct {
	cols   []Column
	data   []colData
	n      int
	index  map[string]int // first column of each name
	stable bool           // the arenas are never written again
}

func newRows(cols []Column) *Rows {
	r := &Rows{cols: cols, data: make([]colData, len(cols)), index: make(map[string]int, len(cols))}
	for i, c := range cols {
		r.data[i].kind = c.Kind
		if _, dup := r.index[c.Name]; !dup {
			r.index[c.Name] = i
		}
	}
	return r
}

// Len returns the number of rows.
func (r *Rows) Len() int { return r.n }

// Columns returns the columns, in result order. Their Kind is final: a
// column of unknown type reports the kind its values took.
func (r *Rows) Columns() []Column {
	out := make([]Column, len(r.cols))
	copy(out, r.cols)
	for i := range out {
		out[i].Kind = r.data[i].kind
	}
	return out
}

// ColumnIndex returns the position of the first column named name, or -1.
func (r *Rows) ColumnIndex(name string) int {
	if i, ok := r.index[name]; ok {
		return i
	}
	return -1
}

// Row returns row i (0 <= i < Len()); it panics on an index out of range,
// as a slice does.
func (r *Rows) Row(i int) Row {
	if i < 0 || i >= r.n {
		panic(fmt.Sprintf("odbc: row index %d out of range [0:%d]", i, r.n))
	}
	return Row{rows: r, i: i}
}

// Value returns the value at row i and column j as its kind's Go type (nil
// for NULL). It panics on an index out of range.
func (r *Rows) Value(i, j int) any {
	if i < 0 || i >= r.n {
		panic(fmt.Sprintf("odbc: row index %d out of range [0:%d]", i, r.n))
	}
	return r.data[j].value(i, r.stable)
}

// IsNull reports whether the value at row i and column j is NULL.
func (r *Rows) IsNull(i, j int) bool { return r.data[j].isNull(i) }

// Records returns every row as a map from column name to value, the shape of
// pandas' to_dict("records"). With duplicate column names the last wins.
func (r *Rows) Records() []map[string]any {
	out := make([]map[string]any, r.n)
	for i := range out {
		m := make(map[string]any, len(r.cols))
		for j, c := range r.cols {
			m[c.Name] = r.data[j].value(i, r.stable)
		}
		out[i] = m
	}
	return out
}

func (r *Rows) column(name string, want Kind) (*colData, error) {
	j, ok := r.index[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoColumn, name)
	}
	c := &r.data[j]
	if c.kind != want && c.kind != KindNull {
		return nil, &KindError{Column: name, Kind: c.kind, Want: want}
	}
	if c.kind == KindNull { // every value NULL: zero values
		return &colData{kind: want, n: r.n}, nil
	}
	return c, nil
}

// Int64s returns column name's values. The column must be KindInt64.
func (r *Rows) Int64s(name string) ([]int64, error) {
	c, err := r.column(name, KindInt64)
	if err != nil {
		return nil, err
	}
	if c.i64 == nil {
		return make([]int64, r.n), nil
	}
	return c.i64[:r.n:r.n], nil
}

// Float64s returns column name's values. The column must be KindFloat64.
func (r *Rows) Float64s(name string) ([]float64, error) {
	c, err := r.column(name, KindFloat64)
	if err != nil {
		return nil, err
	}
	if c.f64 == nil {
		return make([]float64, r.n), nil
	}
	return c.f64[:r.n:r.n], nil
}

// Bools returns column name's values. The column must be KindBool.
func (r *Rows) Bools(name string) ([]bool, error) {
	c, err := r.column(name, KindBool)
	if err != nil {
		return nil, err
	}
	if c.bools == nil {
		return make([]bool, r.n), nil
	}
	return c.bools[:r.n:r.n], nil
}

// Times returns column name's values, in UTC. The column must be KindTime.
func (r *Rows) Times(name string) ([]time.Time, error) {
	c, err := r.column(name, KindTime)
	if err != nil {
		return nil, err
	}
	if c.times == nil {
		return make([]time.Time, r.n), nil
	}
	return c.times[:r.n:r.n], nil
}

// Strings returns column name's values. The column must be KindString. The
// strings share the result's storage (no copy).
func (r *Rows) Strings(name string) ([]string, error) {
	c, err := r.column(name, KindString)
	if err != nil {
		return nil, err
	}
	return r.strings(c), nil
}

// Decimals returns column name's exact decimal texts ("12.50"). The column
// must be KindDecimal.
func (r *Rows) Decimals(name string) ([]string, error) {
	c, err := r.column(name, KindDecimal)
	if err != nil {
		return nil, err
	}
	return r.strings(c), nil
}

func (r *Rows) strings(c *colData) []string {
	out := make([]string, r.n)
	if c.ends == nil {
		return out
	}
	start := 0
	for i, end := range c.ends[:r.n] {
		if end > start {
			out[i] = unsafe.String(&c.data[start], end-start)
		}
		start = end
	}
	return out
}

// Bytes returns column name's values, sharing the result's storage (nil for
// NULL). The column must be KindBytes.
func (r *Rows) Bytes(name string) ([][]byte, error) {
	c, err := r.column(name, KindBytes)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, r.n)
	if c.ends == nil {
		return out, nil
	}
	for i := range out {
		if !c.isNull(i) {
			out[i] = c.raw(i)
		}
	}
	return out, nil
}

// Nulls returns, for column name, whether each row is NULL.
func (r *Rows) Nulls(name string) ([]bool, error) {
	j, ok := r.index[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoColumn, name)
	}
	out := make([]bool, r.n)
	c := &r.data[j]
	if c.hasNulls() {
		for i := range out {
			out[i] = c.isNull(i)
		}
	}
	return out, nil
}
