// Package driver is the vap database/sql driver. Importing it registers the
// driver "vap":
//
//	import _ "github.com/vapsql/vap/driver"
//
//	db, err := sql.Open("vap", "my-postgres-connection")
//
// The data source name is a connection name. sql.Open resolves it once (from
// VAP_CONN_<NAME> or the connection store), builds the real driver's
// connector from the stored fields, and every physical connection is the
// real driver's own, returned unwrapped: no per-query overhead.
//
// Before each new physical connection the connector asks the store for the
// connection's version, a cheap indexed read that decrypts nothing; when the
// connection was updated (a new password, say), it is resolved again, so new
// connections use the new settings while open ones carry on.
//
// NewConnector serves sql.OpenDB and accepts options such as WithStore.
package driver
