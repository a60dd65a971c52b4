package mysql

import (
	"database/sql"
	"database/sql/driver"
	"reflect"

	"github.com/vapsql/vap/coltype"
)

// Columns classifies MySQL/MariaDB result columns: TINYINT(1) and BIT(1)
// (display length 1, see DescribeColumns) are booleans, a wider BIT is an
// integer given as big-endian bytes; the rest as coltype.Classify.
func Columns(i coltype.Info) coltype.Spec {
	switch name, _ := coltype.Split(i.Name); {
	case (name == "TINYINT" || name == "BIT") && i.Length == 1:
		return coltype.Spec{Kind: coltype.Bool, Bit: name == "BIT", Scale: -1}
	case name == "BIT":
		return coltype.Spec{Kind: coltype.Int64, Bit: true, Scale: -1}
	}
	return coltype.Classify(i)
}

// DescribeColumns sets each column's display length, which tells
// TINYINT(1) (MySQL's BOOLEAN) from TINYINT. go-sql-driver/mysql keeps it
// unexported (its ColumnTypeLength is commented out), so it is read by
// reflection from the driver's rows; TestDescribeColumnsDriverLayout pins that layout in a
// test, so a driver upgrade that moves it fails loudly. If the layout is
// not the expected one the lengths stay unknown and TINYINT(1) reads as an
// integer.
func DescribeColumns(rows *sql.Rows, cols []coltype.Info) {
	if rows != nil {
		setLengths(resultLengths(reflect.ValueOf(rows).Elem().FieldByName("rowsi"), len(cols)), cols)
	}
}

// DescribeDriverColumns is DescribeColumns on go-sql-driver/mysql's own
// rows (a driver.Rows its connection returned), the same display lengths
// read the same way.
func DescribeDriverColumns(rows driver.Rows, cols []coltype.Info) {
	setLengths(resultLengths(reflect.ValueOf(rows), len(cols)), cols)
}

func setLengths(lengths []int64, cols []coltype.Info) {
	for j, l := range lengths {
		cols[j].Length = l
	}
}

// resultLengths returns the display length of each column of a
// go-sql-driver/mysql result v (its rows, or an interface or pointer
// holding them), or nil when the driver's layout is not the one it knows.
func resultLengths(v reflect.Value, n int) (out []int64) {
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	for v.IsValid() && (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) {
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return nil
	}
	cols := v.FieldByName("rs")
	if !cols.IsValid() {
		return nil
	}
	cols = cols.FieldByName("columns")
	if !cols.IsValid() || cols.Kind() != reflect.Slice || cols.Len() != n {
		return nil
	}
	out = make([]int64, n)
	for i := range n {
		l := cols.Index(i).FieldByName("length")
		if !l.IsValid() || !l.CanUint() {
			return nil
		}
		out[i] = int64(l.Uint())
	}
	return out
}
