package conformance

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// dialect is the SQL the suite needs from one family of databases.
type dialect struct {
	family string
	// cast maps a kind (see kinds.go) to an expression with one %s, where the
	// literal goes; a missing kind is in na.
	cast map[string]string
	// na: check ID → why the database has no such feature; np: check ID →
	// why the suite cannot prove it on this database.
	na, np map[string]string
	// specials maps "NaN", "+Inf", "-Inf" to an expression; missing ones are
	// not representable.
	specials  map[string]string
	hexLit    func(b []byte) string
	bindCast  map[string]string // kind → expression with one %s for the placeholder
	series    func(n int) string
	sleep     string // a ~60 s statement; %s is a comment marker
	running   string // counts other sessions running marker ($1/? = LIKE pattern); "" = embedded engine
	sessionID string
	kill      func(id int64) string
	table     string // CREATE TABLE %s (id, v) statement
	isolation string // current transaction's isolation level; "" = cannot be read
	// isolationLag is how long a new transaction takes to show in the
	// isolation query.
	isolationLag time.Duration
	levelName    map[sql.IsolationLevel]string // the level the database runs for each request
}

func dialectFor(typ string) *dialect {
	switch typ {
	case "postgresql", "sqlalchemy-redshift":
		return postgresDialect
	case "mysql":
		return mysqlDialect
	case "sqlite":
		return sqliteDialect
	case "databricks":
		return databricksDialect
	}
	return nil
}

var postgresDialect = &dialect{
	family: "PostgreSQL",
	cast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE PRECISION)",
		"decimal": "CAST(%s AS NUMERIC(38,9))", "text": "CAST(%s AS TEXT)", "binary": "CAST(%s AS BYTEA)",
		"bool": "CAST(%s AS BOOLEAN)", "date": "CAST(%s AS DATE)", "time": "CAST(%s AS TIME(6))",
		"timestamp": "CAST(%s AS TIMESTAMP(6))", "timestamptz": "CAST(%s AS TIMESTAMPTZ(6))",
	},
	specials: map[string]string{
		"NaN": "CAST('NaN' AS DOUBLE PRECISION)", "+Inf": "CAST('Infinity' AS DOUBLE PRECISION)", "-Inf": "CAST('-Infinity' AS DOUBLE PRECISION)",
	},
	hexLit: func(b []byte) string { return `'\x` + hex.EncodeToString(b) + `'` },
	bindCast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE PRECISION)", "text": "CAST(%s AS TEXT)",
		"binary": "CAST(%s AS BYTEA)", "bool": "CAST(%s AS BOOLEAN)", "timestamptz": "CAST(%s AS TIMESTAMPTZ)",
	},
	series: func(n int) string {
		return fmt.Sprintf("SELECT i, repeat('x', 200) FROM generate_series(1, %d) AS g(i)", n)
	},
	sleep:     "SELECT pg_sleep(60) /* %s */",
	running:   "SELECT count(*) FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()",
	sessionID: "SELECT pg_backend_pid()",
	kill:      func(id int64) string { return fmt.Sprintf("SELECT pg_terminate_backend(%d)", id) },
	table:     "CREATE TABLE %s (id BIGINT PRIMARY KEY, v TEXT)",
	isolation: "SHOW transaction_isolation",
	levelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "read uncommitted", sql.LevelReadCommitted: "read committed",
		sql.LevelRepeatableRead: "repeatable read", sql.LevelSerializable: "serializable",
	},
}

var mysqlDialect = &dialect{
	family: "MySQL/MariaDB",
	cast: map[string]string{
		"int64": "CAST(%s AS SIGNED)", "float64": "CAST(%s AS DOUBLE)",
		"decimal": "CAST(%s AS DECIMAL(38,9))", "text": "%s", "binary": "%s",
		"bool": "%s", "date": "CAST(%s AS DATE)", "time": "CAST(%s AS TIME(6))",
		"timestamp": "CAST(%s AS DATETIME(6))",
	},
	na: map[string]string{
		"kinds/timestamptz":     "MySQL/MariaDB have no time-zone-aware type (TIMESTAMP converts to the session zone)",
		"kinds/float64-special": "MySQL/MariaDB DOUBLE has no NaN or infinity",
	},
	specials: map[string]string{},
	hexLit:   func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	bindCast: map[string]string{
		"int64": "%s", "float64": "%s", "text": "%s", "binary": "%s", "bool": "%s",
		// The driver sends a time.Time as text in the connection's zone (UTC).
		"timestamptz": "CAST(%s AS DATETIME(6))",
	},
	series: func(n int) string {
		// Digits cross-joined: works on every MySQL and MariaDB, with no
		// recursion limit or sequence engine to rely on.
		d := "(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
		return fmt.Sprintf("SELECT 1 + a.n + 10*b.n + 100*c.n + 1000*d.n + 10000*e.n AS i, REPEAT('x', 200) FROM %s a, %s b, %s c, %s d, %s e WHERE 1 + a.n + 10*b.n + 100*c.n + 1000*d.n + 10000*e.n <= %d", d, d, d, d, d, n)
	},
	sleep:     "SELECT SLEEP(60) /* %s */",
	running:   "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()",
	sessionID: "SELECT CONNECTION_ID()",
	kill:      func(id int64) string { return fmt.Sprintf("KILL CONNECTION %d", id) },
	table:     "CREATE TABLE %s (id BIGINT PRIMARY KEY, v VARCHAR(100)) ENGINE=InnoDB",
	isolation: "SELECT REPLACE(LOWER(trx_isolation_level), '-', ' ') FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()",
	// InnoDB refreshes its INFORMATION_SCHEMA transaction tables at most
	// every 0.1 s: a quicker read shows the session's previous transaction.
	isolationLag: 150 * time.Millisecond,
	levelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "read uncommitted", sql.LevelReadCommitted: "read committed",
		sql.LevelRepeatableRead: "repeatable read", sql.LevelSerializable: "serializable",
	},
}

var sqliteDialect = &dialect{
	family: "SQLite",
	cast: map[string]string{
		"int64": "CAST(%s AS INTEGER)", "float64": "CAST(%s AS REAL)", "text": "%s", "binary": "%s", "bool": "%s",
	},
	na: map[string]string{
		"kinds/decimal":     "SQLite has no exact decimal type (NUMERIC stores REAL or INTEGER)",
		"kinds/date":        "SQLite has no date type (dates are TEXT, REAL or INTEGER)",
		"kinds/time":        "SQLite has no time type (times are TEXT, REAL or INTEGER)",
		"kinds/timestamp":   "SQLite has no timestamp type (timestamps are TEXT, REAL or INTEGER)",
		"kinds/timestamptz": "SQLite has no time-zone-aware type",
		"pool-recovery":     "SQLite is an embedded engine: there is no server to drop connections",
	},
	// SQLite stores NaN as NULL; 9e999 overflows to infinity.
	specials: map[string]string{"+Inf": "9e999", "-Inf": "-9e999"},
	hexLit:   func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	bindCast: map[string]string{
		"int64": "%s", "float64": "%s", "text": "%s", "binary": "%s", "bool": "%s",
	},
	series: func(n int) string {
		return fmt.Sprintf("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %d) SELECT i, replace(hex(zeroblob(100)), '0', 'x') FROM g", n)
	},
	// An unbounded count: only an interrupt ends it early.
	sleep: "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 4000000000) SELECT count(*) FROM g /* %s */",
	table: "CREATE TABLE %s (id INTEGER PRIMARY KEY, v TEXT)",
	// SQLite runs every transaction serializably, whatever is asked.
	levelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "serializable", sql.LevelReadCommitted: "serializable",
		sql.LevelRepeatableRead: "serializable", sql.LevelSerializable: "serializable",
	},
}

// likePattern returns a LIKE pattern matching text containing marker.
func likePattern(marker string) string { return "%" + strings.ReplaceAll(marker, "_", `\_`) + "%" }

// databricksDialect is Databricks SQL. It is proven here only against the
// local peer (conformance/dbsqlpeer), which runs statements on SQLite.
var databricksDialect = &dialect{
	family: "Databricks SQL",
	cast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE)",
		"decimal": "CAST(%s AS DECIMAL(38,9))", "text": "CAST(%s AS STRING)", "binary": "%s",
		"bool": "%s", "date": "CAST(%s AS DATE)", "timestamp": "CAST(%s AS TIMESTAMP_NTZ)",
		"timestamptz": "CAST(%s AS TIMESTAMP)",
	},
	specials: map[string]string{
		"NaN": "CAST('NaN' AS DOUBLE)", "+Inf": "CAST('Infinity' AS DOUBLE)", "-Inf": "CAST('-Infinity' AS DOUBLE)",
	},
	hexLit: func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	bindCast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE)", "text": "CAST(%s AS STRING)",
		"binary": "%s", "bool": "CAST(%s AS BOOLEAN)", "timestamptz": "CAST(%s AS TIMESTAMP)",
	},
	series: func(n int) string {
		return fmt.Sprintf("SELECT id, repeat('x', 200) FROM range(1, %d)", n+1)
	},
	// Four trillion rows to count: minutes of work, ended only by a cancel.
	sleep: "SELECT count(*) FROM range(0, 4000000000000) /* %s */",
	na: map[string]string{
		"kinds/time":   "Databricks SQL has no TIME type",
		"tx":           "Databricks SQL has no multi-statement transactions (databricks-sql-go refuses BeginTx)",
		"tx-isolation": "Databricks SQL has no multi-statement transactions",
	},
	// Without a Target.Observer (the local peer's target has one):
	np: map[string]string{
		"cancel":        "no SQL lets another session see a Databricks statement running (the query history is a REST API); give the target an Observer",
		"deadline":      "no SQL lets another session see a Databricks statement running (the query history is a REST API); give the target an Observer",
		"pool-recovery": "no SQL ends another Databricks session; give the target an Observer",
	},
}
