package databricks

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/apache/arrow/go/v12/arrow"
	"github.com/apache/arrow/go/v12/arrow/array"
	dbsqlrows "github.com/databricks/databricks-sql-go/rows"
)

// DriverRows is the databricks type's registry.Type.DriverRows: a result
// with an ARRAY, MAP or STRUCT column is read from the driver's Arrow
// batches (rows.GetArrowBatches) instead of its row scanner, which renders
// nested values as its own text (a nested DATE as Go's time.Time.String(),
// a struct field name unescaped) and fails the whole result on a NaN or an
// infinity inside a complex value ("json: unsupported value: NaN"). Complex
// values become JSON text (see appendComplexJSON); every other column gets
// the value the driver's scanner gives (int8…int64, float32, float64,
// string, []byte, DATE and TIMESTAMP as UTC time.Time, native DECIMAL as
// its exact text). A result without complex columns, or one that is not in
// Arrow (a column-based result, where a server sends complex values as
// JSON text), is returned as it is.
func DriverRows(ctx context.Context, rows driver.Rows) (driver.Rows, error) {
	ar, ok := rows.(dbsqlrows.Rows)
	if !ok || !hasComplex(rows) {
		return rows, nil
	}
	if f := resultFormat(rows); f == columnBasedSet || f == rowBasedSet {
		return rows, nil
	}
	it, err := ar.GetArrowBatches(ctx)
	if err != nil {
		if strings.Contains(err.Error(), "not in arrow format") { // nothing was read: the driver's rows serve
			return rows, nil
		}
		return nil, err
	}
	return &arrowRows{Rows: rows, it: it, names: rows.Columns()}, nil
}

// The TSparkRowSetType values of databricks-sql-go's internal cli_service.
const (
	columnBasedSet = 1
	rowBasedSet    = 2
)

// resultFormat is the format the server announced for a result
// (TGetResultSetMetadataResp.resultFormat), or -1 when unknown.
// databricks-sql-go v1.14.0 holds it once rows.Columns has run (from the
// statement's direct results or a GetResultSetMetadata call) but has no
// API for it, so it is read by reflection; without it, asking a
// column-based result for Arrow batches would consume its first page
// when the statement's answer did not carry it (a statement that ran
// past the direct-results wait). A driver that keeps it elsewhere gives
// -1, and TestDatabricksComplexTypes's "columns-async" case fails.
func resultFormat(rows driver.Rows) int64 {
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return -1
	}
	m := v.Elem().FieldByName("resultSetMetadata")
	if !m.IsValid() || m.Kind() != reflect.Pointer || m.IsNil() || m.Elem().Kind() != reflect.Struct {
		return -1
	}
	f := m.Elem().FieldByName("ResultFormat")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() || f.Elem().Kind() != reflect.Int64 {
		return -1
	}
	return f.Elem().Int()
}

// hasComplex reports whether a result has an ARRAY, MAP or STRUCT column.
func hasComplex(rows driver.Rows) bool {
	tn, ok := rows.(driver.RowsColumnTypeDatabaseTypeName)
	if !ok {
		return false
	}
	for j := range rows.Columns() {
		if isComplex(tn.ColumnTypeDatabaseTypeName(j)) {
			return true
		}
	}
	return false
}

// isComplex reports whether a Databricks type name is ARRAY, MAP or
// STRUCT, bare (as the driver names it) or with its element types.
func isComplex(name string) bool {
	name = strings.ToUpper(strings.TrimSpace(name))
	if i := strings.IndexByte(name, '<'); i >= 0 {
		name = strings.TrimSpace(name[:i])
	}
	return name == "ARRAY" || name == "MAP" || name == "STRUCT"
}

// arrowRows reads a result's rows from the driver's Arrow batches. The
// embedded driver rows answer for the columns' names and types and are
// closed with it.
type arrowRows struct {
	driver.Rows
	it    dbsqlrows.ArrowBatchIterator
	names []string
	rec   arrow.Record
	i     int   // next row of rec
	row   int64 // rows returned so far
	buf   []byte
}

func (r *arrowRows) Close() error {
	if r.rec != nil {
		r.rec.Release()
		r.rec = nil
	}
	r.it.Close()
	return r.Rows.Close()
}

func (r *arrowRows) Next(dest []driver.Value) error {
	for r.rec == nil || r.i >= int(r.rec.NumRows()) {
		if r.rec != nil {
			r.rec.Release()
			r.rec = nil
		}
		rec, err := r.it.Next()
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		if err != nil {
			if strings.Contains(err.Error(), "not in arrow format") {
				return fmt.Errorf("databricks: the result is column-based and its first page was read as Arrow: %w", err)
			}
			return err
		}
		if int(rec.NumCols()) != len(dest) {
			n := rec.NumCols()
			rec.Release()
			return fmt.Errorf("databricks: an Arrow batch has %d columns, the result %d", n, len(dest))
		}
		r.rec, r.i = rec, 0
	}
	for j := range dest {
		v, err := r.value(r.rec.Column(j), r.i)
		if err != nil {
			return fmt.Errorf("databricks: column %q, row %d: %w", r.names[j], r.row, err)
		}
		dest[j] = v
	}
	r.i++
	r.row++
	return nil
}

// value is value i of a top-level column as the driver's scanner gives it,
// a complex value as JSON text.
func (r *arrowRows) value(col arrow.Array, i int) (driver.Value, error) {
	if col.IsNull(i) {
		return nil, nil
	}
	switch a := col.(type) {
	case *array.Null:
		return nil, nil
	case *array.Boolean:
		return a.Value(i), nil
	case *array.Int8:
		return a.Value(i), nil
	case *array.Int16:
		return a.Value(i), nil
	case *array.Int32:
		return a.Value(i), nil
	case *array.Int64:
		return a.Value(i), nil
	case *array.Float32:
		return a.Value(i), nil
	case *array.Float64:
		return a.Value(i), nil
	case *array.String:
		return a.Value(i), nil
	case *array.Binary:
		return a.Value(i), nil
	case *array.Date32:
		return a.Value(i).ToTime().UTC(), nil
	case *array.Timestamp:
		return a.Value(i).ToTime(a.DataType().(*arrow.TimestampType).Unit).UTC(), nil
	case *array.Decimal128:
		return decimal128Text(a.Value(i), a.DataType().(*arrow.Decimal128Type).Scale), nil
	case array.ListLike, *array.Struct:
		var err error
		if r.buf, err = appendComplexJSON(r.buf[:0], col, i); err != nil {
			return nil, err
		}
		return string(r.buf), nil
	}
	return nil, fmt.Errorf("no value for Arrow type %s", col.DataType())
}

// The column descriptions are the driver's.

func (r *arrowRows) ColumnTypeDatabaseTypeName(j int) string {
	if x, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return x.ColumnTypeDatabaseTypeName(j)
	}
	return ""
}

func (r *arrowRows) ColumnTypeLength(j int) (int64, bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return x.ColumnTypeLength(j)
	}
	return 0, false
}

func (r *arrowRows) ColumnTypeNullable(j int) (nullable, ok bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return x.ColumnTypeNullable(j)
	}
	return false, false
}

func (r *arrowRows) ColumnTypePrecisionScale(j int) (precision, scale int64, ok bool) {
	if x, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return x.ColumnTypePrecisionScale(j)
	}
	return 0, 0, false
}

func (r *arrowRows) ColumnTypeScanType(j int) reflect.Type {
	if x, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return x.ColumnTypeScanType(j)
	}
	return reflect.TypeFor[any]()
}
