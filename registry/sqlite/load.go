package sqlite

import (
	"github.com/vapsql/vap/registry"
)

// Load writes rows into SQLite as multi-row INSERTs, all in the load's one
// transaction (CREATE TABLE included: SQLite's DDL is transactional).
var Load = &registry.Load{
	Quote:        Quote,
	ColumnType:   ColumnType,
	TxDDL:        true,
	InsertRows:   1000,
	InsertParams: 32766, // SQLITE_MAX_VARIABLE_NUMBER
}

// Quote quotes an identifier: "name", with " doubled.
func Quote(name string) string { return registry.QuoteDouble(name) }

// ColumnType is the declared type of a created column: INTEGER, REAL,
// TEXT for decimals (NUMERIC affinity would store 12.50 as the REAL 12.5),
// TEXT, BLOB, BOOLEAN, DATE, TIME, DATETIME or TIMESTAMP (values stored as
// modernc.org/sqlite writes a time.Time, read back as times).
func ColumnType(c registry.LoadColumn) string { return ddlTypes.ColumnType(c) }

var ddlTypes = registry.DDLTypes{
	Int64: "INTEGER", Float64: "REAL", Bytes: "BLOB", Bool: "BOOLEAN", Text: "TEXT", DecimalDefault: "TEXT",
	Date: "DATE", Clock: "TIME", Wall: "DATETIME", Instant: "TIMESTAMP",
}
