package mysql

import (
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/vapsql/vap/registry"
)

// Dialect is MySQL's and MariaDB's SQL for the conformance suite. Seeing
// other sessions' statements (information_schema.PROCESSLIST) and ending
// them (KILL) needs only the user's own sessions; reading the isolation
// level from information_schema.INNODB_TRX needs the PROCESS privilege
// (without it, MissingGrant names it and the check is not provable).
var Dialect = &registry.Dialect{
	Family: "MySQL/MariaDB",
	Cast: map[string]string{
		"int64": "CAST(%s AS SIGNED)", "float64": "CAST(%s AS DOUBLE)",
		"decimal": "CAST(%s AS DECIMAL(38,9))", "text": "%s", "binary": "%s",
		"bool": "%s", "date": "CAST(%s AS DATE)", "time": "CAST(%s AS TIME(6))",
		"timestamp": "CAST(%s AS DATETIME(6))",
	},
	NA: map[string]string{
		"kinds/timestamptz":     "MySQL/MariaDB have no time-zone-aware type (TIMESTAMP converts to the session zone)",
		"kinds/float64-special": "MySQL/MariaDB DOUBLE has no NaN or infinity",
	},
	Specials:   map[string]string{},
	HexLiteral: func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	BindCast: map[string]string{
		"int64": "%s", "float64": "%s", "text": "%s", "binary": "%s", "bool": "%s",
		// The driver sends a time.Time as text in the connection's zone (UTC).
		"timestamptz": "CAST(%s AS DATETIME(6))",
	},
	Series: func(n int) string {
		// Digits cross-joined: works on every MySQL and MariaDB, with no
		// recursion limit or sequence engine to rely on.
		d := "(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
		return fmt.Sprintf("SELECT 1 + a.n + 10*b.n + 100*c.n + 1000*d.n + 10000*e.n AS i, REPEAT('x', 200) FROM %s a, %s b, %s c, %s d, %s e WHERE 1 + a.n + 10*b.n + 100*c.n + 1000*d.n + 10000*e.n <= %d", d, d, d, d, d, n)
	},
	Sleep:     "SELECT SLEEP(60) /* %s */",
	Running:   "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()",
	SessionID: "SELECT CONNECTION_ID()",
	Kill:      func(id int64) string { return fmt.Sprintf("KILL CONNECTION %d", id) },
	Table:     "CREATE TABLE %s (id BIGINT PRIMARY KEY, v VARCHAR(100)) ENGINE=InnoDB",
	Isolation: "SELECT REPLACE(LOWER(trx_isolation_level), '-', ' ') FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()",
	// InnoDB refreshes its INFORMATION_SCHEMA transaction tables at most
	// every 0.1 s: a quicker read shows the session's previous transaction.
	IsolationLag: 150 * time.Millisecond,
	LevelName: map[sql.IsolationLevel]string{
		sql.LevelReadUncommitted: "read uncommitted", sql.LevelReadCommitted: "read committed",
		sql.LevelRepeatableRead: "repeatable read", sql.LevelSerializable: "serializable",
	},
	MissingGrant: MissingGrant,
}

// privilegeName finds the privilege in MySQL's and MariaDB's "you need (at
// least one of) the PROCESS privilege(s)" message.
var privilegeName = regexp.MustCompile(`the ([A-Z][A-Z ,]*?) privilege`)

// MissingGrant names the grant a MySQL/MariaDB access-denied error asks
// for: error 1227 (a global privilege, named in the message), 1142 and 1143
// (a table or column privilege), 1044 (a database). "" for other errors.
func MissingGrant(err error) string {
	var me *gomysql.MySQLError
	if !errors.As(err, &me) {
		return ""
	}
	switch me.Number {
	case 1227:
		if m := privilegeName.FindStringSubmatch(me.Message); m != nil {
			return fmt.Sprintf("the %s privilege (GRANT %s ON *.* TO the connection's user)", m[1], m[1])
		}
		return "a global privilege the server names in error 1227"
	case 1142, 1143:
		return "a table privilege on the object the server names in error " + fmt.Sprint(me.Number)
	case 1044:
		return "a privilege on the database the server names in error 1044"
	}
	return ""
}
