package odbc

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"testing"

	"github.com/vapsql/vap/coltype"
	"github.com/vapsql/vap/registry"
)

// jsonRows is a driver result of one JSON column (a server's complex
// values as text) holding vals.
type jsonRows struct {
	vals []any
	i    int
}

func (r *jsonRows) Columns() []string                     { return []string{"c"} }
func (r *jsonRows) Close() error                          { return nil }
func (r *jsonRows) ColumnTypeDatabaseTypeName(int) string { return "ARRAY" }
func (r *jsonRows) Next(dest []driver.Value) error {
	if r.i == len(r.vals) {
		return io.EOF
	}
	dest[0] = r.vals[r.i]
	r.i++
	return nil
}

// TestJSONColumnChecked checks that a JSON column's values are kept as
// they are when valid and that one that is not valid JSON fails the
// result with a ConvertError naming its column and row, never silently.
func TestJSONColumnChecked(t *testing.T) {
	typ := &registry.Type{Columns: func(coltype.Info) coltype.Spec {
		return coltype.Spec{Kind: coltype.String, JSON: true, Scale: -1}
	}}
	b := &builder{}
	if err := readRaw(context.Background(), &jsonRows{vals: []any{`[1,"a"]`, nil, []byte(`{"k":[]}`)}}, typ, b); err != nil {
		t.Fatal(err)
	}
	if col := b.rows.Columns()[0]; col.Kind != KindString || !col.JSON {
		t.Errorf("column %+v, want a JSON string column", col)
	}
	if got := []any{b.rows.Value(0, 0), b.rows.Value(1, 0), b.rows.Value(2, 0)}; got[0] != `[1,"a"]` || got[1] != nil || got[2] != `{"k":[]}` {
		t.Errorf("values %q", got)
	}

	for _, bad := range []any{`[1,`, `[NaN]`, `{"d":2024-01-02}`, []byte("")} {
		err := readRaw(context.Background(), &jsonRows{vals: []any{`[]`, bad}}, typ, &builder{})
		var ce *ConvertError
		if !errors.As(err, &ce) || ce.Column != "c" || ce.Row != 1 {
			t.Errorf("%q: %v, want a ConvertError for column c, row 1", bad, err)
		}
	}
}
