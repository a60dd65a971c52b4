package coltype

import "strconv"

// Kind is the normalized Go type of a column's values, the same on every
// backend.
type Kind uint8

// The kinds. Values of a column of kind K have the Go type given here; NULL
// is nil.
const (
	// Null is a column whose type is unknown and that held only NULLs.
	Null Kind = iota
	// Int64 values are int64.
	Int64
	// Float64 values are float64.
	Float64
	// Decimal values are exact decimal strings such as "12.50".
	Decimal
	// String values are string (text, JSON, UUID, XML, intervals…).
	String
	// Bytes values are []byte.
	Bytes
	// Bool values are bool.
	Bool
	// Time values are time.Time in UTC.
	Time
	// Any values are whatever the driver returned, normalized to one of the
	// types above; it only appears for columns with no declared type whose
	// values have different types (SQLite expressions).
	Any
)

var kindNames = [...]string{
	Null:    "null",
	Int64:   "int64",
	Float64: "float64",
	Decimal: "decimal",
	String:  "string",
	Bytes:   "bytes",
	Bool:    "bool",
	Time:    "time",
	Any:     "any",
}

// String returns the kind's name: "int64", "decimal", "time"…
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind as its name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }
