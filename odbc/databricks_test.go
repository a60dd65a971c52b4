package odbc

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vapsql/vap/internal/testenv"
)

// TestDatabricksTypes runs one expression of every Spark type the local
// warehouse peer reports through databricks-sql-go v1.14.0 and a stored
// databricks connection, and checks the normalized kind and Go value: the
// driver's int8, int16, int32 and float32 widen to int64 and float64,
// DECIMAL's text stays exact, DATE and TIMESTAMP are UTC times.
func TestDatabricksTypes(t *testing.T) {
	st := testenv.Store(t)
	testenv.Put(t, st, "dbx", "databricks", databricksFields(t))
	c := New(WithStore(st))
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	cases := []struct {
		name   string
		expr   string
		args   []any
		dbType string
		kind   Kind
		want   any
	}{
		{"tinyint", "CAST(-128 AS TINYINT)", nil, "TINYINT", KindInt64, int64(-128)},
		{"smallint", "CAST(-32768 AS SMALLINT)", nil, "SMALLINT", KindInt64, int64(-32768)},
		{"int", "CAST(2147483647 AS INT)", nil, "INT", KindInt64, int64(2147483647)},
		{"bigint", "CAST(-9223372036854775808 AS BIGINT)", nil, "BIGINT", KindInt64, int64(-9223372036854775808)},
		{"int parameter", "CAST(? AS INT)", []any{int64(41)}, "INT", KindInt64, int64(41)},
		{"float", "CAST(0.1 AS FLOAT)", nil, "FLOAT", KindFloat64, 0.1},
		{"float parameter", "CAST(? AS FLOAT)", []any{float32(-2.75)}, "FLOAT", KindFloat64, -2.75},
		{"double", "CAST(0.1 AS DOUBLE)", nil, "DOUBLE", KindFloat64, 0.1},
		{"decimal", "CAST(12345678.91 AS DECIMAL(12,2))", nil, "DECIMAL", KindDecimal, "12345678.91"},
		{"decimal scale padded", "CAST(5 AS DECIMAL(10,3))", nil, "DECIMAL", KindDecimal, "5.000"},
		{"decimal negative", "CAST(-0.05 AS DECIMAL(4,2))", nil, "DECIMAL", KindDecimal, "-0.05"},
		{"boolean", "TRUE", nil, "BOOLEAN", KindBool, true},
		{"boolean parameter", "CAST(? AS BOOLEAN)", []any{false}, "BOOLEAN", KindBool, false},
		{"string", "CAST('héllo' AS STRING)", nil, "STRING", KindString, "héllo"},
		{"binary", "X'00FF10'", nil, "BINARY", KindBytes, []byte{0, 0xff, 0x10}},
		{"date", "DATE '2024-02-29'", nil, "DATE", KindTime, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{"timestamp", "TIMESTAMP '2024-02-29 13:14:15.123456'", nil, "TIMESTAMP", KindTime, time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)},
		{"timestamp parameter", "CAST(? AS TIMESTAMP)", []any{time.Date(2024, 2, 29, 8, 14, 15, 0, time.FixedZone("EST", -5*3600))}, "TIMESTAMP", KindTime, time.Date(2024, 2, 29, 13, 14, 15, 0, time.UTC)},
		{"typed null", "CAST(NULL AS INT)", nil, "INT", KindInt64, nil},
		{"bare null", "NULL", nil, "NULL", KindNull, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := c.OdbcToRows(ctx, "SELECT "+tc.expr+" AS v", "dbx", tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			if rows.Len() != 1 || len(rows.Columns()) != 1 {
				t.Fatalf("%d rows × %d columns, want 1 × 1", rows.Len(), len(rows.Columns()))
			}
			col := rows.Columns()[0]
			if col.DatabaseType != tc.dbType || col.Kind != tc.kind {
				t.Errorf("column %s %s, want %s %s", col.DatabaseType, col.Kind, tc.dbType, tc.kind)
			}
			if got := rows.Value(0, 0); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v (%T), want %#v (%T)", got, got, tc.want, tc.want)
			}
		})
	}
}
