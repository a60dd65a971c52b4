package odbc

// Row is one row of a Rows, or the current row of a Stream.
//
// A Row from Stream is valid only until the iteration continues: its Values
// are copies and may be kept, the Row itself may not.
type Row struct {
	rows *Rows
	i    int
}

// Columns returns the result's columns.
func (r Row) Columns() []Column { return r.rows.Columns() }

// Len returns the number of values (columns).
func (r Row) Len() int { return len(r.rows.cols) }

// Value returns the value of column j (nil for NULL).
func (r Row) Value(j int) any { return r.rows.data[j].value(r.i, r.rows.stable) }

// Get returns the value of the first column named name; ok is false when
// there is no such column.
func (r Row) Get(name string) (v any, ok bool) {
	j, ok := r.rows.index[name]
	if !ok {
		return nil, false
	}
	return r.Value(j), true
}

// IsNull reports whether column j is NULL.
func (r Row) IsNull(j int) bool { return r.rows.data[j].isNull(r.i) }

// Values returns the row's values in column order.
func (r Row) Values() []any {
	out := make([]any, len(r.rows.cols))
	for j := range out {
		out[j] = r.Value(j)
	}
	return out
}

// Map returns the row as a map from column name to value.
func (r Row) Map() map[string]any {
	m := make(map[string]any, len(r.rows.cols))
	for j, c := range r.rows.cols {
		m[c.Name] = r.Value(j)
	}
	return m
}
