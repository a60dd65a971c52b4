package oracle

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/vapsql/vap/registry"
)

// Dialect is Oracle's SQL for the conformance suite: every SELECT of
// expressions reads FROM DUAL, dates and timestamps are written with
// TO_DATE/TO_TIMESTAMP(_TZ) and explicit masks (a bare cast depends on the
// session's NLS settings), the empty string is NULL, and there is no
// BOOLEAN (before 23ai) or TIME type.
//
// Against a real server, seeing other sessions' statements (V$SESSION
// joined with V$SQL) needs SELECT on those views (SELECT_CATALOG_ROLE),
// and ending a session (ALTER SYSTEM KILL SESSION) needs ALTER SYSTEM. The
// local peer (peer/orapeer) has no V$SQL: its target watches and ends
// sessions through an Observer instead. go-ora's BeginTx refuses every
// isolation level but the default (READ COMMITTED) and SERIALIZABLE.
var Dialect = &registry.Dialect{
	Family: "Oracle",
	From:   " FROM DUAL",
	Cast: map[string]string{
		"int64": "CAST(%s AS NUMBER(19))", "float64": "CAST(%s AS BINARY_DOUBLE)",
		"decimal": "CAST(%s AS NUMBER(38,9))", "text": "CAST(%s AS VARCHAR2(200))", "binary": "%s",
		"date": "%s", "timestamp": "%s", "timestamptz": "%s",
	},
	NA: map[string]string{
		"kinds/bool": "Oracle has no BOOLEAN type before 23ai",
		"kinds/time": "Oracle has no TIME type",
		"tx-isolation": "go-ora's BeginTx refuses every isolation level but the default; " +
			"Oracle's levels (READ COMMITTED, SERIALIZABLE) are set with SET TRANSACTION, which the driver does not expose",
	},
	EmptyIsNull: true,
	Literal: func(kind, v string) string {
		q := "'" + strings.ReplaceAll(v, "'", "''") + "'"
		switch kind {
		case "date":
			return "TO_DATE(" + q + ", 'YYYY-MM-DD')"
		case "timestamp":
			if strings.Contains(v, ".") {
				return "TO_TIMESTAMP(" + q + ", 'YYYY-MM-DD HH24:MI:SS.FF6')"
			}
			return "TO_TIMESTAMP(" + q + ", 'YYYY-MM-DD HH24:MI:SS')"
		case "timestamptz":
			if strings.Contains(v, ".") {
				return "TO_TIMESTAMP_TZ(" + q + ", 'YYYY-MM-DD HH24:MI:SS.FF6TZH:TZM')"
			}
			return "TO_TIMESTAMP_TZ(" + q + ", 'YYYY-MM-DD HH24:MI:SSTZH:TZM')"
		}
		return ""
	},
	Specials: map[string]string{
		"NaN": "BINARY_DOUBLE_NAN", "+Inf": "BINARY_DOUBLE_INFINITY", "-Inf": "-BINARY_DOUBLE_INFINITY",
	},
	HexLiteral: func(b []byte) string { return "HEXTORAW('" + strings.ToUpper(hex.EncodeToString(b)) + "')" },
	BindCast: map[string]string{
		"int64": "%s", "float64": "%s", "text": "%s", "binary": "%s", "timestamptz": "CAST(%s AS TIMESTAMP WITH TIME ZONE)",
	},
	Series: func(n int) string {
		return fmt.Sprintf("SELECT LEVEL, RPAD('x', 200, 'x') FROM DUAL CONNECT BY LEVEL <= %d", n)
	},
	Sleep:     "BEGIN DBMS_SESSION.SLEEP(60); END; /* %s */",
	Running:   "SELECT COUNT(*) FROM V$SESSION s JOIN V$SQL q ON q.SQL_ID = s.SQL_ID WHERE q.SQL_TEXT LIKE :1 AND s.STATUS = 'ACTIVE' AND s.SID <> SYS_CONTEXT('USERENV', 'SID')",
	SessionID: "SELECT TO_NUMBER(SYS_CONTEXT('USERENV', 'SID')) FROM DUAL",
	Kill: func(id int64) string {
		return fmt.Sprintf("BEGIN FOR s IN (SELECT SID, SERIAL# AS SER FROM V$SESSION WHERE SID = %d) LOOP "+
			"EXECUTE IMMEDIATE 'ALTER SYSTEM KILL SESSION ''' || s.SID || ',' || s.SER || ''' IMMEDIATE'; END LOOP; END;", id)
	},
	Table: "CREATE TABLE %s (id NUMBER(19) PRIMARY KEY, v VARCHAR2(100))",
	LevelName: map[sql.IsolationLevel]string{
		sql.LevelReadCommitted: "read committed", sql.LevelSerializable: "serializable",
	},
}
