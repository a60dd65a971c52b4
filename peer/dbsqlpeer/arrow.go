package dbsqlpeer

import (
	"bytes"
	"fmt"
	"time"

	"github.com/apache/arrow/go/v12/arrow"
	"github.com/apache/arrow/go/v12/arrow/array"
	"github.com/apache/arrow/go/v12/arrow/decimal128"
	"github.com/apache/arrow/go/v12/arrow/ipc"
	"github.com/apache/arrow/go/v12/arrow/memory"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
)

// sqlNameKey is the Arrow field metadata key under which a warehouse names
// each column's Spark SQL type.
const sqlNameKey = "Spark:DataType:SqlName"

// arrowTypes is what the client asked for in TSparkArrowTypes: which Spark
// types come as native Arrow types rather than as text.
type arrowTypes struct {
	timestamp bool // TIMESTAMP as timestamp[us, tz=Etc/UTC], else utf8
	decimal   bool // DECIMAL as decimal128(p, s), else utf8
	complex   bool // ARRAY, MAP, STRUCT as list, map, struct, else JSON text
}

func arrowTypesOf(req *tcli.TExecuteStatementReq) arrowTypes {
	t := req.GetUseArrowNativeTypes()
	if t == nil {
		return arrowTypes{}
	}
	return arrowTypes{timestamp: t.GetTimestampAsArrow(), decimal: t.GetDecimalAsArrow(), complex: t.GetComplexTypesAsArrow()}
}

// sqlName is a type's name in the Spark:DataType:SqlName metadata: as
// Spark spells it, VOID for the type of an untyped NULL.
func (t sparkType) sqlName() string {
	if t.id == tcli.TTypeId_NULL_TYPE {
		return "VOID"
	}
	return t.String()
}

// arrowType is the Arrow type a warehouse sends for t, given what the
// client asked for.
func (t sparkType) arrowType(n arrowTypes) arrow.DataType {
	switch t.id {
	case tcli.TTypeId_BOOLEAN_TYPE:
		return arrow.FixedWidthTypes.Boolean
	case tcli.TTypeId_TINYINT_TYPE:
		return arrow.PrimitiveTypes.Int8
	case tcli.TTypeId_SMALLINT_TYPE:
		return arrow.PrimitiveTypes.Int16
	case tcli.TTypeId_INT_TYPE:
		return arrow.PrimitiveTypes.Int32
	case tcli.TTypeId_BIGINT_TYPE:
		return arrow.PrimitiveTypes.Int64
	case tcli.TTypeId_FLOAT_TYPE:
		return arrow.PrimitiveTypes.Float32
	case tcli.TTypeId_DOUBLE_TYPE:
		return arrow.PrimitiveTypes.Float64
	case tcli.TTypeId_BINARY_TYPE:
		return arrow.BinaryTypes.Binary
	case tcli.TTypeId_DATE_TYPE:
		return arrow.FixedWidthTypes.Date32
	case tcli.TTypeId_TIMESTAMP_TYPE:
		if n.timestamp {
			return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "Etc/UTC"}
		}
	case tcli.TTypeId_DECIMAL_TYPE:
		if n.decimal {
			return &arrow.Decimal128Type{Precision: int32(t.precision), Scale: int32(t.scale)}
		}
	case tcli.TTypeId_NULL_TYPE:
		return arrow.Null
	case tcli.TTypeId_ARRAY_TYPE, tcli.TTypeId_MAP_TYPE, tcli.TTypeId_STRUCT_TYPE:
		if n.complex {
			return t.nestedArrowType()
		}
	}
	return arrow.BinaryTypes.String // STRING, INTERVAL, and text forms
}

// nestedArrow is what a warehouse sends inside a native complex value:
// every type native.
var nestedArrow = arrowTypes{timestamp: true, decimal: true, complex: true}

// nestedArrowType is the Arrow type of a native complex value, as Spark's
// ArrowUtils writes it: list<element>, map<entries: struct<key, value>>,
// struct of the fields, with nested values in their native Arrow types.
func (t sparkType) nestedArrowType() arrow.DataType {
	switch t.id {
	case tcli.TTypeId_ARRAY_TYPE:
		return arrow.ListOfField(arrow.Field{Name: "element", Type: t.elem.arrowType(nestedArrow), Nullable: true})
	case tcli.TTypeId_MAP_TYPE:
		return arrow.MapOf(t.key.arrowType(nestedArrow), t.elem.arrowType(nestedArrow))
	}
	fields := make([]arrow.Field, len(t.fields))
	for i, f := range t.fields {
		fields[i] = arrow.Field{Name: f.name, Type: f.typ.arrowType(nestedArrow), Nullable: true}
	}
	return arrow.StructOf(fields...)
}

// arrowSchema is the Arrow schema of a result, each field named as its
// column and carrying its Spark type in the field metadata.
func arrowSchema(cols []column, n arrowTypes) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ.arrowType(n), Nullable: true,
			Metadata: arrow.NewMetadata([]string{sqlNameKey}, []string{c.typ.sqlName()})}
	}
	return arrow.NewSchema(fields, nil)
}

// ipcSchema is the schema as one Arrow IPC schema message, what a warehouse
// puts in TGetResultSetMetadataResp.arrowSchema.
func ipcSchema(s *arrow.Schema) ([]byte, error) {
	var buf bytes.Buffer
	w := ipc.NewWriter(&buf, ipc.WithSchema(s))
	if err := w.Close(); err != nil { // the schema message, then the 8-byte end-of-stream marker
		return nil, err
	}
	return buf.Bytes()[:buf.Len()-8], nil
}

// ipcBatch encodes rows as one Arrow IPC record-batch message (without the
// schema message): an arrowBatches entry. schemaLen is len(ipcSchema(s)).
func ipcBatch(s *arrow.Schema, schemaLen int, cols []column, rows [][]any) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeIPCStream(&buf, s, cols, rows, false); err != nil {
		return nil, err
	}
	return buf.Bytes()[schemaLen:], nil
}

// writeIPCStream writes rows as an Arrow IPC stream: the schema message, one
// record batch and, when eos is set, the end-of-stream marker (a CloudFetch
// file).
func writeIPCStream(out *bytes.Buffer, s *arrow.Schema, cols []column, rows [][]any, eos bool) error {
	rec, err := arrowRecord(s, cols, rows)
	if err != nil {
		return err
	}
	defer rec.Release()
	w := ipc.NewWriter(out, ipc.WithSchema(s))
	if err := w.Write(rec); err != nil {
		return err
	}
	if eos {
		return w.Close()
	}
	return nil
}

// arrowRecord builds one record batch of rows (values as convert returns
// them) in schema s.
func arrowRecord(s *arrow.Schema, cols []column, rows [][]any) (arrow.Record, error) {
	b := array.NewRecordBuilder(memory.DefaultAllocator, s)
	defer b.Release()
	for c := range cols {
		fb := b.Field(c)
		fb.Reserve(len(rows))
		for r := range rows {
			if err := appendValue(fb, cols[c].typ, rows[r][c]); err != nil {
				return nil, fmt.Errorf("column %q: %w", cols[c].name, err)
			}
		}
	}
	return b.NewRecord(), nil
}

// appendValue appends one converted value to an Arrow builder of t's
// Arrow type.
func appendValue(fb array.Builder, t sparkType, v any) error {
	if v == nil {
		fb.AppendNull()
		return nil
	}
	switch b := fb.(type) {
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.Int8Builder:
		b.Append(int8(v.(int64)))
	case *array.Int16Builder:
		b.Append(int16(v.(int64)))
	case *array.Int32Builder:
		b.Append(int32(v.(int64)))
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.Float32Builder:
		b.Append(float32(v.(float64)))
	case *array.Float64Builder:
		b.Append(v.(float64))
	case *array.BinaryBuilder:
		b.Append(v.([]byte))
	case *array.Date32Builder:
		tm, err := time.Parse(dateLayout, v.(string))
		if err != nil {
			return err
		}
		b.Append(arrow.Date32FromTime(tm))
	case *array.TimestampBuilder:
		tm, err := time.Parse(timestampLayout, v.(string))
		if err != nil {
			return err
		}
		b.Append(arrow.Timestamp(tm.UnixMicro()))
	case *array.Decimal128Builder:
		n, err := decimal128.FromString(v.(string), int32(t.precision), int32(t.scale))
		if err != nil {
			return err
		}
		b.Append(n)
	case *array.NullBuilder:
		b.AppendNull()
	case *array.ListBuilder:
		b.Append(true)
		for i, e := range v.([]any) {
			if err := appendValue(b.ValueBuilder(), *t.elem, e); err != nil {
				return fmt.Errorf("element [%d]: %w", i, err)
			}
		}
	case *array.MapBuilder:
		m := v.(mapValue)
		b.Append(true)
		for i := range m.keys {
			if err := appendValue(b.KeyBuilder(), *t.key, m.keys[i]); err != nil {
				return fmt.Errorf("key %d: %w", i, err)
			}
			if err := appendValue(b.ItemBuilder(), *t.elem, m.vals[i]); err != nil {
				return fmt.Errorf("value %d: %w", i, err)
			}
		}
	case *array.StructBuilder:
		b.Append(true)
		for i, e := range v.([]any) {
			if err := appendValue(b.FieldBuilder(i), t.fields[i].typ, e); err != nil {
				return fmt.Errorf("field %s: %w", t.fields[i].name, err)
			}
		}
	case *array.StringBuilder:
		s, err := textValue(t, v)
		if err != nil {
			return err
		}
		b.Append(s)
	default:
		return fmt.Errorf("no Arrow builder for %s", t)
	}
	return nil
}

// textValue is a value's text form in a utf8 column.
func textValue(t sparkType, v any) (string, error) {
	if t.isComplex() {
		return jsonText(t, v), nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	default:
		return toString(v), nil
	}
}
