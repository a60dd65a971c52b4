package orapeer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// oraError is an error the client receives as ORA-nnnnn.
type oraError struct {
	code int
	msg  string // without the ORA-nnnnn prefix
}

func errf(code int, format string, args ...any) *oraError {
	return &oraError{code: code, msg: fmt.Sprintf(format, args...)}
}

func (e *oraError) Error() string { return fmt.Sprintf("ORA-%05d: %s", e.code, e.msg) }

// wire is the message as Oracle sends it, newline-terminated.
func (e *oraError) wire() string { return e.Error() + "\n" }

var (
	reNoTable   = regexp.MustCompile(`no such table: (?:\w+\.)?(\S+)`)
	reNoColumn  = regexp.MustCompile(`no such column: (\S+)`)
	reUnique    = regexp.MustCompile(`UNIQUE constraint failed: (\w+)\.`)
	reNotNull   = regexp.MustCompile(`NOT NULL constraint failed: (\w+)\.(\w+)`)
	reExists    = regexp.MustCompile(`(?:table|index|view) (\S+) already exists`)
	reNoFunc    = regexp.MustCompile(`no such function: (\S+)`)
	reOraInFunc = regexp.MustCompile(`ORA-(\d{5}): (.*)`)
	// reSQLiteCode is the " (1)" result code modernc appends to messages.
	reSQLiteCode = regexp.MustCompile(`\s*\(\d+\)$`)
)

// toOra maps an SQLite (or peer) error to the Oracle error a server would
// raise for the same statement.
func toOra(err error, user string) *oraError {
	var oe *oraError
	if errors.As(err, &oe) {
		return oe
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errf(1013, "user requested cancel of current operation")
	}
	msg := err.Error()
	up := strings.ToUpper
	if m := reOraInFunc.FindStringSubmatch(msg); m != nil {
		var code int
		fmt.Sscanf(m[1], "%d", &code)
		return errf(code, "%s", reSQLiteCode.ReplaceAllString(strings.TrimSpace(m[2]), ""))
	}
	switch {
	case strings.Contains(msg, "interrupted"):
		return errf(1013, "user requested cancel of current operation")
	case reNoTable.MatchString(msg):
		return errf(942, "table or view does not exist")
	case reNoColumn.MatchString(msg):
		c := reNoColumn.FindStringSubmatch(msg)[1]
		return errf(904, "%q: invalid identifier", up(c))
	case reUnique.MatchString(msg), strings.Contains(msg, "PRIMARY KEY constraint failed"):
		t := "SYS_C00"
		if m := reUnique.FindStringSubmatch(msg); m != nil {
			t = "PK_" + up(m[1])
		}
		return errf(1, "unique constraint (%s.%s) violated", user, t)
	case reNotNull.MatchString(msg):
		m := reNotNull.FindStringSubmatch(msg)
		return errf(1400, "cannot insert NULL into (%q.%q.%q)", user, up(m[1]), up(m[2]))
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return errf(2291, "integrity constraint (%s.FK) violated - parent key not found", user)
	case strings.Contains(msg, "CHECK constraint failed"):
		return errf(2290, "check constraint (%s.CK) violated", user)
	case reExists.MatchString(msg):
		return errf(955, "name is already used by an existing object")
	case reNoFunc.MatchString(msg):
		return errf(904, "%q: invalid identifier", up(reNoFunc.FindStringSubmatch(msg)[1]))
	case strings.Contains(msg, "syntax error"), strings.Contains(msg, "incomplete input"), strings.Contains(msg, "unrecognized token"):
		return errf(900, "invalid SQL statement")
	case strings.Contains(msg, "database is locked"), strings.Contains(msg, "SQLITE_BUSY"):
		return errf(60, "deadlock detected while waiting for resource")
	case strings.Contains(msg, "wrong number of arguments"):
		return errf(909, "invalid number of arguments")
	case strings.Contains(msg, "values for") && strings.Contains(msg, "columns"):
		return errf(913, "too many values")
	}
	return errf(600, "internal error code, arguments: [orapeer], [%s]", msg)
}
