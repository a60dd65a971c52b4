package odbc

// Kind is the normalized Go type of a column's values, the same on every
// backend.
type Kind uint8

// The kinds. Values of a column of kind K have the Go type given here; NULL
// is nil.
const (
	// KindNull is a column whose type is unknown and that held only NULLs.
	KindNull Kind = iota
	// KindInt64 values are int64.
	KindInt64
	// KindFloat64 values are float64.
	KindFloat64
	// KindDecimal values are exact decimal strings such as "12.50".
	KindDecimal
	// KindString values are string (text, JSON, UUID, XML, intervals…).
	KindString
	// KindBytes values are []byte.
	KindBytes
	// KindBool values are bool.
	KindBool
	// KindTime values are time.Time in UTC.
	KindTime
	// KindAny values are whatever the driver returned, normalized to one of
	// the types above; it only appears for columns with no declared type
	// whose values have different types (SQLite expressions).
	KindAny
)

var kindNames = [...]string{
	KindNull:    "null",
	KindInt64:   "int64",
	KindFloat64: "float64",
	KindDecimal: "decimal",
	KindString:  "string",
	KindBytes:   "bytes",
	KindBool:    "bool",
	KindTime:    "time",
	KindAny:     "any",
}

// String returns the kind's name: "int64", "decimal", "time"…
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + itoa(int64(k)) + ")"
}

// MarshalText encodes the kind as its name.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// varLen reports whether the kind is stored in a byte arena.
func (k Kind) varLen() bool { return k == KindDecimal || k == KindString || k == KindBytes }
