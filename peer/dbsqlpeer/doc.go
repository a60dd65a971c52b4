// Package dbsqlpeer is a local Databricks SQL warehouse for tests: a peer
// that the real databricks-sql-go driver (v1.14.0) cannot tell from a
// warehouse, so Databricks code (a Flow, the conformance suite) runs without
// a workspace.
//
// Start serves HiveServer2's TCLIService as binary Thrift over HTTP on
// 127.0.0.1 and runs the statements on an embedded SQLite database
// (modernc.org/sqlite) in a temporary directory:
//
//	p, err := dbsqlpeer.Start(dbsqlpeer.Config{Token: "dapi-test"})
//	...
//	defer p.Close()
//	c, err := dbsql.NewConnector(
//		dbsql.WithServerHostname(p.Host()), // "localhost": the driver speaks plain HTTP to it
//		dbsql.WithPort(p.Port()),
//		dbsql.WithHTTPPath(p.HTTPPath()),
//		dbsql.WithAccessToken("dapi-test"),
//		dbsql.WithTransport(p.Transport()), // keeps the feature-flag request off port 443
//	)
//	db := sql.OpenDB(c)
//
// # Protocol
//
// The peer answers OpenSession with server protocol SPARK_CLI_SERVICE_PROTOCOL_V8
// (below V8 the driver silently drops bound parameters), ExecuteStatement
// with Databricks direct results (status, result metadata, first page and,
// when the page holds the whole result, the operation already closed: a
// short query costs one round trip), FetchResults paging (FETCH_NEXT,
// FETCH_FIRST, startRowOffset), GetResultSetMetadata, GetOperationStatus,
// CancelOperation, CloseOperation and CloseSession. A statement that runs
// longer than Config.DirectResultsWait is answered RUNNING and the driver
// polls. Canceling the caller's context stops the statement on SQLite:
// through CancelOperation while the driver polls, or, when the driver drops
// the ExecuteStatement request, because the peer cancels a statement whose
// handle nobody can learn. Statement timeouts (queryTimeout) end in
// TIMEDOUT_STATE.
//
// A client can also drop the ExecuteStatement answer after the peer sent
// it: databricks-sql-go v1.14.0 checks its context once the HTTP answer has
// arrived and, when it is done, discards the answer (net/http logs
// "RoundTripper returned a response & error; ignoring response") and
// returns context.Canceled without the handle, so it never sends
// CancelOperation. A warehouse ends such a statement when its client stops
// asking about it; so does the peer: a running statement no call has named
// for Config.AbandonedStatementTimeout (default ten of the driver's
// one-second status polls) is canceled and closed (Stats.Abandoned).
//
// Every Thrift request needs "Authorization: Bearer <token>": the configured
// Config.Token (a personal access token) or a token issued by the peer's
// OAuth token endpoint (TokenURL, /oidc/v1/token) for a client_credentials
// grant with Config.ClientID and Config.ClientSecret, or for an RFC 8693
// token exchange presenting Config.SubjectToken or one of the viewers'
// subject tokens in Config.Viewers. Anything else gets HTTP 401. Each
// token stands for a user, which current_user() returns in a statement:
// TokenUser for Config.Token, the client ID for client credentials,
// FederatedUser for Config.SubjectToken, the viewer's name for a viewer's
// token.
//
// Failures are operations in ERROR_STATE with a SQLSTATE and a message in
// Databricks' form "[ERROR_CLASS] text SQLSTATE: xxxxx" (42601 syntax,
// 42P01 missing table, 42703 missing column, 23505 unique violation, 22018
// a value that cannot be read as its column type, 57014 canceled, ...), which
// the driver surfaces as a DBExecutionError with SqlState.
//
// Parameters arrive as TSparkParameter: an unnamed one binds the next "?",
// a named one ":name". They are bound with the SQLite storage of their Spark
// type (BOOLEAN as 0/1, DATE and TIMESTAMP as canonical UTC text).
//
// # Types
//
// Result columns are typed INT, BIGINT, SMALLINT, TINYINT, DOUBLE, FLOAT,
// BOOLEAN, BINARY, STRING, DECIMAL(p,s), TIMESTAMP, DATE (and NULL, VOID in
// Arrow, for a bare NULL literal). A column's type comes
// from the SQL, never from one value: the declared type of the table column
// it reads (CREATE TABLE t (n INT, d DECIMAL(10,2), ...)); else the type the
// SELECT item spells (CAST(x AS DATE), DATE '2024-01-02', TRUE, 1.50, 7);
// else, for other expressions, the SQLite storage classes of all the
// column's values (only integers BIGINT, numbers DOUBLE, blobs BINARY,
// otherwise STRING). Through database/sql the driver then returns INT as
// int32, SMALLINT int16, TINYINT int8, FLOAT float32, DECIMAL as string and
// DATE/TIMESTAMP as time.Time, exactly as from a warehouse.
//
// ARRAY, MAP and STRUCT columns come from Spark's constructors as a whole
// SELECT item: array(…), map(k, v, …), named_struct('name', v, …) and
// struct(…), nested as deep as wanted. Each argument is typed by its text
// (a literal, a CAST, a DATE or TIMESTAMP literal, a nested constructor;
// anything else STRING), elements take their common type as Spark widens
// them (array(3.30, 1.5) is ARRAY<DECIMAL(3,2)>), and the peer converts
// every element strictly itself: CAST('NaN' AS DOUBLE) inside an array is
// NaN, 3.30 stays 3.30, and an element that does not fit its type (or
// elements of no common type) fails the statement with an error naming the
// column and the element. In Arrow they are native list<element>,
// map<entries: struct<key, value>> and struct, with every nested value in
// its native Arrow type (decimal128, timestamp[us], date32), and
// "Spark:DataType:SqlName" spells the whole type (ARRAY<DECIMAL(4,2)>,
// MAP<STRING, INT>, STRUCT<a: INT, `b c`: DATE>); a client that does not
// ask for native complex types, and a column-based result, gets JSON text
// (arrays; objects for STRUCTs and MAPs, map keys as their text; DECIMAL as
// a number with its scale; DATE "2006-01-02"; TIMESTAMP RFC 3339 in UTC;
// BINARY base64; NaN and the infinities as "NaN", "Infinity",
// "-Infinity"), the form vap reads complex values to. Whether a warehouse's
// column-based text is exactly this form is not verified here (vap always
// asks for Arrow, which a warehouse then always sends).
//
// # Result formats
//
// A client that can read Arrow (databricks-sql-go always says so) gets the
// answers a warehouse gives (Config.Results ArrowResults, the default):
//
//   - ARROW_BASED_SET: TGetResultSetMetadataResp.arrowSchema holds the
//     Arrow schema as one IPC schema message, and each page carries
//     arrowBatches entries, one IPC record-batch message of at most
//     Config.ArrowBatchRows rows each with its row count. The schema
//     follows a warehouse's conventions: TIMESTAMP as timestamp[us,
//     tz=Etc/UTC] when the client asks for native timestamps (else text),
//     DECIMAL as utf8 text unless the client asks for native decimals
//     (then decimal128(p,s)), DATE as date32, an untyped NULL as Arrow
//     null, and every field's Spark type name in the field metadata
//     "Spark:DataType:SqlName" ("INT", "DECIMAL(10,2)", "VOID", ...).
//   - URL_BASED_SET (CloudFetch): for a result of at least
//     Config.CloudFetchThreshold rows, when the client can download
//     results, a page carries links (Config.CloudFetchLinksPerPage per page,
//     whatever the client's max_rows) to files of at most
//     Config.CloudFetchFileRows rows, each an Arrow IPC stream served by
//     the peer's own HTTP file server at /cloudfetch/<id>: a presigned URL,
//     no bearer token, refused with 403 after Config.CloudFetchLinkTTL,
//     kept after the statement closes until then.
//   - LZ4: when the client sets canDecompressLZ4Result, batches and files
//     are LZ4 frames and the metadata says lz4Compressed.
//     (databricks-sql-go v1.14.0 never asks.)
//
// Config.Results ColumnResults answers column-based TRowSets with NULL
// bitmaps (COLUMN_BASED_SET), as a HiveServer2 without Arrow does; so does
// the default for a client that cannot read Arrow. Stats.Pages counts the
// pages sent in each form.
//
// # SQL dialect
//
// Statements run with SQLite's semantics. The peer rewrites only what SQLite
// would misread: a CAST that is a whole SELECT item is done by the peer,
// strictly as Spark's ANSI CAST (CAST('abc' AS INT) fails with 22018 where
// SQLite gives 0); other CAST targets become the SQLite type of the same
// storage (CAST(x AS DATE) would otherwise have numeric affinity); STRING
// columns in CREATE/ALTER are declared TEXT; DATE '…' and TIMESTAMP '…'
// literals become CASTs; a USING <format> clause in CREATE TABLE is dropped.
// The Spark functions range(…) (in FROM, the BIGINT column id) and
// repeat(str, n), which SQLite lacks, are rewritten into SQLite SQL (a
// recursive CTE; replace over zeroblob).
// DECIMAL values are stored as SQLite numbers, so more than about 15
// significant digits are not exact. DB gives the SQLite database for
// seeding data directly.
//
// # Observing the warehouse
//
// What a workspace administrator sees outside the SQL sessions, the peer
// offers as Go methods and at the workspace's REST paths (bearer token
// required): RunningStatements (GET /api/2.0/sql/history/queries with
// filter_by.statuses=RUNNING; the peer keeps no history of finished
// statements) and DropSessions (POST /api/2.0/sql/warehouses/ID/stop), which
// ends every session as a warehouse that stops does, and keeps serving. A
// later request on an ended session is answered as a warehouse answers it,
// HTTP 400 with "Invalid SessionHandle: Session [id] is closed." in
// X-Databricks-Reason-Phrase, which databricks-sql-go turns into
// driver.ErrBadConn: database/sql retries on a new session. Remote makes
// both calls from another process. A Peer is an observe.Observable, so the
// peers' shared observe.Handler can serve it too.
//
// # In a process of its own
//
// cmd/dbsqlpeer runs a peer until interrupted and prints where it listens
// as one JSON line (Serve, Address):
//
//	go run ./cmd/dbsqlpeer -token dapi-test
//
// # Not emulated
//
// The peer deliberately does not emulate: staging operations (PUT/GET
// of Volumes files), metadata calls (GetCatalogs, GetSchemas, GetTables,
// GetColumns, GetFunctions, GetTypeInfo, GetInfo), complex values from
// anything but the constructors above (table columns of complex types,
// from_json, functions over arrays), INTERVAL values, Spark SQL functions SQLite lacks, Unity
// Catalog three-part names, transactions (the driver has none either),
// query tags and session configuration (accepted, ignored), TLS, and the
// telemetry upload endpoint (the feature-flag endpoint answers telemetry
// off). Result sets are materialized in memory, bounded by MaxResultRows.
//
// # Telemetry and port 443
//
// databricks-sql-go v1.14.0 requests
// https://<host>/api/2.0/connector-service/feature-flags/GOLANG/<version>
// on every connect, on port 443 whatever port is configured. Tests must
// give the driver Transport (dbsql.WithTransport), which routes every
// localhost request, that one included, to the peer and refuses every other
// host, or disable telemetry in the DSN (enableTelemetry=false).
package dbsqlpeer
