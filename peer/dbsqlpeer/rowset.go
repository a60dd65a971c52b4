package dbsqlpeer

import (
	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// column is one result column: its name and Spark type.
type column struct {
	name string
	typ  sparkType
}

// schema is the TTableSchema of a result.
func schema(cols []column) *tcli.TTableSchema {
	descs := make([]*tcli.TColumnDesc, len(cols))
	for i, c := range cols {
		descs[i] = &tcli.TColumnDesc{ColumnName: c.name, TypeDesc: c.typ.typeDesc(), Position: int32(i + 1)}
	}
	return &tcli.TTableSchema{Columns: descs}
}

// rowSet builds the column-based TRowSet of rows (converted values, see
// convert) starting at row number start. Each column carries its values and
// a NULL bitmap, bit i (least significant first) set when row i is NULL.
func rowSet(cols []column, rows [][]any, start int64) *tcli.TRowSet {
	set := &tcli.TRowSet{StartRowOffset: start, Rows: []*tcli.TRow{}, Columns: make([]*tcli.TColumn, len(cols))}
	n := len(rows)
	for c, col := range cols {
		nulls := make([]byte, (n+7)/8)
		isNull := func(r int) bool {
			if rows[r][c] == nil {
				nulls[r/8] |= 1 << (r % 8)
				return true
			}
			return false
		}
		tc := &tcli.TColumn{}
		switch col.typ.id {
		case tcli.TTypeId_BOOLEAN_TYPE:
			vals := make([]bool, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = rows[r][c].(bool)
				}
			}
			tc.BoolVal = &tcli.TBoolColumn{Values: vals, Nulls: nulls}
		case tcli.TTypeId_TINYINT_TYPE:
			vals := make([]int8, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = int8(rows[r][c].(int64))
				}
			}
			tc.ByteVal = &tcli.TByteColumn{Values: vals, Nulls: nulls}
		case tcli.TTypeId_SMALLINT_TYPE:
			vals := make([]int16, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = int16(rows[r][c].(int64))
				}
			}
			tc.I16Val = &tcli.TI16Column{Values: vals, Nulls: nulls}
		case tcli.TTypeId_INT_TYPE:
			vals := make([]int32, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = int32(rows[r][c].(int64))
				}
			}
			tc.I32Val = &tcli.TI32Column{Values: vals, Nulls: nulls}
		case tcli.TTypeId_BIGINT_TYPE:
			vals := make([]int64, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = rows[r][c].(int64)
				}
			}
			tc.I64Val = &tcli.TI64Column{Values: vals, Nulls: nulls}
		case tcli.TTypeId_FLOAT_TYPE, tcli.TTypeId_DOUBLE_TYPE:
			vals := make([]float64, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = rows[r][c].(float64)
				}
			}
			tc.DoubleVal = &tcli.TDoubleColumn{Values: vals, Nulls: nulls}
		case tcli.TTypeId_BINARY_TYPE:
			vals := make([][]byte, n)
			for r := range rows {
				if !isNull(r) {
					vals[r] = rows[r][c].([]byte)
				} else {
					vals[r] = []byte{}
				}
			}
			tc.BinaryVal = &tcli.TBinaryColumn{Values: vals, Nulls: nulls}
		default: // STRING, DECIMAL, DATE, TIMESTAMP, NULL: text; ARRAY, MAP, STRUCT: JSON text
			vals := make([]string, n)
			for r := range rows {
				if !isNull(r) {
					if col.typ.isComplex() {
						vals[r] = jsonText(col.typ, rows[r][c])
					} else {
						vals[r] = rows[r][c].(string)
					}
				}
			}
			tc.StringVal = &tcli.TStringColumn{Values: vals, Nulls: nulls}
		}
		set.Columns[c] = tc
	}
	return set
}
