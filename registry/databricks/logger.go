package databricks

import dbsqllog "github.com/databricks/databricks-sql-go/logger"

// The driver's global logger writes server error text, which can echo a
// token, to stderr. Silence it; errors reach callers, scrubbed.
func init() { _ = dbsqllog.SetLogLevel("disabled") }
