package postgres

import (
	"database/sql"
	"encoding/hex"
	"fmt"

	"github.com/vapsql/vap/registry"
)

// Dialect is PostgreSQL's SQL for the conformance suite; Redshift speaks it
// too. Seeing other sessions (pg_stat_activity) needs no grant for the
// role's own sessions; ending one (pg_terminate_backend) needs the same
// role or pg_signal_backend.
var Dialect = &registry.Dialect{
	Family: "PostgreSQL",
	Cast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE PRECISION)",
		"decimal": "CAST(%s AS NUMERIC(38,9))", "text": "CAST(%s AS TEXT)", "binary": "CAST(%s AS BYTEA)",
		"bool": "CAST(%s AS BOOLEAN)", "date": "CAST(%s AS DATE)", "time": "CAST(%s AS TIME(6))",
		"timestamp": "CAST(%s AS TIMESTAMP(6))", "timestamptz": "CAST(%s AS TIMESTAMPTZ(6))",
	},
	Specials: map[string]string{
		"NaN": "CAST('NaN' AS DOUBLE PRECISION)", "+Inf": "CAST('Infinity' AS DOUBLE PRECISION)", "-Inf": "CAST('-Infinity' AS DOUBLE PRECISION)",
	},
	HexLiteral: func(b []byte) string { return `'\x` + hex.EncodeToString(b) + `'` },
	BindCast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE PRECISION)", "text": "CAST(%s AS TEXT)",
		"binary": "CAST(%s AS BYTEA)", "bool": "CAST(%s AS BOOLEAN)", "timestamptz": "CAST(%s AS TIMESTAMPTZ)",
	},
	Series: func(n int) string {
		return fmt.Sprintf("SELECT i, repeat('x', 200) FROM generate_series(1, %d) AS g(i)", n)
	},
	Sleep:     "SELECT pg_sleep(60) /* %s */",
	Running:   "SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
	SessionID: "SELECT pg_backend_pid()",
	Kill:      func(id int64) string { return fmt.Sprintf("SELECT pg_terminate_backend(%d)", id) },
	Table:     "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)",
	Isolation: "SHOW transaction_isolation",
	LevelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "read uncommitted", sql.LevelReadCommitted: "read committed",
		sql.LevelRepeatableRead: "repeatable read", sql.LevelSerializable: "serializable",
	},
}
