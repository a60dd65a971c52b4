package dbsqlpeer

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrClosed is returned by calls on a Peer after Close.
var ErrClosed = errors.New("dbsqlpeer: peer is closed")

// queryError is a statement failure as the peer reports it to the driver:
// an operation in ERROR_STATE with sqlState, errorMessage and displayMessage.
// The message follows Databricks' form "[ERROR_CLASS] text SQLSTATE: xxxxx".
type queryError struct {
	class    string
	sqlState string
	text     string
}

func (e *queryError) Error() string {
	return fmt.Sprintf("[%s] %s SQLSTATE: %s", e.class, e.text, e.sqlState)
}

// sqliteErrorClasses maps SQLite error texts to the Databricks error class
// and SQLSTATE a warehouse reports for the same mistake. First match wins.
var sqliteErrorClasses = []struct {
	contains, class, sqlState string
}{
	{"syntax error", "PARSE_SYNTAX_ERROR", "42601"},
	{"incomplete input", "PARSE_SYNTAX_ERROR", "42601"},
	{"unrecognized token", "PARSE_SYNTAX_ERROR", "42601"},
	{"no such table", "TABLE_OR_VIEW_NOT_FOUND", "42P01"},
	{"no such view", "TABLE_OR_VIEW_NOT_FOUND", "42P01"},
	{"no such column", "UNRESOLVED_COLUMN", "42703"},
	{"no such function", "UNRESOLVED_ROUTINE", "42883"},
	{"already exists", "TABLE_OR_VIEW_ALREADY_EXISTS", "42P07"},
	{"UNIQUE constraint failed", "UNIQUE_CONSTRAINT_VIOLATION", "23505"},
	{"PRIMARY KEY constraint failed", "UNIQUE_CONSTRAINT_VIOLATION", "23505"},
	{"NOT NULL constraint failed", "NOT_NULL_CONSTRAINT_VIOLATION", "23502"},
	{"CHECK constraint failed", "CHECK_CONSTRAINT_VIOLATION", "23514"},
	{"FOREIGN KEY constraint failed", "FOREIGN_KEY_CONSTRAINT_VIOLATION", "23503"},
	{"parameter", "UNBOUND_SQL_PARAMETER", "42P02"},
	{"missing argument", "UNBOUND_SQL_PARAMETER", "42P02"},
	{"wrong number of arguments", "WRONG_NUM_ARGS", "42605"},
	{"datatype mismatch", "DATATYPE_MISMATCH", "42804"},
}

// classify turns an execution error into a queryError.
func classify(err error) *queryError {
	var qe *queryError
	if errors.As(err, &qe) {
		return qe
	}
	var ce *convertError
	if errors.As(err, &ce) {
		return &queryError{class: "CAST_INVALID_INPUT", sqlState: "22018", text: ce.Error()}
	}
	if errors.Is(err, context.Canceled) {
		return &queryError{class: "OPERATION_CANCELED", sqlState: "57014", text: "The statement was canceled."}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &queryError{class: "QUERY_EXECUTION_TIMEOUT_EXCEEDED", sqlState: "57KD0", text: "The statement ran past its timeout."}
	}
	text := err.Error()
	text = strings.TrimPrefix(text, "sqlite: ")
	for _, m := range sqliteErrorClasses {
		if strings.Contains(text, m.contains) {
			return &queryError{class: m.class, sqlState: m.sqlState, text: text}
		}
	}
	return &queryError{class: "INTERNAL_ERROR", sqlState: "XX000", text: text}
}

var errTooManyTokens = errors.New("dbsqlpeer: too many live issued tokens")
