// Package mssql registers the SQL Server types, served by
// github.com/microsoft/go-mssqldb: "mssql" (alias "sqlserver") and the
// SQLAlchemy-style names of the platform's seed, "mssql+pyodbc",
// "mssql+pymysql" and "mssql+pymssql". All of them take the fields
// user_name, password, host, port (default 1433) and dbname.
//
// The driver configuration is built from a sqlserver:// URL made with
// net/url and parsed by msdsn.Parse; the URL carries no credentials: the user
// name and password are set on the parsed msdsn.Config afterwards, so no
// character in them can be mis-escaped and no parse error can echo them.
//
// # Encryption
//
// options.encrypt chooses TLS, and defaults to "true": the whole session is
// encrypted and the server certificate is verified (set
// options.trustservercertificate=true to skip the check, or
// options.hostnameincertificate / options.certificate to pin it). The other
// values are "false" (TLS for the login packet only, the driver's own
// default), "disable" (no TLS at all: the password crosses the network
// merely obfuscated) and "strict" (TDS 8.0: TLS before any TDS byte).
// A server that answers "encryption not supported" is refused unless
// options.encrypt is "disable".
//
// # Windows (NTLM) logins
//
// A backslash in user_name, as in `CORP\alice`, makes go-mssqldb log in
// with NTLM as domain CORP, user alice, instead of a SQL Server login. In the
// JSON payload the backslash is escaped: "user_name": "CORP\\alice".
package mssql
