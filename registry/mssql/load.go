package mssql

import (
	"fmt"
	"strings"

	"github.com/vapsql/vap/coltype"
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
func ColumnType(c registry.LoadColumn) string {
	switch c.Kind {
	case coltype.Int64:
		return "BIGINT"
	case coltype.Float64:
		return "FLOAT"
	case coltype.Decimal:
		if p, s := c.Type.Precision, c.Type.Scale; p > 0 && p <= 38 && s >= 0 && s <= p {
			return fmt.Sprintf("DECIMAL(%d,%d)", p, s)
		}
		return "DECIMAL(38,18)"
	case coltype.Bytes:
		return "VARBINARY(MAX)"
	case coltype.Bool:
		return "BIT"
	case coltype.Time:
		switch {
		case c.Date:
			return "DATE"
		case c.Time == coltype.Clock:
			return "TIME(7)"
		case c.Time == coltype.Instant:
			return "DATETIMEOFFSET(7)"
		}
		return "DATETIME2(7)"
	}
	return "NVARCHAR(MAX)"
}
