package databricks

import (
	"encoding/hex"
	"fmt"

	"github.com/vapsql/vap/registry"
)

// Dialect is Databricks SQL for the conformance suite. It is proven here
// only against the local peer (peer/dbsqlpeer), which runs statements on
// SQLite.
var Dialect = &registry.Dialect{
	Family: "Databricks SQL",
	Cast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE)",
		"decimal": "CAST(%s AS DECIMAL(38,9))", "text": "CAST(%s AS STRING)", "binary": "%s",
		"bool": "%s", "date": "CAST(%s AS DATE)", "timestamp": "CAST(%s AS TIMESTAMP_NTZ)",
		"timestamptz": "CAST(%s AS TIMESTAMP)",
	},
	Specials: map[string]string{
		"NaN": "CAST('NaN' AS DOUBLE)", "+Inf": "CAST('Infinity' AS DOUBLE)", "-Inf": "CAST('-Infinity' AS DOUBLE)",
	},
	HexLiteral: func(b []byte) string { return "X'" + hex.EncodeToString(b) + "'" },
	BindCast: map[string]string{
		"int64": "CAST(%s AS BIGINT)", "float64": "CAST(%s AS DOUBLE)", "text": "CAST(%s AS STRING)",
		"binary": "%s", "bool": "CAST(%s AS BOOLEAN)", "timestamptz": "CAST(%s AS TIMESTAMP)",
	},
	Series: func(n int) string {
		return fmt.Sprintf("SELECT id, repeat('x', 200) FROM range(1, %d)", n+1)
	},
	// Four trillion rows to count: minutes of work, ended only by a cancel.
	Sleep: "SELECT count(*) FROM range(0, 4000000000000) /* %s */",
	NA: map[string]string{
		"kinds/time":   "Databricks SQL has no TIME type",
		"tx":           "Databricks SQL has no multi-statement transactions (databricks-sql-go refuses BeginTx)",
		"tx-isolation": "Databricks SQL has no multi-statement transactions",
	},
	// Without a conformance.Target.Observer (the local peer's target has one):
	NP: map[string]string{
		"cancel":        "no SQL lets another session see a Databricks statement running (the query history is a REST API); give the target an Observer",
		"deadline":      "no SQL lets another session see a Databricks statement running (the query history is a REST API); give the target an Observer",
		"pool-recovery": "no SQL ends another Databricks session; give the target an Observer",
	},
}
