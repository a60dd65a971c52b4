package sqlite

import (
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/vapsql/vap/registry"
)

// Dialect is SQLite's SQL for the conformance suite.
var Dialect = &registry.Dialect{
	Family: "SQLite",
	Cast: map[string]string{
		"int64": "CAST(%s AS INTEGER)", "float64": "CAST(%s AS REAL)", "text": "%s", "binary": "%s", "bool": "%s",
	},
	NA: map[string]string{
		"kinds/decimal":     "SQLite has no exact decimal type (NUMERIC stores REAL or INTEGER)",
		"kinds/date":        "SQLite has no date type (dates are TEXT, REAL or INTEGER)",
		"kinds/time":        "SQLite has no time type (times are TEXT, REAL or INTEGER)",
		"kinds/timestamp":   "SQLite has no timestamp type (timestamps are TEXT, REAL or INTEGER)",
		"kinds/timestamptz": "SQLite has no time-zone-aware type",
		"pool-recovery":     "SQLite is an embedded engine: there is no server to drop connections",
	},
	// SQLite stores NaN as NULL; 9e999 overflows to infinity.
	Specials:   map[string]string{"+Inf": "9e999", "-Inf": "-9e999"},
	HexLiteral: func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	BindCast: map[string]string{
		"int64": "%s", "float64": "%s", "text": "%s", "binary": "%s", "bool": "%s",
	},
	Series: func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d) SELECT i, replace(hex(zeroblob(100)), '0', 'x') FROM g", n)
	},
	// An unbounded count: only an interrupt ends it early.
	Sleep: "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 4000000000) SELECT count(*) FROM g /* %s */",
	Table: "CREATE TABLE %s (id INTEGER PRIMARY KEY, v TEXT)",
	// SQLite runs every transaction serializably, whatever is asked.
	LevelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "serializable", sql.LevelReadCommitted: "serializable",
		sql.LevelRepeatableRead: "serializable", sql.LevelSerializable: "serializable",
	},
}
