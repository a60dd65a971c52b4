package coltype

import "strings"

// Info is what a driver tells about a column's type.
type Info struct {
	// Name is the driver's type name (sql.ColumnType.DatabaseTypeName).
	Name string
	// Length, Precision and Scale are -1 when the driver does not say.
	Length, Precision, Scale int64
}

// NewInfo returns the Info of a type name with nothing else known.
func NewInfo(name string) Info { return Info{Name: name, Length: -1, Precision: -1, Scale: -1} }

// TimeMode says how a time value becomes a UTC time.Time.
type TimeMode uint8

const (
	// Wall is a time without a zone (TIMESTAMP, DATETIME, DATE): the wall
	// clock is kept, in UTC.
	Wall TimeMode = iota
	// Instant is a point in time (TIMESTAMPTZ, DATETIMEOFFSET): converted
	// to UTC.
	Instant
	// Clock is a time of day (TIME): January 1 of year 0, UTC.
	Clock
)

// Spec is how one column's driver values become its kind.
type Spec struct {
	Kind Kind
	// Time is how a Time column's values become UTC.
	Time TimeMode
	// Date: a Wall time that is a calendar date (DATE), always at
	// midnight; readers may store it as a date.
	Date bool
	// Scale is the decimal places of a Decimal given as a number; -1 unknown.
	Scale int
	// PadScale: the driver's decimal text drops trailing fractional zeros
	// (Oracle keeps none in a NUMBER, so go-ora gives 12.50 in a
	// NUMBER(12,2) as "12.5"); the text is padded with zeros to Scale
	// places, never cut.
	PadScale bool
	// GUID: 16 bytes in SQL Server's UNIQUEIDENTIFIER byte order.
	GUID bool
	// UUID: 16 bytes in RFC 4122 order.
	UUID bool
	// Bit: MySQL BIT, big-endian bytes.
	Bit bool
	// Flexible: values of another type turn the column into Any (SQLite,
	// unknown types).
	Flexible bool
	// JSON: a String column whose values are JSON text, each checked to be
	// valid JSON (Databricks' ARRAY, MAP and STRUCT).
	JSON bool
}

// Classifier classifies a column of one family; see registry.Type.Columns.
type Classifier func(Info) Spec

// Split returns a type name upper-cased, without its arguments and without
// UNSIGNED, and the arguments with their parentheses: "decimal(12,2)" →
// "DECIMAL", "(12,2)". Oracle's "TNSType(n)" names keep their number.
func Split(typeName string) (name, args string) {
	full := strings.ToUpper(strings.TrimSpace(typeName))
	name = full
	if i := strings.IndexByte(full, '('); i > 0 && !strings.HasPrefix(full, "TNSTYPE(") {
		name, args = strings.TrimSpace(full[:i]), full[i:]
	}
	name = strings.TrimPrefix(name, "UNSIGNED ")
	name = strings.TrimSuffix(name, " UNSIGNED")
	return name, args
}
