// Package odbc turns a query on a named vap connection into a typed,
// in-memory, column-oriented result in one call, the Go counterpart of the
// platform's Python odbc_to_pandas:
//
//	rows, err := odbc.OdbcToRows(ctx, "SELECT id, name FROM users", "my-postgres-connection")
//	ids, err := rows.Int64s("id")
//
// OdbcToRows resolves the connection name through the vap driver (the
// environment's connection store by default; New(WithStore(st)) for another
// one) and keeps one *sql.DB per name, so repeated calls reuse connections.
// OdbcToRowsDB runs a query on any *sql.DB.
//
// # Columns and kinds
//
// A Rows holds one typed slice per column and a NULL mask, never [][]any.
// Every column has a normalized Kind, the same whatever the backend: integer
// types are KindInt64, floating types KindFloat64, DECIMAL/NUMERIC
// KindDecimal (the exact decimal text, never a float), text, JSON and UUID
// KindString, binary KindBytes, booleans (MySQL TINYINT(1) and BIT(1)
// included) KindBool, DATE/TIME/TIMESTAMP KindTime. Times are in UTC: a
// timestamp with a time zone is converted to UTC, one without keeps its wall
// clock; a DATE is midnight UTC and a TIME of day falls on January 1 of
// year 0 (as time.Parse gives for "15:04:05").
//
// On Databricks (databricks-sql-go) TINYINT, SMALLINT, INT and FLOAT
// arrive as int8, int16, int32 and float32 and widen to int64 and float64
// (FLOAT 0.1 reads 0.1), DECIMAL keeps the driver's exact text, and
// TIMESTAMP, an instant in the session time zone, is converted to UTC.
// Spark SQL has no TIME, JSON or UUID type: such values are STRINGs there.
//
// # Complex types
//
// Databricks' ARRAY, MAP and STRUCT values are KindString columns marked
// Column.JSON (coltype.Spec.JSON): each value is one JSON text, checked
// with json.Valid, the same whether the warehouse sent inline Arrow,
// CloudFetch files or column-based rows, materialized or streamed:
//
//   - ARRAY is a JSON array, STRUCT an object with its fields in order;
//   - MAP is an object whose keys are the map keys' text (a STRING as it
//     is, 1 as "1", a DATE as "2024-01-02"), in the server's order: Spark
//     keys are distinct and never NULL, and distinct keys of one type have
//     distinct text;
//   - DECIMAL is a JSON number with exactly its scale's digits (3.30, never
//     3.3 or 3.3000000000000003), TINYINT to BIGINT are integers, FLOAT and
//     DOUBLE the shortest number that reads back as the same value, and NaN,
//     +∞ and −∞, which JSON has no number for, the strings "NaN",
//     "Infinity" and "-Infinity" (as Spark's to_json writes them);
//   - DATE is "2006-01-02", TIMESTAMP RFC 3339 in UTC
//     ("2024-02-29T13:14:15.123456Z"), BINARY base64, STRING a JSON string
//     with only what JSON requires escaped, NULL null.
//
// Decimals are JSON numbers rather than strings so that the text is what
// Spark's to_json writes and what a JSON reader with arbitrary-precision
// numbers (Python's json with parse_float=Decimal, Go's json.Number) reads
// exactly; a reader that maps numbers to float64 loses digits as it would
// for any JSON number. A JSON value rather than a new Kind keeps every
// reader of KindString (CSV, tables, Stream) working; WriteJSON nests
// Column.JSON values as they are.
//
// On Arrow results the values are built from the driver's native Arrow
// batches (the databricks type's registry.Type.DriverRows), not from
// databricks-sql-go's own text, which writes a nested DATE as Go's
// time.Time.String(), leaves a struct field name unescaped and fails the
// whole result on a NaN inside an array. Column-based results carry the
// warehouse's JSON text and no nested types, so their text is kept as it
// is once checked. A value that is not valid JSON fails with a
// *ConvertError naming its column and row.
//
// # Fast paths
//
// On PostgreSQL (pgx) the rows are decoded straight from the wire into the
// typed columns: fixed-width types in binary, text and NUMERIC in text form,
// with no per-value allocation. Every other driver's rows are read without
// database/sql's Scan: through sql.Conn.Raw, the real driver's
// driver.Rows.Next hands its values (byte slices still in its read buffer,
// or native int64, float64, time.Time…) straight to the value-by-value
// normalization, which copies bytes into the column arenas. The values are
// those database/sql's path gives (same driver, same conversions), minus its
// per-value conversion, copy and locking. Arguments are converted as
// database/sql converts them.
//
// # Streaming and limits
//
// Stream returns an iter.Seq2 over the rows of a result too large to hold;
// it decodes in small batches, so its memory does not grow with the result.
// MaxRows and MaxBytes guard a materialized result: exceeding one fails with
// a *LimitError naming the limit. Cancelling the context (or breaking out of
// a Stream, or hitting a limit) stops the query on the server: PostgreSQL
// gets a cancel request, MySQL a KILL QUERY.
//
// WithSummary reports what a statement says besides its rows: its columns
// (also for a result without rows, which a Stream never yields) and, where
// the protocol has one (PostgreSQL), its command tag and row count.
package odbc
