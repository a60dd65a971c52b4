package mssql

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/vapsql/vap/registry"
)

// Dialect is SQL Server's T-SQL for the conformance suite. Text literals are
// N'…' (a plain '…' loses the characters outside the database's code page),
// booleans are cast from 'TRUE'/'FALSE' (T-SQL has no bare TRUE), and a
// statement sleeps with WAITFOR DELAY.
//
// Against a real server, seeing other sessions' statements
// (sys.dm_exec_requests with sys.dm_exec_sql_text) needs VIEW SERVER STATE
// (VIEW SERVER PERFORMANCE STATE on SQL Server 2022), ending a session
// (KILL) needs ALTER ANY CONNECTION, and reading the isolation level of
// the own session from sys.dm_exec_sessions needs nothing more. The local
// peer (peer/tdspeer) has no sys.dm_exec_requests or KILL: its target
// watches and ends sessions through an Observer instead.
var Dialect = &registry.Dialect{
	Family: "SQL Server",
	Cast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS FLOAT)",
		"decimal": "CAST(%s AS DECIMAL(38,9))", "text": "CAST(%s AS NVARCHAR(MAX))", "binary": "CAST(%s AS VARBINARY(MAX))",
		"bool": "CAST(%s AS BIT)", "date": "CAST(%s AS DATE)", "time": "CAST(%s AS TIME(6))",
		"timestamp": "CAST(%s AS DATETIME2(6))", "timestamptz": "CAST(%s AS DATETIMEOFFSET(6))",
	},
	NA: map[string]string{"kinds/float64-special": "SQL Server FLOAT has no NaN or infinity"},
	Literal: func(kind, v string) string {
		switch kind {
		case "text":
			return "N'" + strings.ReplaceAll(v, "'", "''") + "'"
		case "bool":
			return "'" + v + "'"
		}
		return ""
	},
	Specials:   map[string]string{},
	HexLiteral: func(b []byte) string { return "0x" + hex.EncodeToString(b) },
	BindCast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS FLOAT)", "text": "CAST(%s AS NVARCHAR(MAX))",
		"binary": "CAST(%s AS VARBINARY(MAX))", "bool": "CAST(%s AS BIT)", "timestamptz": "CAST(%s AS DATETIMEOFFSET(7))",
	},
	Series: func(n int) string {
		return fmt.Sprintf("WITH g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d) SELECT i, REPLICATE('x', 200) FROM g OPTION (MAXRECURSION 0)", n)
	},
	Sleep:     "WAITFOR DELAY '00:01:00' /* %s */",
	Running:   "SELECT COUNT(*) FROM sys.dm_exec_requests r CROSS APPLY sys.dm_exec_sql_text(r.sql_handle) t WHERE t.text LIKE @p1 AND r.session_id <> @@SPID",
	SessionID: "SELECT @@SPID",
	Kill:      func(id int64) string { return fmt.Sprintf("KILL %d", id) },
	Table:     "CREATE TABLE %s (id BIGINT PRIMARY KEY, v NVARCHAR(100))",
	Isolation: "SELECT CASE transaction_isolation_level WHEN 1 THEN 'read uncommitted' WHEN 2 THEN 'read committed' WHEN 3 THEN 'repeatable read' WHEN 4 THEN 'serializable' WHEN 5 THEN 'snapshot' END FROM sys.dm_exec_sessions WHERE session_id = @@SPID",
	LevelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "read uncommitted", sql.LevelReadCommitted: "read committed",
		sql.LevelRepeatableRead: "repeatable read", sql.LevelSerializable: "serializable",
	},
}
