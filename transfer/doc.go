// Package transfer copies a query's result from one connection into a table
// of another, streaming, with the target's bulk path, all or nothing: the
// Go side of `vap copy`.
//
//	src, _ := sql.Open("vap", "warehouse-pg")
//	dst, _ := sql.Open("vap", "reporting-mariadb")
//	res, err := transfer.Copy(ctx, src, dst, transfer.Options{
//		Query:  "SELECT id, customer, total, placed_at FROM orders WHERE placed_at >= $1",
//		Args:   []any{since},
//		Table:  "orders_2024",
//		Create: true,
//	})
//
// The source is read with package odbc's typed streaming (values normalized
// to their kinds, the same on every backend) in batches of Options.Batch
// rows, in a goroutine of its own, so reading the source and writing the
// target overlap and memory holds about three batches whatever the number of
// rows.
//
// # The target's path
//
// What a family does is declared with its connection type, as
// registry.Type.Load (registry/<family>/load.go):
//
//   - PostgreSQL: COPY table (columns) FROM STDIN in text format through
//     pgx (the pgx connection under the *sql.DB, reached with
//     sql.Conn.Raw), in a transaction.
//   - MySQL/MariaDB: LOAD DATA LOCAL INFILE from an io.Reader
//     (go-sql-driver/mysql's Reader:: handler; tab-separated, \N for NULL,
//     backslash escapes, CHARACTER SET binary) in a transaction, when the
//     server's local_infile is ON; multi-row INSERTs when it is OFF. A LOCAL
//     load turns bad values and duplicate keys into warnings and goes on, so
//     any warning fails the copy and it is rolled back. A table of an engine
//     without transactions (MyISAM) is refused.
//   - SQL Server: go-mssqldb's bulk copy (mssql.CopyIn: INSERT BULK and a
//     TDS bulk load message) in a transaction; multi-row INSERTs into a
//     table with a column bulk copy does not write (VARCHAR, TEXT, XML …)
//     or on a server that refuses INSERT BULK.
//   - SQLite, Redshift: multi-row INSERTs (placeholders in the type's
//     style) in one transaction.
//   - any other family: single-row prepared INSERTs with standard SQL in a
//     transaction.
//
// # All or nothing
//
// The rows are written in one transaction, committed only when every row
// went in. A failure leaves the target as it was: a bad table name (refused
// before any SQL: NAME or SCHEMA.NAME, plain or quoted identifiers), a
// column the table lacks, a source column whose kind the target column
// cannot hold, a value it cannot hold (an error naming the row), a
// constraint violated at row N, the source failing midway, or ctx
// cancelled — which also stops the source statement on its server (odbc's
// cancellation) and the load on the target. Options.Create creates the
// table in the transaction where the family's DDL is transactional
// (PostgreSQL, SQLite, SQL Server); elsewhere (MySQL) it creates a staging
// table NAME_vap_XXXXXXXX, loads it, and renames it to NAME after the
// commit, dropping it on failure.
//
// # Columns and types
//
// The result's columns go into the table's columns of the same name
// (exactly, else ignoring case). Numbers go into numbers and text into
// numbers with each value checked (12.5 is no integer, "abc" no number),
// anything into text, text into binary, times into times of the same sort (a
// time of day only into a TIME; a DATE takes timestamps at midnight).
// Times are written as their UTC wall clock; a TIMESTAMPTZ into MySQL's
// DATETIME keeps the UTC instant's clock.
//
// A created table's column types come from each result column's kind and,
// where the source says them, precision and scale (PostgreSQL describes the
// query without running it: NUMERIC(12,2) stays NUMERIC(12,2)):
//
//	kind          PostgreSQL        MySQL/MariaDB    SQLite     SQL Server         other
//	int64         BIGINT            BIGINT           INTEGER    BIGINT             BIGINT
//	float64       DOUBLE PRECISION  DOUBLE           REAL       FLOAT              DOUBLE PRECISION
//	decimal(p,s)  NUMERIC(p,s)      DECIMAL(p,s)     TEXT       DECIMAL(p,s)       NUMERIC(p,s)
//	decimal       NUMERIC           DECIMAL(65,30)   TEXT       DECIMAL(38,18)     NUMERIC(38,10)
//	string        TEXT              LONGTEXT         TEXT       NVARCHAR(MAX)      VARCHAR(4000)
//	bytes         BYTEA             LONGBLOB         BLOB       VARBINARY(MAX)     BLOB
//	bool          BOOLEAN           BOOLEAN          BOOLEAN    BIT                BOOLEAN
//	date          DATE              DATE             DATE       DATE               DATE
//	time of day   TIME              TIME(6)          TIME       TIME(7)            TIME
//	timestamp     TIMESTAMP         DATETIME(6)      DATETIME   DATETIME2(7)       TIMESTAMP
//	timestamptz   TIMESTAMPTZ       DATETIME(6) UTC  TIMESTAMP  DATETIMEOFFSET(7)  TIMESTAMP WITH TIME ZONE
//
// A column of unknown type (only NULLs, or SQLite values of mixed types)
// becomes text. Column names are quoted as the result spells them, so a
// MySQL column "ID" makes a PostgreSQL column "ID", not id.
package transfer
