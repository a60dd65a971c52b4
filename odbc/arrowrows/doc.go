// Package arrowrows turns odbc results into Apache Arrow record batches
// (github.com/apache/arrow-go/v18) and writes them as Parquet, Arrow IPC
// file or Arrow IPC stream files: the format data tools share (pandas,
// polars, DuckDB, Spark).
//
//	rows, err := odbc.OdbcToRows(ctx, "SELECT * FROM orders", "pg")
//	rec, err := arrowrows.Record(rows, nil) // one arrow.RecordBatch
//
//	// A result of any size, in bounded memory:
//	n, err := arrowrows.WriteFile(f, arrowrows.Parquet,
//		odbc.StreamBatches(ctx, "SELECT * FROM orders", "pg"), nil)
//
// # Types
//
// Each odbc Kind has one Arrow type (see Field): int64, float64, decimal128
// or decimal256 with the column's declared precision and scale (utf8, the
// exact text, when the scale is unknown, as for PostgreSQL's unconstrained
// NUMERIC), utf8, binary, bool, date32 for a DATE, time64[us] for a TIME,
// timestamp[us] for a timestamp without a zone and timestamp[us, UTC] for
// one with a zone. NULLs are the arrays' validity bitmaps. Every field's
// metadata holds the source database type (MetaDatabaseType) and the odbc
// kind (MetaKind). Times are in microseconds, the precision of PostgreSQL,
// MySQL and Databricks: SQL Server's 100-nanosecond digit is truncated.
//
// # Streaming and memory
//
// Records converts a stream of odbc batches (odbc.StreamBatches) into
// record batches of up to Options.BatchRows rows (64 Ki), copying each
// column slice into Arrow buffers with no per-value allocation. WriteFile
// writes a streamed result one record batch at a time, the query and the
// conversion running one record batch ahead of the encoder in a goroutine
// of their own; its memory is bounded by a few record batches (Parquet:
// row groups of FileOptions.RowGroupRows, 128 Ki rows), whatever the
// number of rows. For Parquet it recycles the Arrow buffers the record
// batches and the encoder free (a few dozen megabytes kept for reuse)
// rather than have Go allocate and zero them again for every row group. A column of unknown type whose first batch held only
// NULLs, or a SQLite expression whose values change type, cannot change its
// Arrow type mid-stream: the stream fails naming the column (Record, on a
// materialized result, has all the values and has no such limit).
//
// # Files
//
// Parquet files are written with arrow-go's pqarrow, snappy-compressed by
// default (FileOptions.Compression: zstd, gzip, brotli, lz4, none), the
// Arrow schema stored in the file's metadata, dictionary encoding for text
// columns only, and only for those whose values repeat in the first record
// batch (at most half of a sample distinct: codes, states, names; not ids
// or hashes). The package registers a faster snappy encoder for arrow-go's
// Parquet writer (klauspost's s2.EncodeSnappy instead of its "better"
// mode): the same format, about twice as fast to encode, a few percent
// larger. It applies to every Parquet file the program writes with
// arrow-go. Arrow IPC files and streams are uncompressed by default (lz4,
// zstd).
//
// Package databricksarrow passes a Databricks result's Arrow through
// from the driver, without a row-by-row detour.
//
// Arrow and Parquet are linked only by this package (and databricksarrow):
// a program using odbc, driver or stdlib without it does not link them.
package arrowrows
