// Package databricksarrow reads a Databricks result as Arrow record
// batches straight from the driver: databricks-sql-go receives Arrow from
// the warehouse (inline, or CloudFetch files), and Records decodes the
// driver's own Arrow IPC streams (rows.GetArrowIPCStreams) with arrow-go
// v18, with no row-by-row detour through database/sql or odbc, and no
// re-encoding (the driver's arrow/go/v12 and arrow-go v18 read the same
// IPC bytes).
//
// The record batches have the driver's Arrow schema, not the one
// arrowrows.Schema gives an odbc result, and no vap field metadata: with
// databricks-sql-go's defaults DECIMAL arrives as utf8 text (exact), unless
// the connection asks for native decimals (useArrowNativeDecimal); BIGINT
// is int64, STRING utf8, DATE date32. Write them to a file with
// arrowrows.WriteRecords.
//
// It is a package of its own so that a program that writes Arrow from
// other databases does not link the Databricks driver through it.
package databricksarrow
