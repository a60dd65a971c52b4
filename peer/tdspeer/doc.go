// Package tdspeer is a local SQL Server: a peer that speaks TDS 7.4 (and
// TDS 8.0's TLS-first "strict" encryption) to real clients such as
// github.com/microsoft/go-mssqldb and runs their statements on an embedded
// SQLite database, translating a subset of T-SQL. It stands in for a
// server in tests, as package dbsqlpeer does for a Databricks warehouse.
//
// Start starts a peer on 127.0.0.1 with one SQL login (Config.User and
// Config.Password) and one database; Close removes it. Without a
// Config.TLS the peer makes its own CA and a certificate for localhost;
// CAFile is what a client verifies it with (go-mssqldb's "certificate"
// parameter, vap's options.certificate).
//
// # What is emulated
//
//   - PRELOGIN with encryption negotiated as SQL Server does: ENCRYPT_ON
//     (the whole session in TLS, the handshake carried in PRELOGIN
//     packets, one message per flight; TLS 1.2 as SQL Server, session
//     tickets off), ENCRYPT_OFF (only LOGIN7 encrypted), ENCRYPT_NOT_SUP, and TDS
//     8.0 strict (TLS 1.2 or 1.3 before PRELOGIN, ALPN "tds/8.0").
//   - LOGIN7 with SQL authentication: a wrong user or password gets
//     error 18456 "Login failed for user '…'."; another database 4060.
//     LOGINACK (TDS 7.4, SQL Server 16.0), ENVCHANGE database,
//     collation, language and packet size, INFO 5701 and 5703.
//   - SQLBatch and RPC sp_executesql (ProcID 10) with @parameters of
//     every type go-mssqldb sends; results as COLMETADATA, ROW/NBCROW,
//     DONE/DONEINPROC/DONEPROC with row counts, RETURNSTATUS; several
//     statements (separated by ';') and result sets per batch.
//   - Types BIT, TINYINT, SMALLINT, INT, BIGINT, REAL, FLOAT,
//     DECIMAL/NUMERIC up to 38 digits (exact), MONEY, SMALLMONEY, CHAR,
//     VARCHAR, NCHAR, NVARCHAR (and MAX), BINARY, VARBINARY (and MAX),
//     DATE, TIME, DATETIME, SMALLDATETIME, DATETIME2, DATETIMEOFFSET,
//     UNIQUEIDENTIFIER, and NULL of each.
//   - Errors as ERROR tokens with SQL Server's numbers, states and
//     classes; the session stays usable.
//   - Transactions: TM BEGIN/COMMIT/ROLLBACK requests and BEGIN TRAN,
//     COMMIT, ROLLBACK statements, with ENVCHANGE 8/9/10 and the
//     transaction descriptor checked in ALL_HEADERS; RESETCONNECTION.
//   - ATTENTION (cancel): DONE(ATTN) ends the current response, or
//     answers alone when no request is running; WAITFOR DELAY sleeps until
//     cancelled.
//
// # What is not emulated
//
// NTLM and Kerberos (integrated authentication is refused with 18452),
// Azure AD federated authentication (refused with 18456), bulk copy
// (BULK LOAD packets), MARS, OUTPUT parameters, stored procedures other
// than sp_executesql, Always Encrypted, XML, sql_variant, TVPs, cursors,
// T-SQL control flow (IF, WHILE, DECLARE), and the system catalog
// (sys.*, INFORMATION_SCHEMA).
package tdspeer
