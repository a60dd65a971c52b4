package odbc

import (
	"errors"
	"strconv"
)

// ErrNoColumn is returned (wrapped) by typed accessors given an unknown
// column name.
var ErrNoColumn = errors.New("odbc: no such column")

// KindError is returned by a typed accessor used on a column of another
// kind, such as Int64s on a string column.
type KindError struct {
	Column string // column name
	Kind   Kind   // the column's kind
	Want   Kind   // the kind the accessor reads
}

func (e *KindError) Error() string {
	return "odbc: column " + strconv.Quote(e.Column) + " is " + e.Kind.String() + ", not " + e.Want.String()
}

// Limit names a guard on a result's size.
type Limit string

// The limits.
const (
	LimitRows  Limit = "rows"  // MaxRows
	LimitBytes Limit = "bytes" // MaxBytes
)

// ErrLimit matches every *LimitError with errors.Is.
var ErrLimit = errors.New("odbc: result limit exceeded")

// LimitError is returned when a result exceeds MaxRows or MaxBytes. The query
// is stopped on the server and no partial result is returned.
type LimitError struct {
	Limit Limit // which limit
	Max   int64 // its value
}

func (e *LimitError) Error() string {
	if e.Limit == LimitRows {
		return "odbc: row limit exceeded: the result has more than " + itoa(e.Max) + " rows (MaxRows)"
	}
	return "odbc: byte limit exceeded: the result needs more than " + itoa(e.Max) + " bytes (MaxBytes)"
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// ConvertError is returned when a value cannot be converted to its column's
// kind, such as the text "abc" in an integer column.
type ConvertError struct {
	Column string // column name
	Row    int    // 0-based row number
	Kind   Kind   // the column's kind
	Err    error  // the reason
}

func (e *ConvertError) Error() string {
	return "odbc: column " + strconv.Quote(e.Column) + " row " + strconv.Itoa(e.Row) + ": cannot convert to " + e.Kind.String() + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *ConvertError) Unwrap() error { return e.Err }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
