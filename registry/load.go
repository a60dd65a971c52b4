package registry

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/vapsql/vap/coltype"
)

// Load is how rows are written into a table of one family, for package
// transfer (vap copy): the family's bulk path, the column types a created
// table gets, and what its SQL needs to create and rename a table. A family
// without a Load gets standard SQL: double-quoted identifiers, the standard
// type names, single-row prepared INSERTs in a transaction.
type Load struct {
	// Quote quotes one identifier (a column or table name, no schema) for
	// the family's SQL.
	Quote func(name string) string
	// ColumnType is the DDL type of a created table's column that holds
	// the values of c (a source column). Optional: standard SQL names.
	ColumnType func(c LoadColumn) string
	// TxDDL: CREATE TABLE takes part in a transaction (PostgreSQL, SQLite,
	// SQL Server), so a created table is created in the load's
	// transaction. Otherwise the table is created as a staging table,
	// loaded, and renamed to its name at the end (RenameTable).
	TxDDL bool
	// RenameTable is the statement that renames table from to to in
	// schema (all three quoted as they go into SQL; schema "" is the
	// connection's default). Optional: "ALTER TABLE schema.from RENAME TO
	// to".
	RenameTable func(schema, from, to string) string
	// Check refuses a load the family cannot undo (MySQL: a table of a
	// non-transactional engine such as MyISAM), in the load's transaction
	// before any row is read. Optional.
	Check func(ctx context.Context, req *LoadRequest) error
	// Bulk writes req's rows with the family's bulk path (PostgreSQL COPY
	// FROM, MySQL LOAD DATA LOCAL INFILE, SQL Server bulk copy) in the
	// transaction req.Tx, and returns how many rows the server took. An error about one row is a
	// *LoadError. ErrNoBulk: the bulk path is not available on this server
	// (or for this table) and nothing was written; the rows go as INSERTs
	// instead, read from req.Rows, which a Bulk that read rows to find out
	// replaces with rows that yield those again first. Optional.
	Bulk func(ctx context.Context, req *LoadRequest) (int64, error)
	// BulkName names the bulk path in results and messages ("COPY").
	BulkName string
	// InsertRows is how many rows one multi-row INSERT … VALUES carries at
	// most (SQL Server: 1000); 0: single-row INSERTs.
	InsertRows int
	// InsertParams is how many bind parameters one statement takes at most
	// (SQL Server: 2100); 0: no limit but InsertRows.
	InsertParams int
}

// ErrNoBulk is returned by a Load.Bulk that cannot run on this server
// (MySQL with local_infile off) before reading or writing anything.
var ErrNoBulk = errors.New("bulk path not available")

// LoadColumn is a column a load writes, or whose values a created table
// must hold. Its values are given as its kind's Go types.
type LoadColumn struct {
	// Name is the column's name, unquoted.
	Name string
	// Kind is the kind of the values.
	Kind coltype.Kind
	// Time is how a Time column's values are meant: a wall clock (DATE,
	// TIMESTAMP), an instant (TIMESTAMPTZ) or a time of day (TIME).
	Time coltype.TimeMode
	// Date: a Time column of dates only (DATE).
	Date bool
	// Type is the database's type name, length, precision and scale (-1
	// when unknown).
	Type coltype.Info
}

// LoadRequest is one bulk load: rows into columns of a table, on a
// connection, in a transaction.
type LoadRequest struct {
	// Conn is the target connection; Tx is the transaction open on it,
	// in which the load runs.
	Conn *sql.Conn
	Tx   *sql.Tx
	// Table is the table's name as it goes into SQL (validated, each part
	// quoted where it needs to be).
	Table string
	// Schema ("" for the connection's default) and Name are the table's,
	// unquoted, for catalog queries.
	Schema, Name string
	// Columns are the target's columns, in the order of the values.
	Columns []LoadColumn
	// Rows are the rows to write.
	Rows LoadRows
}

// LoadRows yields the rows of a load.
type LoadRows interface {
	// Next reads the next row into vals (one per column): nil for NULL, or
	// a value of the column's kind: int64, float64, string (String and
	// Decimal), []byte, bool or time.Time (UTC). false: no more rows, or an
	// error (Err).
	Next(vals []any) bool
	// Err is why Next returned false, nil at the end of the rows.
	Err() error
}

// LoadError is a load that failed at one row.
type LoadError struct {
	// Row is the 1-based row of the load; 0 when unknown.
	Row int64
	// Rows is the last row of a multi-row statement that failed as a
	// whole (rows Row to Rows); 0 for one row.
	Rows int64
	Err  error
}

func (e *LoadError) Error() string {
	switch {
	case e.Row > 0 && e.Rows > e.Row:
		return "rows " + strconv.FormatInt(e.Row, 10) + "–" + strconv.FormatInt(e.Rows, 10) + ": " + e.Err.Error()
	case e.Row > 0:
		return "row " + strconv.FormatInt(e.Row, 10) + ": " + e.Err.Error()
	}
	return e.Err.Error()
}

func (e *LoadError) Unwrap() error { return e.Err }
