// Package mysql registers the mysql type (alias mariadb), served by
// github.com/go-sql-driver/mysql. The driver configuration is built with
// mysql.NewConfig and mysql.NewConnector from the connection's fields, never
// from a DSN string, so any character is safe in a password. ParseTime is
// on (DATETIME and TIMESTAMP scan into time.Time, in UTC unless options.loc
// says otherwise), and TLS is "preferred" unless options.tls says otherwise.
//
// options.charset is sent as SET NAMES (with options.collation when set).
// options.timeout (default 10s) bounds the whole connection setup — dial,
// TLS, handshake and authentication — so a server that accepts TCP and
// never answers fails the connection instead of hanging it; statements are
// bounded by their contexts. The driver's own logger is not used: its
// messages ("closing bad idle connection: EOF") repeat errors the pool
// handles or returns, and would otherwise be written to stderr.
package mysql
