// Package mysql registers the mysql type (alias mariadb), served by
// github.com/go-sql-driver/mysql. The driver configuration is built with
// mysql.NewConfig and mysql.NewConnector from the connection's fields, never
// from a DSN string, so any character is safe in a password. ParseTime is
// on (DATETIME and TIMESTAMP scan into time.Time, in UTC unless options.loc
// says otherwise), and TLS is "preferred" unless options.tls says otherwise.
package mysql
