package arrowrows

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/vapsql/vap/odbc"
)

// Field metadata keys: every field says where it came from.
const (
	// MetaDatabaseType is the column's database type name ("INT8",
	// "VARCHAR", "NUMERIC").
	MetaDatabaseType = "vap.database_type"
	// MetaKind is the column's odbc.Kind ("int64", "decimal"…).
	MetaKind = "vap.kind"
	// MetaPrecision and MetaScale are a decimal column's declared digits,
	// when known; they are also in the decimal type itself, except for a
	// decimal too wide for Arrow (then stored as text).
	MetaPrecision = "vap.precision"
	MetaScale     = "vap.scale"
)

// Arrow's decimal limits.
const (
	maxDecimal128 = 38
	maxDecimal256 = 76
)

// Field returns the Arrow field of a result column:
//
//	KindInt64    int64
//	KindFloat64  float64
//	KindDecimal  decimal128(p, s) for p <= 38, decimal256(p, s) for p <= 76;
//	             decimal128(38, s) when only the scale is known; utf8 (the
//	             exact decimal text) when the scale is unknown (PostgreSQL's
//	             unconstrained NUMERIC) or p > 76
//	KindString   utf8
//	KindBytes    binary
//	KindBool     bool
//	KindTime     date32 (TimeDate), time64[us] (TimeOfDay), timestamp[us]
//	             without a zone (TimeTimestamp, or unknown), timestamp[us,
//	             UTC] (TimeTimestampTZ)
//	KindNull     null (a column of unknown type holding only NULLs)
//	KindAny      utf8 (each value as text)
//
// Every field is nullable and carries MetaDatabaseType and MetaKind.
func Field(c odbc.Column) arrow.Field {
	keys := []string{MetaDatabaseType, MetaKind}
	vals := []string{c.DatabaseType, c.Kind.String()}
	if c.Kind == odbc.KindDecimal && c.Scale >= 0 {
		if c.Precision > 0 {
			keys, vals = append(keys, MetaPrecision), append(vals, strconv.Itoa(c.Precision))
		}
		keys, vals = append(keys, MetaScale), append(vals, strconv.Itoa(c.Scale))
	}
	return arrow.Field{Name: c.Name, Type: dataType(c), Nullable: true, Metadata: arrow.NewMetadata(keys, vals)}
}

// Schema returns the Arrow schema of a result's columns (see Field).
func Schema(cols []odbc.Column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = Field(c)
	}
	return arrow.NewSchema(fields, nil)
}

// Arrow's time types, microseconds: the precision of PostgreSQL, MySQL
// and Databricks.
var (
	timestampWall = &arrow.TimestampType{Unit: arrow.Microsecond}
	timestampUTC  = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

func dataType(c odbc.Column) arrow.DataType {
	switch c.Kind {
	case odbc.KindInt64:
		return arrow.PrimitiveTypes.Int64
	case odbc.KindFloat64:
		return arrow.PrimitiveTypes.Float64
	case odbc.KindDecimal:
		p, s, ok := decimalSize(c)
		switch {
		case !ok:
			return arrow.BinaryTypes.String
		case p <= maxDecimal128:
			return &arrow.Decimal128Type{Precision: p, Scale: s}
		default:
			return &arrow.Decimal256Type{Precision: p, Scale: s}
		}
	case odbc.KindBytes:
		return arrow.BinaryTypes.Binary
	case odbc.KindBool:
		return arrow.FixedWidthTypes.Boolean
	case odbc.KindTime:
		switch c.Time {
		case odbc.TimeDate:
			return arrow.FixedWidthTypes.Date32
		case odbc.TimeOfDay:
			return arrow.FixedWidthTypes.Time64us
		case odbc.TimeTimestampTZ:
			return timestampUTC
		}
		return timestampWall
	case odbc.KindNull:
		return arrow.Null
	}
	return arrow.BinaryTypes.String // KindString, KindAny
}

// decimalSize returns the Arrow precision and scale of a decimal column;
// false: stored as text.
func decimalSize(c odbc.Column) (p, s int32, ok bool) {
	switch {
	case c.Scale < 0 || c.Scale > maxDecimal256:
		return 0, 0, false
	case c.Precision <= 0: // scale known, precision not: the widest decimal128
		if c.Scale > maxDecimal128 {
			return 0, 0, false
		}
		return maxDecimal128, int32(c.Scale), true
	case c.Precision > maxDecimal256 || c.Scale > c.Precision:
		return 0, 0, false
	}
	return int32(c.Precision), int32(c.Scale), true
}
