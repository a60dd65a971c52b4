package tdspeer

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Error is a SQL Server error as the peer sends it in an ERROR token: the
// number, state and class SQL Server uses for the same failure.
type Error struct {
	Number  int32
	State   uint8
	Class   uint8
	Message string
	Proc    string
	Line    int32
}

func (e *Error) Error() string {
	return fmt.Sprintf("mssql: %s (error %d, state %d, class %d)", e.Message, e.Number, e.State, e.Class)
}

// The errors the peer raises, with SQL Server's numbers and classes.
func errSyntax(near string) *Error {
	if near == "" {
		return &Error{Number: 102, State: 1, Class: 15, Message: "Incorrect syntax near the end of the statement."}
	}
	return &Error{Number: 102, State: 1, Class: 15, Message: fmt.Sprintf("Incorrect syntax near '%s'.", near)}
}

func errInvalidColumn(name string) *Error {
	return &Error{Number: 207, State: 1, Class: 16, Message: fmt.Sprintf("Invalid column name '%s'.", name)}
}

func errInvalidObject(name string) *Error {
	return &Error{Number: 208, State: 1, Class: 16, Message: fmt.Sprintf("Invalid object name '%s'.", name)}
}

func errOverflow(typ string) *Error {
	return &Error{Number: 8115, State: 2, Class: 16, Message: fmt.Sprintf("Arithmetic overflow error converting expression to data type %s.", typ)}
}

func errDivideByZero() *Error {
	return &Error{Number: 8134, State: 1, Class: 16, Message: "Divide by zero error encountered."}
}

func errConversion(from, to string) *Error {
	return &Error{Number: 245, State: 1, Class: 16, Message: fmt.Sprintf("Conversion failed when converting the %s to data type %s.", from, to)}
}

func errDateConversion() *Error {
	return &Error{Number: 241, State: 1, Class: 16, Message: "Conversion failed when converting date and/or time from character string."}
}

func errNumericConversion(from, to string) *Error {
	return &Error{Number: 8114, State: 5, Class: 16, Message: fmt.Sprintf("Error converting data type %s to %s.", from, to)}
}

func errUnknownFunction(name string) *Error {
	return &Error{Number: 195, State: 10, Class: 15, Message: fmt.Sprintf("'%s' is not a recognized built-in function name.", name)}
}

func errUnsupported(what string) *Error {
	return &Error{Number: 40517, State: 1, Class: 16, Message: fmt.Sprintf("Keyword or statement option '%s' is not supported in this version of SQL Server.", what)}
}

func errLoginFailed(user string) *Error {
	return &Error{Number: 18456, State: 1, Class: 14, Message: fmt.Sprintf("Login failed for user '%s'.", user)}
}

func errCancelled() *Error {
	return &Error{Number: 3980, State: 1, Class: 16, Message: "The request failed to run because the batch is aborted, this can be caused by abort signal sent from client, or another request is running in the same session, which makes the session busy."}
}

var (
	reNoColumn = regexp.MustCompile(`no such column: (\S+)`)
	reNoTable  = regexp.MustCompile(`no such table: (\S+)`)
	reNear     = regexp.MustCompile(`near "((?:[^"]|"")*)": syntax error`)
	reUnique   = regexp.MustCompile(`UNIQUE constraint failed: ([^ .]+)\.(\S+)`)
	reNoFunc   = regexp.MustCompile(`no such function: (\S+)`)
	reExists   = regexp.MustCompile(`(?:table|index) "?([^" ]+)"? already exists`)
	reNotNull  = regexp.MustCompile(`NOT NULL constraint failed: ([^ .]+)\.(\S+)`)
)

// sqlError turns an error of the SQLite engine into the SQL Server error
// for the same failure.
func sqlError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, errDivZeroText):
		return errDivideByZero()
	case strings.Contains(msg, errOverflowText):
		return errOverflow("int")
	}
	if m := reNoColumn.FindStringSubmatch(msg); m != nil {
		name := m[1]
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		return errInvalidColumn(name)
	}
	if m := reNoTable.FindStringSubmatch(msg); m != nil {
		name := m[1]
		if i := strings.IndexByte(name, '.'); i >= 0 && strings.EqualFold(name[:i], "main") {
			name = name[i+1:]
		}
		return errInvalidObject(name)
	}
	if m := reNear.FindStringSubmatch(msg); m != nil {
		return errSyntax(strings.ReplaceAll(m[1], `""`, `"`))
	}
	if strings.Contains(msg, "incomplete input") {
		return errSyntax("")
	}
	if m := reUnique.FindStringSubmatch(msg); m != nil {
		return &Error{Number: 2627, State: 1, Class: 14, Message: fmt.Sprintf(
			"Violation of PRIMARY KEY constraint 'PK_%s'. Cannot insert duplicate key in object 'dbo.%s'.", m[1], m[1])}
	}
	if m := reNotNull.FindStringSubmatch(msg); m != nil {
		return &Error{Number: 515, State: 2, Class: 16, Message: fmt.Sprintf(
			"Cannot insert the value NULL into column '%s', table 'dbo.%s'; column does not allow nulls. INSERT fails.", m[2], m[1])}
	}
	if m := reNoFunc.FindStringSubmatch(msg); m != nil {
		return errUnknownFunction(m[1])
	}
	if m := reExists.FindStringSubmatch(msg); m != nil {
		return &Error{Number: 2714, State: 6, Class: 16, Message: fmt.Sprintf("There is already an object named '%s' in the database.", m[1])}
	}
	if strings.Contains(msg, "interrupted") || strings.Contains(msg, "context canceled") {
		return errCancelled()
	}
	if strings.Contains(msg, "FOREIGN KEY constraint failed") {
		return &Error{Number: 547, State: 0, Class: 16, Message: "The INSERT statement conflicted with the FOREIGN KEY constraint."}
	}
	// Anything else: a generic statement failure, with SQLite's text.
	return &Error{Number: 50000, State: 1, Class: 16, Message: msg}
}

// Texts the peer's SQL functions fail with, recognised by sqlError.
const (
	errDivZeroText  = "tdspeer: divide by zero"
	errOverflowText = "tdspeer: arithmetic overflow"
)
