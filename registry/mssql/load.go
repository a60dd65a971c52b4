package mssql

import (
	"strings"

	"github.com/vapsql/vap/registry"
)

// Load writes rows into SQL Server with go-mssqldb's bulk copy
// (mssql.CopyIn: INSERT BULK and a TDS bulk load message) in the load's
// transaction; CREATE TABLE is transactional. A table with a column bulk
// copy does not write (VARCHAR, CHAR, TEXT, XML …), or a server that
// refuses INSERT BULK, gets multi-row INSERTs (1000 rows or 2000
// parameters a statement) instead.
var Load = &registry.Load{
	Quote:        Quote,
	ColumnType:   ColumnType,
	TxDDL:        true,
	BulkName:     "bulk copy",
	Bulk:         bulkCopy,
	InsertRows:   1000,
	InsertParams: 2000,
}

// Quote quotes an identifier: [name], with ] doubled.
func Quote(name string) string { return "[" + strings.ReplaceAll(name, "]", "]]") + "]" }

// ColumnType is the type of a created column: BIGINT, FLOAT,
// DECIMAL(p,s) (DECIMAL(38,18) when the source does not say),
// NVARCHAR(MAX), VARBINARY(MAX), BIT, DATE, TIME(7), DATETIME2(7),
// DATETIMEOFFSET(7).
func ColumnType(c registry.LoadColumn) string { return ddlTypes.ColumnType(c) }

var ddlTypes = registry.DDLTypes{
	Int64: "BIGINT", Float64: "FLOAT", Bytes: "VARBINARY(MAX)", Bool: "BIT", Text: "NVARCHAR(MAX)",
	Decimal: "DECIMAL(%d,%d)", MaxPrecision: 38, DecimalDefault: "DECIMAL(38,18)",
	Date: "DATE", Clock: "TIME(7)", Wall: "DATETIME2(7)", Instant: "DATETIMEOFFSET(7)",
}
