// Package tdspeer is a local SQL Server: a peer that speaks TDS 7.4 (and
// TDS 8.0's TLS-first "strict" encryption) to real clients, go-mssqldb
// first and independent ones such as FreeTDS and pytds, and runs their
// statements on an embedded SQLite database, translating a subset of
// T-SQL. It stands in for a server in tests, as peer/dbsqlpeer does for a
// Databricks warehouse, and shares peer/sqltext (tokens), peer/observe
// (the admin endpoints) and peer/peerproc (child processes) with it.
//
// Start starts a peer on 127.0.0.1 with one SQL login (Config.User and
// Config.Password) and one database; Close removes it. Without a
// Config.TLS the peer makes its own CA and a certificate for localhost and
// 127.0.0.1; CAFile is what a client verifies it with (go-mssqldb's
// "certificate" parameter, vap's options.certificate). Serve and
// cmd/tdspeer run a peer in a process of its own.
//
// # Protocol
//
//   - PRELOGIN, with encryption negotiated as SQL Server does: ENCRYPT_ON
//     (the whole session in TLS; the handshake carried in PRELOGIN
//     packets, one message per flight, TLS 1.2 as SQL Server offers before
//     TDS 8.0, session tickets off), ENCRYPT_OFF (only LOGIN7 encrypted),
//     ENCRYPT_NOT_SUP (no TLS), and strict (TLS 1.2 or 1.3 before
//     PRELOGIN, ALPN "tds/8.0").
//   - LOGIN7 with SQL authentication: a wrong user or password gets error
//     18456 "Login failed for user '…'.", another database 4060, more than
//     Config.MaxSessions sessions 17809. LOGINACK (TDS 7.4, SQL Server
//     16.0), ENVCHANGE database, collation (SQL_Latin1_General_CP1_CI_AS),
//     language and packet size, INFO 5701 and 5703.
//   - LOGIN7 with Microsoft Entra ID (Azure AD) federated authentication,
//     security token library (FEDAUTH feature extension 0x02, library
//     0x01: an access token in LOGIN7, as go-mssqldb's
//     NewSecurityTokenConnector sends), when Config.FedAuth is set: it
//     checks the token and names the login; FEATUREEXTACK acknowledges
//     FEDAUTH. A refused token gets 18456 "Login failed for user
//     '<token-identified principal>'.".
//   - SQLBatch, and RPC sp_executesql (ProcID 10) with @parameters of the
//     types go-mssqldb sends (INTN, FLTN, BITN, DECIMALN, MONEYN, NVARCHAR
//     and VARCHAR incl. PLP, BIGVARBIN incl. PLP, DATEN, TIMEN, DATETIME2N,
//     DATETIMEOFFSETN, DATETIMEN, GUID, NULL). Results as COLMETADATA,
//     ROW (NBCROW for a row with NULLs), DONE/DONEINPROC/DONEPROC with row
//     counts and SET NOCOUNT, RETURNSTATUS; several statements (separated
//     by ';') and result sets per batch.
//   - Errors as ERROR tokens with SQL Server's numbers, states and
//     classes: 102 and 105 (syntax: nothing of the batch runs), 137, 195,
//     207, 208, 241, 245, 515, 2627, 2714, 3902/3903, 8114, 8115, 8134,
//     8169. The session stays usable.
//   - Transactions: TM requests BEGIN (with its isolation level), COMMIT
//     and ROLLBACK (with an optional new transaction), and BEGIN TRAN,
//     COMMIT, ROLLBACK statements (nesting counted in @@TRANCOUNT), with
//     ENVCHANGE 8/9/10; the transaction descriptor in ALL_HEADERS is
//     checked (3910). RESETCONNECTION rolls back, drops #temp tables and
//     resets the session's options, answered with ENVCHANGE 18.
//   - ATTENTION: a running request stops and its response ends with
//     DONE(ATTN); an ATTENTION after the response gets a DONE(ATTN) of its
//     own. WAITFOR DELAY sleeps until cancelled.
//
// # Types
//
// BIT, TINYINT, SMALLINT, INT, BIGINT, REAL, FLOAT, DECIMAL/NUMERIC up to
// 38 digits (exact), MONEY, SMALLMONEY, CHAR, VARCHAR, NCHAR, NVARCHAR (and
// MAX), BINARY, VARBINARY (and MAX), DATE, TIME, DATETIME, SMALLDATETIME,
// DATETIME2, DATETIMEOFFSET, UNIQUEIDENTIFIER, and NULL of each. A result
// column's type comes, in this order, from a top-level CAST(x AS T) or
// CONVERT(T, x) (which the peer performs by SQL Server's rules: rounding,
// overflow 8115, conversion errors, string truncation), from an item that
// is a parameter, from the column's declared type, and else from the
// first values (INT or BIGINT, FLOAT, NVARCHAR, VARBINARY, DATETIME2; INT
// for all NULL). VARCHAR and CHAR hold code page 1252, so a non-N '…' literal
// loses what the code page lacks ('?'), as on SQL Server; N'…' keeps it.
// Bare TRUE and FALSE are column names (error 207), as in T-SQL.
//
// # T-SQL
//
// SELECT (TOP, OFFSET … FETCH, WITH common table expressions, OPTION
// hints ignored), INSERT, UPDATE, DELETE, CREATE/DROP/ALTER TABLE with
// T-SQL column types (INT IDENTITY PRIMARY KEY), #temp tables, TRUNCATE
// TABLE, BEGIN TRAN/COMMIT/ROLLBACK, SET NOCOUNT, SET TRANSACTION
// ISOLATION LEVEL, other SET options (accepted, no effect), USE of the
// peer's database, PRINT, WAITFOR DELAY; dbo. prefixes; @@SPID, @@VERSION,
// @@TRANCOUNT, @@ROWCOUNT, @@IDENTITY, @@SERVERNAME; DB_NAME(),
// SUSER_NAME(), ISNULL, LEN, DATALENGTH, CHARINDEX, REPLICATE, SPACE,
// GETDATE and its relatives, NEWID, '+' between string literals, and
// SQLite's other functions under their names; sys.dm_exec_sessions
// (session_id, login_name, status, transaction_isolation_level,
// program_name, database_id, is_user_process). Division and modulo by
// zero fail with 8134. Rows stream as SQLite produces them; the peer holds
// at most the first 1,000 of a result, which type the columns nothing else
// types.
//
// # Observer
//
// RunningStatements and DropSessions are what a SQL Server administrator
// sees and does with sys.dm_exec_requests and KILL. The peer serves them
// at AdminURL (an observe.Handler, bearer token Config.AdminToken, default
// the password), so an observe.Remote is a conformance.Observer for a peer
// in this process or another.
//
// # Not emulated
//
// NTLM and Kerberos (integrated authentication is refused with 18452), Entra
// ID's ADAL/MSAL workflows (FEDAUTHINFO and the FEDAUTH token message;
// refused with 18456, as is every token without Config.FedAuth), the FEDAUTH
// nonce and signature, BULK INSERT from a file (INSERT BULK with a bulk load
// message is spoken: see bulk.go), MARS, OUTPUT parameters, stored
// procedures other than sp_executesql (2812), Always Encrypted, XML,
// sql_variant, TVPs, cursors, statements without ';' between them (but
// before a SET), T-SQL control flow and variables (IF, WHILE, DECLARE),
// KILL, '+' on string columns, ]] inside [identifiers], nested
// /* comments */, the system catalog beyond sys.dm_exec_sessions (sys.tables,
// INFORMATION_SCHEMA), collations other than SQL_Latin1_General_CP1_CI_AS,
// and more than one database.
package tdspeer
