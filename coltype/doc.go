// Package coltype classifies result columns: from what a driver says of a
// column's type (its database type name, length, precision and scale) to
// the kind of Go value a reader normalizes it to (int64, exact decimal
// text, string, time…) and how (time zone handling, GUID byte order…).
//
// Classify knows the type names every family shares. A connection type
// whose names read differently (MySQL's TINYINT(1) is a boolean, Oracle's
// NUMBER(10) an integer) declares its own classifier with the type, as
// registry.Type.Columns, falling back to Classify. Package odbc reads
// results with it; the package has no dependencies, so a family can
// declare its classifier without linking any reader.
package coltype
