// Package orapeer is a local Oracle Database peer: a TNS/TTC server that
// the real github.com/sijms/go-ora/v2 driver, and python-oracledb in thin
// mode, talk to as they talk to Oracle, running the statements on an
// embedded SQLite database (modernc.org/sqlite). It lets vap prove Oracle
// connections past login (password checked, statements run, errors, cancel,
// transactions) on a machine where no Oracle server can run.
//
//	p, err := orapeer.Start(orapeer.Config{User: "app", Password: pw, Service: "FREEPDB1"})
//	...
//	defer p.Close()
//	// connect to p.Host():p.Port(), service p.Service()
//
// cmd/orapeer runs a peer in a process of its own.
//
// # The wire, as emulated
//
//   - TNS: CONNECT (the descriptor inline or in the following DATA packet),
//     ACCEPT with version 317 (32-bit packet lengths, SDU up to 32767, no
//     out-of-band break) and ACFL0 = NSI_DISABLE_NA, so clients skip
//     Advanced Networking Option negotiation; REFUSE with ORA-12514 for an
//     unknown service (SERVICE_NAME or SID), ORA-12564 for clients older
//     than TNS 315. python-oracledb sends the NA services packet anyway: it
//     is answered with "no services".
//   - TTC: TTIPRO (AL32UTF8, AL16UTF16 national charset, TTC field version
//     7 = 12.1), TTIDTY (database time zone +00:00), O5LOGON with the 12c
//     verifier only (18453: PBKDF2-HMAC-SHA512 speedy key, 4096 iterations,
//     AUTH_PBKDF2_CSK_SALT, SDER count 3, AES-256-CBC session keys with a
//     zero IV). The peer keeps the verifier, not the password; phase 2
//     checks AUTH_PASSWORD (and AUTH_PBKDF2_SPEEDY_KEY when sent) and
//     answers ORA-01017 for any mismatch, unknown users included, then
//     AUTH_SESSION_ID, AUTH_SERIAL_NUM, AUTH_VERSION_NO (19.3.0.0.0) and
//     AUTH_SVR_RESPONSE. OVERSION, ping (0x93), logoff.
//   - Calls: OALL8 (parse, bind, execute, fetch; bind and define
//     descriptions; array DML), OEXEC/OEXFEN re-execution of a parsed
//     cursor, OFETCH, OCOMMIT, OROLLBACK, piggybacked cursor close.
//     Answers: describe information, row header and row data, the IO
//     vector and OUT values of PL/SQL binds, the end-of-call summary (rows
//     processed, cursor id, ORA-01403 at the end of a fetch, ORA- errors).
//   - Cancel: a TNS MARKER interrupt from the client interrupts the running
//     statement; the peer answers BREAK and RESET markers, waits for the
//     client's RESET and reports ORA-01013, and the session stays usable.
//   - Types on the wire: NUMBER (base-100), BINARY_DOUBLE (BINARY_FLOAT
//     binds), DATE, TIMESTAMP, TIMESTAMP WITH TIME ZONE (offsets; region
//     ids read as UTC), VARCHAR2/CHAR, NVARCHAR2/NCHAR (AL16UTF16), RAW,
//     NULL; boolean binds as 0/1.
//
// Not emulated: LOBs (CLOB, BLOB, BFILE and LOB operations), LONG columns,
// REF CURSORs, object and collection types, XMLType, JSON, VECTOR, INTERVAL
// types, ROWID values; TCPS (TLS), Kerberos, RADIUS and other external
// authentication, proxy users, ANO encryption and checksumming (the peer
// turns them off), the 10g and 11g verifiers (2361, 6949), password
// change, DRCP, Application Continuity, implicit results, bulk copy
// (direct path), distributed transactions, OOB breaks (urgent data),
// server-side statement caching, OCI/thick clients (only thin clients were
// tried: go-ora and python-oracledb).
//
// # SQL
//
// Statements run on SQLite after a token-level rewrite, so SQL that both
// Oracle and SQLite read the same way works as on Oracle, and the rest is
// what is listed here:
//
//   - Statements: SELECT/WITH queries ([FOR UPDATE ...] accepted); INSERT,
//     UPDATE, DELETE (row counts; array binds; RETURNING exprs INTO :binds
//     for one row, as OUT binds); CREATE SEQUENCE name [START WITH n]
//     [INCREMENT BY m] and DROP SEQUENCE, with seq.NEXTVAL (one value per
//     execution, not rolled back) and seq.CURRVAL (per session, ORA-08002
//     before a NEXTVAL); CREATE TABLE (types checked: NUMBER[(p[,s])], INTEGER,
//     FLOAT, BINARY_DOUBLE/FLOAT, VARCHAR2/VARCHAR(n [CHAR|BYTE]),
//     NVARCHAR2, CHAR, NCHAR, DATE, TIMESTAMP[(n)] [WITH [LOCAL] TIME ZONE],
//     RAW; BOOLEAN and other types are ORA-00902; GENERATED ... AS IDENTITY
//     on a numeric key), DROP TABLE [CASCADE CONSTRAINTS] [PURGE], TRUNCATE
//     TABLE, CREATE INDEX/VIEW as SQLite reads them; GRANT, REVOKE, COMMENT
//     and ALTER SESSION are accepted and ignored; COMMIT, ROLLBACK; ALTER
//     SYSTEM KILL SESSION 'sid,serial#' [IMMEDIATE] ends that session
//     (ORA-00027 for one's own, ORA-00030 for an unknown one). DDL commits
//     an open transaction, as on Oracle. A statement ending in ';' is
//     ORA-00933.
//   - Anonymous PL/SQL: BEGIN ... END; made of SELECT ... INTO :binds
//     (OUT binds; ORA-01403 / ORA-01422), DBMS_SESSION.SLEEP(s) and
//     DBMS_LOCK.SLEEP(s) (cancellable), EXECUTE IMMEDIATE '<sql>', NULL and
//     plain SQL statements. DECLARE, control flow and exception handlers
//     are not emulated (ORA-06550).
//   - Binds: positional (:1) and named (:name), repeated names, by
//     occurrence for SQL and by name for PL/SQL.
//   - Oracle semantics: the empty string (literal or bind) is NULL; DUAL; FROM DUAL
//     CONNECT BY LEVEL|ROWNUM <= n (or <) generates rows with a LEVEL
//     column; division is exact (7/2 = 3.5) and x/0 is ORA-01476; DATE
//     keeps a time part; unquoted names come back upper case; USER,
//     SYSDATE, SYSTIMESTAMP, CURRENT_DATE, CURRENT_TIMESTAMP,
//     LOCALTIMESTAMP, DBTIMEZONE/SESSIONTIMEZONE ('+00:00'),
//     BINARY_DOUBLE_NAN/INFINITY (and BINARY_FLOAT_*), SYS_CONTEXT('USERENV',
//     'SID'|'SESSION_USER'|'CURRENT_USER'|'CURRENT_SCHEMA'|'DB_NAME'|
//     'SERVICE_NAME'|'INSTANCE_NAME'), V$SESSION (SID, SERIAL#, USERNAME,
//     STATUS, PROGRAM), sys.nls_session_parameters, SYS. and own-schema
//     prefixes, MINUS, OFFSET n ROWS FETCH FIRST|NEXT n ROWS ONLY, a
//     top-level WHERE ROWNUM <= n (or < n, = 1) as a row limit, || with NULL
//     as the empty string.
//   - Functions: CAST to NUMBER/INTEGER/FLOAT/DECIMAL, BINARY_DOUBLE/FLOAT,
//     VARCHAR2/CHAR/NVARCHAR2, DATE, TIMESTAMP [WITH TIME ZONE], RAW;
//     TO_DATE, TO_TIMESTAMP, TO_TIMESTAMP_TZ (masks YYYY RRRR YY RR MONTH MON
//     MM DDD DD DY HH24 HH12 HH MI SS FF[1-9] AM/PM TZH[:TZM] TZR and
//     "literal"; without a mask DD-MON-RR or ISO text), TO_CHAR (numbers as
//     Oracle prints them, dates with a mask), TO_NUMBER, TO_BINARY_DOUBLE,
//     NVL, NVL2, DECODE, MOD, TRUNC (numbers and dates), ROUND, FLOOR, CEIL,
//     POWER, SQRT, CONCAT, LENGTH, SUBSTR, INSTR, LPAD, RPAD, HEXTORAW,
//     RAWTOHEX, ADD_MONTHS, and SQLite's own where Oracle's name means the
//     same (UPPER, LOWER, TRIM, LTRIM, RTRIM, REPLACE, ABS, COALESCE,
//     COUNT, SUM, AVG, MIN, MAX ...).
//   - Errors: ORA-00900 (unknown statement or syntax error), 00904, 00942,
//     00001, 01400, 02291, 02290, 00955, 00902, 00907, 00909, 00913, 00933,
//     01008, 01013, 01403, 01422, 01426, 01476, 01722, 01861, 01821, 00932,
//     06550, 00060 (a lock wait past SQLite's 10 s busy timeout); the
//     session stays usable after each. Anything else is ORA-00600 with
//     SQLite's message.
//
// Differences that remain: quoted identifiers are case-insensitive; CHAR
// values are padded on output only; || binds tighter than + and - (as in
// SQLite); ROWNUM limits after ORDER BY (Oracle numbers rows before it);
// seq.NEXTVAL in INSERT ... SELECT gives every row the same value; MERGE,
// ROWNUM elsewhere, analytic functions beyond SQLite's, hierarchical
// queries on tables, outer-join (+) syntax and NUMBER precision and scale
// checks are not emulated; a NUMBER column
// keeps what SQLite keeps (64-bit integers, doubles); isolation is
// SQLite's (a writing transaction holds the database's write lock, others
// wait); TIMESTAMP WITH LOCAL TIME ZONE is TIMESTAMP WITH TIME ZONE.
//
// RunningStatements and DropSessions observe and end sessions from the
// test side (peer/observe's Observable, for the conformance Observer), as
// an administrator's view of V$SESSION and ALTER SYSTEM KILL SESSION
// would. With Config.AdminToken the peer also serves them over HTTP
// (AdminURL, Remote), for a peer in another process (cmd/orapeer,
// peer/peerproc). Statements are tokenized by peer/sqltext.
package orapeer
