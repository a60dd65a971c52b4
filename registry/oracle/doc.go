// Package oracle registers the oracle type, served by
// github.com/sijms/go-ora/v2. Fields: user_name, password, host, port
// (default 1521), dbname (the service name) or sid.
//
// The driver takes a connection string, so the connector is built from an
// oracle:// URL made with net/url (user name and password in its userinfo,
// escaped by url.UserPassword; go_ora.BuildUrl is not used because it leaves
// ':' in a user name unescaped). The URL is parsed once by go-ora's own
// configurations.ParseConfig when the connector is built, so a bad
// connection fails early, with a message that holds no credential.
//
// Quirks of go-ora kept visible here: a user named SYS logs in AS SYSDBA;
// an empty password would mean operating-system authentication, so a
// password is required. Driver options (options.ssl, options.ssl_verify,
// options.timeout, options.prefetch_rows, options.language,
// options.territory) are passed as go-ora URL parameters; tracing options
// are not accepted, since a packet trace would write the password to a file.
// go-ora leaves the socket of a connect that fails after the TCP connection
// is up (a failed login) open until the garbage collector runs: vap's
// connector dials for it and closes every socket of a failed connect.
// go-ora reports a statement it stopped because its context ended as
// ORA-01013, not as the context's error: Canceled recognizes it, so vap's
// readers (odbc) return an error matching both; database/sql callers get
// ORA-01013 alone.
package oracle
