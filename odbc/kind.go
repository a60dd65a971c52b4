package odbc

import "github.com/vapsql/vap/coltype"

// Kind is the normalized Go type of a column's values, the same on every
// backend (coltype.Kind).
type Kind = coltype.Kind

// The kinds. Values of a column of kind K have the Go type given here; NULL
// is nil.
const (
	// KindNull is a column whose type is unknown and that held only NULLs.
	KindNull = coltype.Null
	// KindInt64 values are int64.
	KindInt64 = coltype.Int64
	// KindFloat64 values are float64.
	KindFloat64 = coltype.Float64
	// KindDecimal values are exact decimal strings such as "12.50".
	KindDecimal = coltype.Decimal
	// KindString values are string (text, JSON, UUID, XML, intervals…).
	KindString = coltype.String
	// KindBytes values are []byte.
	KindBytes = coltype.Bytes
	// KindBool values are bool.
	KindBool = coltype.Bool
	// KindTime values are time.Time in UTC.
	KindTime = coltype.Time
	// KindAny values are whatever the driver returned, normalized to one of
	// the types above; it only appears for columns with no declared type
	// whose values have different types (SQLite expressions).
	KindAny = coltype.Any
)
